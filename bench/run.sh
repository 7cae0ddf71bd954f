#!/usr/bin/env bash
# Measures what Tollgate costs, side by side with a direct baseline in the same run, against one fake
# upstream, and prints ONE table (see bench/README.md):
#   - throughput through Tollgate as a fraction of direct at 16 and 64 connections, non-streaming, streaming
#     and converted (an OpenAI-compatible upstream), and the latency added at one connection (wrk);
#   - streaming: time to first byte and the gaps between events, timed per event (StreamLoad);
#   - bursts of 200 and 1,000 new streams at once: time to first byte, Tollgate's CPU per new stream and
#     per relayed event;
#   - 1,000 and 10,000 concurrent slow streams on a fresh Tollgate with the default start: errors, peak
#     resident memory, CPU per delivered event;
#   - startup time.
# Each run appends one row to bench/history.tsv, keyed by commit.
#
# Environment:
#   BENCH_QUICK        1 for a short development run (3 s per wrk run, smaller bursts and holds)
#   BENCH_SCENARIOS    which parts to run (default "throughput latency burst hold startup")
#   BENCH_DURATION     length of each measured wrk run (default 10s; quick 3s)
#   BENCH_WARMUP       length of each warm-up run (default 5s; quick 2s)
#   BENCH_WARMUP_ROUNDS most warm-up rounds (all three kinds each) before the JIT must have settled (8; quick 3)
#   BENCH_HOLDS        concurrent slow streams to hold (default "1000 10000"; quick "1000")
#   BENCH_BURSTS       burst sizes (default "200 1000"; quick "200")
#   BENCH_PORT_BASE    first of the ports to use (fake, Tollgate); default random free ports
#   BENCH_SKIP_BUILD   1 to reuse the jar and classes already built
#   BENCH_KEEP         1 to keep the temporary directory (bootstrap file, data dirs)
#   BENCH_NO_HISTORY   1 not to append to bench/history.tsv
#   FAKE_JAVA_OPTS     JVM options for the fake (default -Xms256m -Xmx512m)
#   TOLLGATE_JAVA_OPTS JVM options for Tollgate (default: the start command's, tollgate.jvm.memory in
#                      gateway-api/pom.xml)
#   TOLLGATE_*         passed to Tollgate (e.g. TOLLGATE_OBSERVABILITY_ACCESS_LOG_ENABLED=false)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
QUICK="${BENCH_QUICK:-0}"
if [[ "$QUICK" == 1 ]]; then
  DURATION="${BENCH_DURATION:-3s}"; WARMUP="${BENCH_WARMUP:-2s}"
  WARMUP_ROUNDS="${BENCH_WARMUP_ROUNDS:-3}"
  HOLDS="${BENCH_HOLDS:-1000}"; BURSTS="${BENCH_BURSTS:-200}"; LATENCY_SECONDS=3
else
  DURATION="${BENCH_DURATION:-10s}"; WARMUP="${BENCH_WARMUP:-5s}"
  WARMUP_ROUNDS="${BENCH_WARMUP_ROUNDS:-8}"
  HOLDS="${BENCH_HOLDS:-1000 10000}"; BURSTS="${BENCH_BURSTS:-200 1000}"; LATENCY_SECONDS=10
fi
SCENARIOS=" ${BENCH_SCENARIOS:-throughput latency burst hold startup} "
STAMP="$(date -u +%Y%m%d-%H%M%S)"
OUT="$BENCH/out/$STAMP"
WORK="$(mktemp -d -t tollgate-bench.XXXXXX)"
UPSTREAM_KEY="sk-fake-bench"
# Paced upstream streams (credential=min-max ms between events:deltas), see Pacing in the fake:
#   latency: an event every 10 ms, 30 deltas; burst: every 100 ms, 10 deltas (about 1.3 s);
#   slow: every 50-100 ms, 300 deltas (about 23 s), what a model generating looks like.
PACED="sk-fake-latency=10:30,sk-fake-burst=100:10,sk-fake-slow=50-100:300"
LATENCY_EVENTS=36; BURST_EVENTS=16; SLOW_EVENTS=306
LATENCY_STREAMS=4
HOLD_RATE=1000
RESULTS="$OUT/results.txt"
PIDS=()
TOLLGATE_PID=""
FAKE_PID=""

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

stop_pid() {
  local pid="$1"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}

cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2; exit }'
}

