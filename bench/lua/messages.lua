-- wrk script: POST a realistic ~2 KB Messages request and print a parseable summary.
-- Arguments (after --): mode (plain|stream|openai|openai-stream) and the API key.
--   wrk -t1 -c1 -d10s --latency -s messages.lua http://127.0.0.1:PORT/v1/messages -- stream sk-key

local system = "You are Claude Code, Anthropic's official CLI for Claude. You are an interactive CLI tool that "
  .. "helps users with software engineering tasks. Use the instructions below and the tools available to you "
  .. "to assist the user. IMPORTANT: Assist with defensive security tasks only. Refuse to create, modify, or "
  .. "improve code that may be used maliciously. When the user asks for help, answer concisely, prefer editing "
  .. "existing files to creating new ones, and never commit changes unless the user explicitly asks you to."

local question = "I have a Spring Boot WebFlux service that forwards requests to an upstream API. Under load the "
  .. "p99 latency grows even though CPU is idle. The upstream client is a Reactor Netty HttpClient with the "
  .. "default connection pool, and every request reads the whole body with aggregate() before forwarding it. "
  .. "Here is the relevant part of the handler:\n\n"
  .. "return request.receive().aggregate().asByteArray()\n"
  .. "    .flatMap(body -> client.post().uri(target).send(ByteBufMono.fromByteArray(body))\n"
  .. "        .responseSingle((response, content) -> content.asByteArray()))\n\n"
  .. "What would you check first, and how would you measure whether the pool is the bottleneck?"

local function body(stream)
  return '{"model":"claude-sonnet-4-5-20250929","max_tokens":1024,'
    .. (stream and '"stream":true,' or '')
    .. '"system":[{"type":"text","text":"You are Claude Code."},'
    .. '{"type":"text","text":"' .. system .. '","cache_control":{"type":"ephemeral"}}],'
    .. '"messages":[{"role":"user","content":[{"type":"text","text":"' .. question:gsub("\n", "\\n") .. '"}]},'
    .. '{"role":"assistant","content":[{"type":"text","text":"Let me look at how the pool is configured."}]},'
    .. '{"role":"user","content":[{"type":"text","text":"It is the default pool: 500 connections, 45 s '
    .. 'pending acquire timeout. Please be specific.","cache_control":{"type":"ephemeral"}}]}],'
    .. '"tools":[{"name":"Read","description":"Reads a file from the local filesystem.",'
    .. '"input_schema":{"type":"object","properties":{"file_path":{"type":"string",'
    .. '"description":"The absolute path to the file to read"},"offset":{"type":"number"},'
    .. '"limit":{"type":"number"}},"required":["file_path"]}}],'
    .. '"temperature":1,"metadata":{"user_id":"user_bench_account__session_0f6c1e2a-5b7d-4c39-9a51-3c2d1e0f9b8a"}}'
end

-- The same conversation as an OpenAI Chat Completions request: what Tollgate sends an OpenAI-compatible
-- upstream for the Messages body above, so that the direct baseline of a converted request does the
-- same upstream work.
local function openai_body(stream)
  return '{"model":"claude-sonnet-4-5-20250929","max_tokens":1024,'
    .. (stream and '"stream":true,"stream_options":{"include_usage":true},' or '')
    .. '"messages":[{"role":"system","content":"You are Claude Code.\\n\\n' .. system .. '"},'
    .. '{"role":"user","content":"' .. question:gsub("\n", "\\n") .. '"},'
    .. '{"role":"assistant","content":"Let me look at how the pool is configured."},'
    .. '{"role":"user","content":"It is the default pool: 500 connections, 45 s '
    .. 'pending acquire timeout. Please be specific."}],'
    .. '"tools":[{"type":"function","function":{"name":"Read","description":"Reads a file from the local filesystem.",'
    .. '"parameters":{"type":"object","properties":{"file_path":{"type":"string",'
    .. '"description":"The absolute path to the file to read"},"offset":{"type":"number"},'
    .. '"limit":{"type":"number"}},"required":["file_path"]}}}],'
    .. '"temperature":1,"user":"user_bench_account__session_0f6c1e2a-5b7d-4c39-9a51-3c2d1e0f9b8a"}'
end

-- Modes: plain and stream (Messages), openai and openai-stream (Chat Completions, for direct baselines).
function init(args)
  local mode = args[1] or "plain"
  wrk.method = "POST"
  if mode == "openai" or mode == "openai-stream" then
    wrk.body = openai_body(mode == "openai-stream")
  else
    wrk.body = body(mode == "stream")
  end
  wrk.headers["content-type"] = "application/json"
  wrk.headers["anthropic-version"] = "2023-06-01"
  wrk.headers["x-api-key"] = args[2] or "sk-bench"
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "BENCH_RESULT requests=%d seconds=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d "
      .. "errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d bytes=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout, summary.bytes))
end