# JAVA_HOME when it is a JDK >= 21, else the newest JDK under /usr/lib/jvm.
find_jdk() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    local v; v="$(java_major "$JAVA_HOME/bin/java")"
    if [[ "$v" =~ ^[0-9]+$ ]] && (( v >= 21 )); then echo "$JAVA_HOME"; return; fi
  fi
  local best="" best_v=0 dir v
  for dir in /usr/lib/jvm/*/; do
    dir="${dir%/}"
    [[ -x "$dir/bin/java" && ! -L "$dir" ]] || continue
    v="$(java_major "$dir/bin/java")"
    [[ "$v" =~ ^[0-9]+$ ]] || continue
    if (( v > best_v )); then best="$dir"; best_v="$v"; fi
  done
  (( best_v >= 21 )) || die "no JDK >= 21 found: set JAVA_HOME"
  echo "$best"
}

NEXT_PORT="${BENCH_PORT_BASE:-0}"
free_port() {
  local port
  if (( NEXT_PORT > 0 )); then
    for _ in $(seq 50); do
      port=$NEXT_PORT; NEXT_PORT=$(( NEXT_PORT + 1 ))
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    die "no free port from $BENCH_PORT_BASE"
  fi
  for _ in $(seq 100); do
    port=$(( 20000 + RANDOM % 12000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free port found"
}

now_ms() { date +%s%3N; }

ensure_tools() {
  command -v curl >/dev/null || die "curl is required"
  if ! command -v wrk >/dev/null; then
    log "installing wrk"
    if [[ "$(id -u)" == 0 ]]; then
      apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
    else
      die "wrk is missing: apt-get install -y wrk"
    fi
  fi
  # 10,000 streams take 10,000 descriptors in the client and 20,000 in Tollgate (both sides)
  local want=65536
  if (( $(ulimit -Hn) < want )); then ulimit -Hn "$want" 2>/dev/null || true; fi
  ulimit -n "$(( $(ulimit -Hn) < want ? $(ulimit -Hn) : want ))" || true
  log "open files: $(ulimit -n)"
}

build() {
  if [[ "${BENCH_SKIP_BUILD:-0}" == 1 ]]; then log "skipping the build"; return; fi
  log "building (mvnw package, test classes, test classpath)"
  # The formatter is skipped so that a benchmark never rewrites sources.
  # One reactor run, so the gateway's test classpath points at the sibling modules' fresh jars
  # (billing's test jar included) instead of whatever an earlier install left in ~/.m2.
  # The jar is created anew: else, when only a sibling module changed, the jar plugin keeps the old one and
  # Spring Boot's repackaging leaves an already repackaged jar, with the old modules inside, alone.
  (cd "$ROOT" && JAVA_HOME="$JDK" ./mvnw -q -B -DskipTests -Dspring-javaformat.skip=true -Dmaven.jar.forceCreation=true package \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt)
}

test_classpath() {
  echo "$ROOT/gateway-api/target/test-classes:$(cat "$ROOT/gateway-api/target/bench-classpath.txt")"
}

start_fake() {
  FAKE_PORT="$(free_port)"
  # shellcheck disable=SC2086
  FAKE_UPSTREAM_PACED="$PACED" "$JAVA" ${FAKE_JAVA_OPTS:--Xms256m -Xmx512m} --enable-native-access=ALL-UNNAMED \
    -cp "$(test_classpath)" io.tollgate.gateway.fake.FakeUpstreamMain "$FAKE_PORT" >"$OUT/fake.log" 2>&1 &
  FAKE_PID="$!"
  PIDS+=("$FAKE_PID")
  for _ in $(seq 240); do
    kill -0 "$FAKE_PID" 2>/dev/null || die "the fake upstream exited (see $OUT/fake.log)"
    grep -qs "^fake-upstream listening on" "$OUT/fake.log" && return
    sleep 0.25
  done
  die "the fake upstream did not start (see $OUT/fake.log)"
}

# One key per group: anthropic (standard answers), openai (converted), and the three paced upstreams.
write_bootstrap() {
  {
    cat <<EOF
tenants:
  - name: bench
    balance: "100000000"
accounts:
  - name: fake-anthropic
    platform: anthropic
    base-url: http://127.0.0.1:$FAKE_PORT
    credential: $UPSTREAM_KEY
  - name: fake-openai
    platform: openai
    base-url: http://127.0.0.1:$FAKE_PORT/v1
    credential: $UPSTREAM_KEY
EOF
    for paced in latency burst slow; do
      cat <<EOF
  - name: fake-$paced
    platform: anthropic
    base-url: http://127.0.0.1:$FAKE_PORT
    credential: sk-fake-$paced
EOF
    done
    echo "groups:"
    for group in bench:anthropic:fake-anthropic openai:openai:fake-openai latency:anthropic:fake-latency \
      burst:anthropic:fake-burst slow:anthropic:fake-slow; do
      IFS=: read -r name platform account <<<"$group"
      cat <<EOF
  - name: $name
    platform: $platform
    billing-mode: balance
    model-mapping:
      "claude-*": "claude-sonnet-4-5"
    accounts: [$account]
EOF
    done
    cat <<EOF
prices:
  - model: "claude-*"
    input: "3"
    output: "15"
    cache-write-5m: "3.75"
    cache-write-1h: "6"
    cache-read: "0.30"
keys:
EOF
    for name in bench openai latency burst slow; do
      cat <<EOF
  - name: $name
    tenant: bench
    group: $name
    key: $(tollgate_key "$name")
EOF
    done
  } >"$WORK/bootstrap.yml"
  cp "$WORK/bootstrap.yml" "$OUT/bootstrap.yml"
}

tollgate_key() { printf 'tg-bench-%s-%s' "$1" "0000000000000000000000000000000" | cut -c1-40; }

default_jvm_options() {
  sed -n 's#.*<tollgate.jvm.memory>\(.*\)</tollgate.jvm.memory>.*#\1#p' "$ROOT/gateway-api/pom.xml"
}

# Starts a fresh Tollgate (new data directory) and sets TOLLGATE_PID and STARTUP_MS (launch to first answer).
start_tollgate() {
  local name="$1" jar="$ROOT/gateway-api/target/tollgate.jar" data started
  [[ -f "$jar" ]] || die "$jar is missing"
  TOLLGATE_PORT="${TOLLGATE_PORT:-$(free_port)}"
  data="$WORK/data-$name"
  mkdir -p "$data"
  started="$(now_ms)"
  # Connection caps raised by configuration: every bench client connects from 127.0.0.1.
  # shellcheck disable=SC2086
  SERVER_PORT="$TOLLGATE_PORT" TOLLGATE_BOOTSTRAP_FILE="$WORK/bootstrap.yml" TOLLGATE_DATA_DIR="$data" \
    TOLLGATE_GATEWAY_EDGE_MAX_CONNECTIONS="${TOLLGATE_GATEWAY_EDGE_MAX_CONNECTIONS:-30000}" \
    TOLLGATE_GATEWAY_EDGE_MAX_CONNECTIONS_PER_ADDRESS="${TOLLGATE_GATEWAY_EDGE_MAX_CONNECTIONS_PER_ADDRESS:-0}" \
    TOLLGATE_GATEWAY_UPSTREAM_CONNECTIONS="${TOLLGATE_GATEWAY_UPSTREAM_CONNECTIONS:-30000}" \
    TOLLGATE_SHUTDOWN_GRACE_PERIOD="${TOLLGATE_SHUTDOWN_GRACE_PERIOD:-2s}" \
    "$JAVA" ${TOLLGATE_JAVA_OPTS:-$(default_jvm_options)} --enable-native-access=ALL-UNNAMED -jar "$jar" \
    >"$OUT/tollgate-$name.log" 2>&1 &
  TOLLGATE_PID="$!"
  PIDS+=("$TOLLGATE_PID")
  await_answer "$TOLLGATE_PID" "$TOLLGATE_PORT" "$OUT/tollgate-$name.log"
  STARTUP_MS=$(( $(now_ms) - started ))
  log "tollgate ($name) on 127.0.0.1:$TOLLGATE_PORT, answered $STARTUP_MS ms after launch"
}

# Waits until the Tollgate process PID answers HTTP on PORT (any status), for at most 180 s.
await_answer() {
  local pid="$1" port="$2" logfile="$3"
  for _ in $(seq 3600); do
    kill -0 "$pid" 2>/dev/null || die "Tollgate exited during startup (see $logfile)"
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/" || true)" != 000 ]]; then
      return
    fi
    sleep 0.05
  done
  die "Tollgate did not answer within 180 s (see $logfile)"
}

stop_tollgate() { stop_pid "$TOLLGATE_PID"; TOLLGATE_PID=""; }

# Startup as the container image starts: the jar extracted, one training run that stops once the context is
# up, then a fresh start (fresh H2 data directory) from what it wrote. On JDK 25 and later, as the image, an
# ahead-of-time cache (-XX:AOTCacheOutput / -XX:AOTCache: classes loaded and linked, method profiles); before
# that, a class data sharing archive (-XX:ArchiveClassesAtExit / -XX:SharedArchiveFile).
startup_cds() {
  local dir="$WORK/cds" started pid train use
  if (( $(java_major "$JAVA") >= 25 )); then
    train="-XX:AOTCacheOutput=$dir/tollgate.aot"; use="-XX:AOTCache=$dir/tollgate.aot"; STARTUP_ARCHIVE=aot
  else
    train="-XX:ArchiveClassesAtExit=$dir/tollgate.jsa"; use="-XX:SharedArchiveFile=$dir/tollgate.jsa"; STARTUP_ARCHIVE=cds
  fi
  log "startup from a training run's archive ($STARTUP_ARCHIVE, as the container image)"
  "$JAVA" -Djarmode=tools -jar "$ROOT/gateway-api/target/tollgate.jar" extract --destination "$dir/app" >/dev/null
  mkdir -p "$dir/train"
  # shellcheck disable=SC2086
  (cd "$dir/train" && SERVER_PORT="$(free_port)" TOLLGATE_DATA_DIR="$dir/train" \
    "$JAVA" ${TOLLGATE_JAVA_OPTS:-$(default_jvm_options)} "$train" \
    -Dspring.context.exit=onRefresh -jar "$dir/app/tollgate.jar" >"$OUT/tollgate-cds-training.log" 2>&1) \
    || die "the training run failed (see $OUT/tollgate-cds-training.log)"
  local port; port="$(free_port)"
  mkdir -p "$dir/data"
  started="$(now_ms)"
  # shellcheck disable=SC2086
  SERVER_PORT="$port" TOLLGATE_DATA_DIR="$dir/data" "$JAVA" ${TOLLGATE_JAVA_OPTS:-$(default_jvm_options)} \
    "$use" -jar "$dir/app/tollgate.jar" >"$OUT/tollgate-cds.log" 2>&1 &
  pid="$!"
  PIDS+=("$pid")
  await_answer "$pid" "$port" "$OUT/tollgate-cds.log"
  record startup_cds_ms "$(( $(now_ms) - started ))"
  record startup_archive "$STARTUP_ARCHIVE"
  stop_pid "$pid"
}

# One request of each kind must succeed before anything is measured: a benchmark of error pages is worthless.
check_target() {
  local name="$1" url="$2" key="$3" mode body status
  shift 3
  for mode in "$@"; do
    body="$WORK/check-$name-$mode"
    status="$(curl -s -o "$body" -w '%{http_code}' --max-time 30 -H 'content-type: application/json' \
      -H 'anthropic-version: 2023-06-01' -H "x-api-key: $key" --data-binary "@$WORK/body-$mode.json" "$url" || true)"
    if [[ "$status" != 200 ]]; then
      log "$name answered $status to a $mode request:"; head -c 600 "$body" >&2 || true; echo >&2
      return 1
    fi
    if [[ "$mode" == stream ]] && ! grep -q '^event: message_stop' "$body"; then
      log "$name's stream has no message_stop:"; head -c 600 "$body" >&2; echo >&2
      return 1
    fi
    if [[ "$mode" == openai-stream ]] && ! grep -q '^data: \[DONE\]' "$body"; then
      log "$name's stream has no [DONE]:"; head -c 600 "$body" >&2; echo >&2
      return 1
    fi
  done
}

# Writes the request bodies the Lua script sends, for the curl checks and StreamLoad.
dump_bodies() {
  local mode
  for mode in plain stream openai openai-stream; do
    cat >"$WORK/dump.lua" <<EOF
dofile("$BENCH/lua/messages.lua")
local original = init
function init(args)
  original(args)
  local file = io.open("$WORK/body-" .. args[1] .. ".json", "w")
  file:write(wrk.body)
  file:close()
end
function request() os.exit(0) end
EOF
    wrk -t1 -c1 -d1s -s "$WORK/dump.lua" "http://127.0.0.1:$FAKE_PORT/v1/messages" -- "$mode" x >/dev/null 2>&1 || true
    [[ -s "$WORK/body-$mode.json" ]] || die "could not render the $mode request body"
  done
}

# run_wrk NAME URL KEY MODE CONNECTIONS DURATION -> prints the BENCH_RESULT line, saves wrk's whole output
run_wrk() {
  local name="$1" url="$2" key="$3" mode="$4" conns="$5" duration="$6" threads=1 file
  if (( conns > 1 )); then threads=2; fi
  file="$OUT/wrk-$name-$mode-c$conns.txt"
  wrk -t"$threads" -c"$conns" -d"$duration" --timeout 10s --latency -s "$BENCH/lua/messages.lua" "$url" \
    -- "$mode" "$key" >"$file" 2>&1 || die "wrk failed (see $file)"
  grep '^BENCH_RESULT' "$file" || die "no result in $file"
}

# stream_load NAME PID ARGS... -> prints the STREAM_RESULT line, saves the output
stream_load() {
  local name="$1" pid="$2" file="$OUT/streams-$1.txt"
  shift 2
  "$JAVA" -Xms256m -Xmx1g -XX:+UseParallelGC -cp "$(test_classpath)" io.tollgate.gateway.bench.StreamLoad \
    pid="$pid" hz="$(getconf CLK_TCK)" "$@" >"$file" 2>&1 || die "StreamLoad failed (see $file)"
  grep '^STREAM_RESULT' "$file" || die "no result in $file"
}

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

wrk_errors() {
  local line="$1" sum=0 kind
  for kind in connect read write status timeout; do sum=$(( sum + $(field "$line" "errors_$kind") )); done
  echo "$sum"
}

# record KEY VALUE: one measured figure, for the table and the history
record() { printf '%s=%s\n' "$1" "$2" >>"$RESULTS"; }

# cpu_ms_of STAT_FILE / cpu_ms PID -> user+system CPU milliseconds of a task or a process
cpu_ms_of() { awk '{ s = $0; sub(/.*\) /, "", s); split(s, f, " "); printf "%d", (f[12] + f[13]) * 1000 / hz }' hz="$(getconf CLK_TCK)" "$1"; }
cpu_ms() { cpu_ms_of "/proc/$1/stat"; }

# compiler_ms PID -> CPU milliseconds the JIT compiler threads have used
compiler_ms() {
  local task total=0 comm
  for task in /proc/"$1"/task/*; do
    comm="$(cat "$task/comm" 2>/dev/null || true)"
    if [[ "$comm" == C1\ Compiler* || "$comm" == C2\ Compiler* ]]; then
      total=$(( total + $(cpu_ms_of "$task/stat") ))
    fi
  done
  echo "$total"
}


# Warms Tollgate up until its JIT compiler is done: the C2 compiler spends about a minute of CPU on the
# request path before it settles, and a measurement taken while it works measures the compiler. Rounds of
# all three kinds until one costs the compiler under 3% of a core, at most WARMUP_ROUNDS.
warm_up() {
  local through="$TOLLGATE_URL/v1/messages" kind dmode tkey tmode round before after started seconds
  started="$(now_ms)"
  seconds="${WARMUP%s}"
  for kind in plain stream converted; do
    read -r dmode tmode tkey <<<"$(kind_modes "$kind")"
    run_wrk warmup-direct "$(direct_url "$kind")" "$UPSTREAM_KEY" "$dmode" 16 "$WARMUP" >/dev/null
  done
  for (( round = 1; round <= WARMUP_ROUNDS; round++ )); do
    before="$(compiler_ms "$TOLLGATE_PID")"
    for kind in plain stream converted; do
      read -r dmode tmode tkey <<<"$(kind_modes "$kind")"
      run_wrk warmup-tollgate "$through" "$tkey" "$tmode" 16 "$WARMUP" >/dev/null
    done
    after="$(compiler_ms "$TOLLGATE_PID")"
    log "warm-up round $round: the JIT compilers used $(( after - before )) ms of CPU"
    if (( (after - before) * 100 < 3 * 3 * seconds * 1000 )); then break; fi
  done
  record warmup_s "$(( ($(now_ms) - started) / 1000 ))"
  record warmup_jit_ms "$(compiler_ms "$TOLLGATE_PID")"
}

throughput() {
  local direct="$FAKE_URL/v1/messages" through="$TOLLGATE_URL/v1/messages" kind conns d t dmode tkey tmode
  log "warming up ($WARMUP per target and kind, rounds until the JIT settles)"
  warm_up
  for kind in plain stream converted; do
    read -r dmode tmode tkey <<<"$(kind_modes "$kind")"
    for conns in 1 16 64; do
      if [[ "$kind" == converted && "$conns" == 1 ]]; then continue; fi
      log "measuring $kind c=$conns ($DURATION each)"
      d="$(run_wrk direct "$(direct_url "$kind")" "$UPSTREAM_KEY" "$dmode" "$conns" "$DURATION")"
      local cpu_before cpu_after
      cpu_before="$(cpu_ms "$TOLLGATE_PID")"
      t="$(run_wrk tollgate "$through" "$tkey" "$tmode" "$conns" "$DURATION")"
      cpu_after="$(cpu_ms "$TOLLGATE_PID")"
      record "tp_${kind}_c${conns}_direct_rps" "$(field "$d" rps)"
      record "tp_${kind}_c${conns}_tollgate_rps" "$(field "$t" rps)"
      record "tp_${kind}_c${conns}_direct_p50_us" "$(field "$d" p50_us)"
      record "tp_${kind}_c${conns}_tollgate_p50_us" "$(field "$t" p50_us)"
      record "tp_${kind}_c${conns}_errors" "$(( $(wrk_errors "$d") + $(wrk_errors "$t") ))"
      record "tp_${kind}_c${conns}_cpu_us_per_request" \
        "$(awk -v c="$(( cpu_after - cpu_before ))" -v n="$(field "$t" requests)" 'BEGIN { printf "%.0f", c * 1000 / (n > 0 ? n : 1) }')"
    done
  done
}

kind_modes() {
  case "$1" in
    plain) echo "plain plain $(tollgate_key bench)" ;;
    stream) echo "stream stream $(tollgate_key bench)" ;;
    converted) echo "openai-stream stream $(tollgate_key openai)" ;;
  esac
}
direct_url() { if [[ "$1" == converted ]]; then echo "$FAKE_URL/v1/chat/completions"; else echo "$FAKE_URL/v1/messages"; fi; }

latency() {
  local d t
  log "streaming latency: $LATENCY_STREAMS connections, an event every 10 ms, ${LATENCY_SECONDS}s each"
  stream_load latency-warmup-tollgate 0 mode=latency streams="$LATENCY_STREAMS" duration=2 url="$TOLLGATE_URL/v1/messages" \
    key="$(tollgate_key latency)" body="$WORK/body-stream.json" expect="$LATENCY_EVENTS" >/dev/null
  d="$(stream_load latency-direct "$FAKE_PID" mode=latency streams="$LATENCY_STREAMS" duration="$LATENCY_SECONDS" \
    url="$FAKE_URL/v1/messages" key=sk-fake-latency body="$WORK/body-stream.json" expect="$LATENCY_EVENTS")"
  t="$(stream_load latency-tollgate "$TOLLGATE_PID" mode=latency streams="$LATENCY_STREAMS" duration="$LATENCY_SECONDS" \
    url="$TOLLGATE_URL/v1/messages" key="$(tollgate_key latency)" body="$WORK/body-stream.json" expect="$LATENCY_EVENTS")"
  local side line
  for side in direct tollgate; do
    if [[ "$side" == direct ]]; then line="$d"; else line="$t"; fi
    for f in opened errors merged ttfb_p50_us ttfb_p99_us gap_p50_us gap_p99_us events cpu_us_per_event_all; do
      record "lat_${side}_$f" "$(field "$line" "$f")"
    done
  done
}

burst() {
  local n d t
  log "bursts: $BURSTS new streams at once, an event every 100 ms"
  stream_load burst-warmup-tollgate 0 mode=burst streams=100 url="$TOLLGATE_URL/v1/messages" \
    key="$(tollgate_key burst)" body="$WORK/body-stream.json" expect="$BURST_EVENTS" >/dev/null
  for n in $BURSTS; do
    d="$(stream_load "burst$n-direct" "$FAKE_PID" mode=burst streams="$n" url="$FAKE_URL/v1/messages" key=sk-fake-burst \
      body="$WORK/body-stream.json" expect="$BURST_EVENTS")"
    t="$(stream_load "burst$n-tollgate" "$TOLLGATE_PID" mode=burst streams="$n" url="$TOLLGATE_URL/v1/messages" \
      key="$(tollgate_key burst)" body="$WORK/body-stream.json" expect="$BURST_EVENTS")"
    for f in errors ttfb_p50_us ttfb_p99_us; do
      record "burst${n}_direct_$f" "$(field "$d" "$f")"
      record "burst${n}_tollgate_$f" "$(field "$t" "$f")"
    done
    record "burst${n}_tollgate_cpu_us_per_stream" "$(field "$t" cpu_us_per_stream)"
    record "burst${n}_tollgate_cpu_us_per_event" "$(field "$t" cpu_us_per_event)"
  done
}

hold() {
  local n t
  # Tollgate holds two descriptors per stream (the client's connection and the upstream's): a stream count
  # the open-file limit cannot take is cut to what it can, and the table says so.
  local limit fit
  limit="$(ulimit -n)"
  fit=$(( (limit - 1500) / 2 / 250 * 250 ))
  for n in $HOLDS; do
    local held="$n"
    if (( held > fit )); then
      held="$fit"
      log "the open-file limit ($limit) allows $held streams, not $n"
      record "hold${n}_note" "${held}_of_${n}:_open-file_limit_${limit}"
    fi
    log "holding $held slow streams (an event every 50-100 ms, about 23 s each) on a fresh Tollgate"
    stop_tollgate
    start_tollgate "hold$n"
    t="$(stream_load "hold$n" "$TOLLGATE_PID" mode=hold streams="$held" rate="$HOLD_RATE" url="$TOLLGATE_URL/v1/messages" \
      key="$(tollgate_key slow)" body="$WORK/body-stream.json" expect="$SLOW_EVENTS" timeout=240)"
    record "hold${n}_held" "$held"
    for f in opened completed errors error_kinds max_open events merged ttfb_p50_us gap_p50_us gap_p99_us \
      cpu_us_per_event_all rss_peak_kb hwm_kb; do
      record "hold${n}_$f" "$(field "$t" "$f")"
    done
  done
}

# PII redaction of a 1 MB Claude Code-like request with every detector on (in-process, no HTTP).
measure_redaction() {
  local cp="$ROOT/routing-core/target/test-classes:$(cat "$ROOT/gateway-api/target/bench-classpath.txt")"
  echo
  "$JAVA" -Xms256m -Xmx512m -cp "$cp" io.tollgate.routing.redact.RedactionBenchmark 1 2>&1 | tail -1
}

value() { sed -n "s/^$1=//p" "$RESULTS" | tail -1; }

# The table: every goal of the performance work, the direct figure, Tollgate's figure, the ratio or the
# difference, and whether the goal is met.
report() {
  local commit load
  commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then commit="$commit+dirty"; fi
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'Tollgate vs direct to the same fake upstream, one run: %s, commit %s, %s mode, load %s\n' \
    "$(date -u '+%Y-%m-%d %H:%M UTC')" "$commit" "$([[ $QUICK == 1 ]] && echo quick || echo full)" "$load"
  printf 'Tollgate JVM: %s\n\n' "${TOLLGATE_JAVA_OPTS:-$(default_jvm_options)}"
  printf '%-44s %12s %12s %12s %12s %5s\n' "measure" "direct" "tollgate" "ratio/added" "goal" "met"
  awk -F= '
    function row(name, d, t, r, goal, met) { printf "%-44s %12s %12s %12s %12s %5s\n", name, d, t, r, goal, met }
    function has(k) { return (k in v) && v[k] != "" }
    function yes(ok) { return ok ? "yes" : "NO" }
    function ms(us) { return sprintf("%.2f ms", us / 1000) }
    function sizes(prefix, out,   k, n, i, j, t, m) {
      n = 0
      for (k in v) if (k ~ ("^" prefix "[0-9]+_")) { m = k; sub("^" prefix, "", m); sub(/_.*/, "", m); if (!(m in seen_)) { seen_[m] = 1; out[++n] = m + 0 } }
      for (i = 2; i <= n; i++) for (j = i; j > 1 && out[j - 1] > out[j]; j--) { t = out[j]; out[j] = out[j - 1]; out[j - 1] = t }
      delete seen_
      return n
    }
    { v[$1] = $2 }
    END {
    split("plain stream converted", kinds, " ")
    label["plain"] = "non-streaming"; label["stream"] = "streaming"; label["converted"] = "converted (OpenAI) stream"
    if (has("warmup_s")) row("warm-up until the JIT settled", "", sprintf("%d s", v["warmup_s"]), sprintf("JIT %.1f s", v["warmup_jit_ms"] / 1000), "", "")
    for (i = 1; i <= 3; i++) for (c = 16; c <= 64; c *= 4) {
      k = "tp_" kinds[i] "_c" c
      if (!has(k "_direct_rps")) continue
      ratio = v[k "_tollgate_rps"] / v[k "_direct_rps"]
      row("throughput " label[kinds[i]] " c=" c, sprintf("%.0f/s", v[k "_direct_rps"]), sprintf("%.0f/s", v[k "_tollgate_rps"]),
        sprintf("%.3f", ratio), ">= 0.6", yes(ratio >= 0.6) (v[k "_errors"] > 0 ? " err" : ""))
    }
    for (i = 1; i <= 2; i++) {
      k = "tp_" kinds[i] "_c1"
      if (!has(k "_direct_p50_us")) continue
      added = v[k "_tollgate_p50_us"] - v[k "_direct_p50_us"]
      row("added p50 " label[kinds[i]] " c=1", ms(v[k "_direct_p50_us"]), ms(v[k "_tollgate_p50_us"]),
        sprintf("%+.2f ms", added / 1000), "<= 0.2 ms", yes(added <= 200))
    }
    for (i = 1; i <= 3; i++) for (c = 16; c <= 64; c *= 4) {
      k = "tp_" kinds[i] "_c" c
      if (has(k "_cpu_us_per_request")) row("tollgate CPU per request " label[kinds[i]] " c=" c, "", sprintf("%d us", v[k "_cpu_us_per_request"]), "", "", "")
    }
    if (has("lat_direct_ttfb_p50_us")) {
      added = v["lat_tollgate_ttfb_p50_us"] - v["lat_direct_ttfb_p50_us"]
      row("stream TTFB p50 (4 streams, event/10 ms)", ms(v["lat_direct_ttfb_p50_us"]), ms(v["lat_tollgate_ttfb_p50_us"]),
        sprintf("%+.2f ms", added / 1000), "<= 0.3 ms", yes(added <= 300))
      added = v["lat_tollgate_gap_p99_us"] - v["lat_direct_gap_p99_us"]
      row("stream inter-event gap p99", ms(v["lat_direct_gap_p99_us"]), ms(v["lat_tollgate_gap_p99_us"]),
        sprintf("%+.2f ms", added / 1000), "<= 1 ms", yes(added <= 1000))
      row("stream events merged into one read", v["lat_direct_merged"] "/" v["lat_direct_events"],
        v["lat_tollgate_merged"] "/" v["lat_tollgate_events"], "", "0", yes(v["lat_tollgate_merged"] == 0))
      row("stream errors", v["lat_direct_errors"], v["lat_tollgate_errors"], "", "0", yes(v["lat_tollgate_errors"] + v["lat_direct_errors"] == 0))
    }
    nb = sizes("burst", bursts)
    for (b = 1; b <= nb; b++) {
      n = bursts[b]; k = "burst" n
      if (!has(k "_direct_ttfb_p50_us")) continue
      goal = (n <= 200) ? 50000 : 300000
      added = v[k "_tollgate_ttfb_p50_us"] - v[k "_direct_ttfb_p50_us"]
      row("burst " n " streams: TTFB p50", ms(v[k "_direct_ttfb_p50_us"]), ms(v[k "_tollgate_ttfb_p50_us"]),
        sprintf("%+.1f ms", added / 1000), sprintf("<= %d ms", goal / 1000), yes(added <= goal))
      row("burst " n " streams: TTFB p99", ms(v[k "_direct_ttfb_p99_us"]), ms(v[k "_tollgate_ttfb_p99_us"]),
        sprintf("%+.1f ms", (v[k "_tollgate_ttfb_p99_us"] - v[k "_direct_ttfb_p99_us"]) / 1000), "", "")
      row("burst " n " streams: errors", v[k "_direct_errors"], v[k "_tollgate_errors"], "", "0", yes(v[k "_direct_errors"] + v[k "_tollgate_errors"] == 0))
      row("burst " n ": CPU per new stream / per event", "", v[k "_tollgate_cpu_us_per_stream"] " us", v[k "_tollgate_cpu_us_per_event"] " us", "", "")
    }
    nh = sizes("hold", holds)
    for (h = 1; h <= nh; h++) {
      n = holds[h]; k = "hold" n
      if (!has(k "_opened")) continue
      goal = (n <= 1000) ? 300 : 512
      gone = (v[k "_hwm_kb"] + 0 <= 0)
      mb = (gone ? v[k "_rss_peak_kb"] : v[k "_hwm_kb"]) / 1024
      if (gone) row(n " slow streams: TOLLGATE EXITED during the run (see its log)", "", "", "", "", "NO")
      held = has(k "_held") ? v[k "_held"] : n
      if (has(k "_note")) row(n " slow streams: held " v[k "_note"], "", "", "", "", "")
      row(n " slow streams: completed / errors", "", v[k "_completed"] "/" held, v[k "_errors"] " err", "0 errors", yes(v[k "_errors"] == 0 && v[k "_completed"] == held))
      row(n " slow streams: most open at once", "", v[k "_max_open"], "", "", "")
      row(n " slow streams: peak RSS (VmHWM" (gone ? ", sampled" : "") ")", "", sprintf("%.0f MB", mb), "", sprintf("<= %d MB", goal), yes(mb <= goal && !gone))
      row(n " slow streams: CPU per delivered event", "", gone ? "n/a" : v[k "_cpu_us_per_event_all"] " us", "", "", "")
      row(n " slow streams: gap p50 / p99 (sent 50-100)", "", ms(v[k "_gap_p50_us"]), ms(v[k "_gap_p99_us"]), "", "")
      if (v[k "_error_kinds"] != "-") row(n " slow streams: error kinds " v[k "_error_kinds"], "", "", "", "", "")
    }
    if (has("startup_ms")) row("startup, launch to first answer (embedded H2)", "", sprintf("%.2f s", v["startup_ms"] / 1000), "", "<= 5 s", yes(v["startup_ms"] <= 5000))
    if (has("startup_cds_ms")) row("startup from the image " (v["startup_archive"] == "aot" ? "AOT cache" : "CDS archive"), "", sprintf("%.2f s", v["startup_cds_ms"] / 1000), "", "<= 5 s", yes(v["startup_cds_ms"] <= 5000))
  }' "$RESULTS"
  HISTORY_COMMIT="$commit"; HISTORY_LOAD="$load"
}

# One row per run: the commit and the figures the goals speak of, so that a regression shows.
append_history() {
  [[ "${BENCH_NO_HISTORY:-0}" == 1 ]] && return
  local file="$BENCH/history.tsv" cols col line
  HISTORY_COMMIT="${HISTORY_COMMIT:-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)}"
  HISTORY_LOAD="${HISTORY_LOAD:-$(cut -d' ' -f1 /proc/loadavg)}"
  cols="tp_plain_c16 tp_plain_c64 tp_stream_c16 tp_stream_c64 tp_converted_c16 tp_converted_c64 add_p50_plain_c1_us add_p50_stream_c1_us add_ttfb_p50_us add_gap_p99_us burst200_add_p50_ms burst1000_add_p50_ms hold1000_errors hold1000_rss_mb hold10000_errors hold10000_rss_mb hold10000_cpu_us_event startup_ms"
  if [[ ! -f "$file" ]]; then printf 'date\tcommit\tmode\tload1\t%s\n' "${cols// /$'\t'}" >"$file"; fi
  line="$(date -u +%Y-%m-%dT%H:%MZ)	$HISTORY_COMMIT	$([[ $QUICK == 1 ]] && echo quick || echo full)	${HISTORY_LOAD%% *}"
  for col in $cols; do line+=$'\t'"$(history_value "$col")"; done
  echo "$line" >>"$file"
}

history_value() {
  local col="$1" a b
  ratio() { a="$(value "$1")"; b="$(value "$2")"; [[ -n "$a" && -n "$b" ]] && awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", a / b }' || echo -; }
  diff_of() { a="$(value "$1")"; b="$(value "$2")"; [[ -n "$a" && -n "$b" ]] && awk -v a="$a" -v b="$b" -v s="${3:-1}" 'BEGIN { printf "%.0f", (a - b) / s }' || echo -; }
  case "$col" in
    tp_*) ratio "${col}_tollgate_rps" "${col}_direct_rps" ;;
    add_p50_plain_c1_us) diff_of tp_plain_c1_tollgate_p50_us tp_plain_c1_direct_p50_us ;;
    add_p50_stream_c1_us) diff_of tp_stream_c1_tollgate_p50_us tp_stream_c1_direct_p50_us ;;
    add_ttfb_p50_us) diff_of lat_tollgate_ttfb_p50_us lat_direct_ttfb_p50_us ;;
    add_gap_p99_us) diff_of lat_tollgate_gap_p99_us lat_direct_gap_p99_us ;;
    burst*_add_p50_ms) local n="${col%%_*}"; diff_of "${n}_tollgate_ttfb_p50_us" "${n}_direct_ttfb_p50_us" 1000 ;;
    hold*_errors) echo "$(value "${col}")" ;;
    hold*_rss_mb)
      a="$(value "${col%_rss_mb}_hwm_kb")"; b="$(value "${col%_rss_mb}_rss_peak_kb")"
      if [[ -z "$a" ]]; then echo -; elif (( a > 0 )); then echo $(( a / 1024 )); else echo "$(( ${b:-0} / 1024 ))(exited)"; fi ;;
    hold10000_cpu_us_event)
      a="$(value hold10000_cpu_us_per_event_all)"; b="$(value hold10000_hwm_kb)"
      if [[ -n "$b" ]] && (( b <= 0 )); then echo -; else echo "${a:--}"; fi ;;
    startup_ms) a="$(value startup_ms)"; echo "${a:--}" ;;
  esac
}

main() {
  ensure_tools
  JDK="$(find_jdk)"
  JAVA="$JDK/bin/java"
  mkdir -p "$OUT"
  : >"$RESULTS"
  log "JDK: $JDK; output: $OUT"
  build
  start_fake
  FAKE_URL="http://127.0.0.1:$FAKE_PORT"
  log "fake upstream on $FAKE_URL"
  dump_bodies
  check_target direct "$FAKE_URL/v1/messages" "$UPSTREAM_KEY" plain stream || die "the fake upstream does not answer correctly"
  check_target direct "$FAKE_URL/v1/chat/completions" "$UPSTREAM_KEY" openai-stream || die "the fake upstream does not answer OpenAI requests"
  write_bootstrap
  start_tollgate main
  record startup_ms "$STARTUP_MS"
  TOLLGATE_URL="http://127.0.0.1:$TOLLGATE_PORT"
  check_target tollgate "$TOLLGATE_URL/v1/messages" "$(tollgate_key bench)" plain stream || die "Tollgate cannot serve /v1/messages"
  check_target tollgate "$TOLLGATE_URL/v1/messages" "$(tollgate_key openai)" stream || die "Tollgate cannot serve a converted stream"
  [[ "$SCENARIOS" == *" throughput "* ]] && throughput
  [[ "$SCENARIOS" == *" latency "* ]] && latency
  [[ "$SCENARIOS" == *" burst "* ]] && burst
  record main_hwm_kb "$(awk '/VmHWM/ { print $2 }' "/proc/$TOLLGATE_PID/status")"
  [[ "$SCENARIOS" == *" hold "* ]] && hold
  [[ "$SCENARIOS" == *" startup "* ]] && startup_cds
  stop_tollgate
  report >"$OUT/summary.txt"
  cat "$OUT/summary.txt"
  measure_redaction | tee -a "$OUT/summary.txt"
  mkdir -p "$BENCH/out"
  cp "$OUT/summary.txt" "$BENCH/out/latest.txt"
  append_history
  log "results in $OUT (history: bench/history.tsv)"
}

# bench/profile.sh reuses the functions above
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then main "$@"; fi
