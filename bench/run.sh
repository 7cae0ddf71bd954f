#!/usr/bin/env bash
# Measures what Tollgate costs: wrk drives the fake upstream directly, then the same load through Tollgate
# (which forwards to that fake), non-streaming and streaming, at 1 and 16 connections, and prints throughput
# through Tollgate as a fraction of direct and the latency Tollgate adds, and last the time PII redaction takes
# for a 1 MB Claude Code-like request (RedactionBenchmark, CPU and wall time). See bench/README.md.
#
# Environment:
#   BENCH_DURATION     length of each measured wrk run (default 10s)
#   BENCH_WARMUP       length of each warm-up run (default 5s)
#   BENCH_SKIP_BUILD   1 to reuse the jar and classes already built
#   BENCH_DIRECT_ONLY  1 to measure the fake alone (no Tollgate)
#   BENCH_KEEP         1 to keep the temporary directory (bootstrap file, data dir)
#   FAKE_JAVA_OPTS     JVM options for the fake (default -Xms256m -Xmx256m)
#   TOLLGATE_JAVA_OPTS JVM options for Tollgate (default -Xms512m -Xmx512m)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-5s}"
STAMP="$(date +%Y%m%d-%H%M%S)"
OUT="$BENCH/out/$STAMP"
WORK="$(mktemp -d -t tollgate-bench.XXXXXX)"
KEY="tg-bench-key-000000000000000000000000"
UPSTREAM_KEY="sk-fake-bench"
PIDS=()

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
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

free_port() {
  local port
  for _ in $(seq 100); do
    port=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free port found"
}

# Waits until the URL answers HTTP at all (any status), or the process dies, or the time runs out.
wait_http() {
  local url="$1" pid="$2" seconds="$3" name="$4"
  for _ in $(seq $(( seconds * 4 ))); do
    kill -0 "$pid" 2>/dev/null || die "$name exited during startup (see $OUT/$name.log)"
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)" != 000 ]]; then return; fi
    sleep 0.25
  done
  die "$name did not answer $url within ${seconds}s (see $OUT/$name.log)"
}

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
}

build() {
  if [[ "${BENCH_SKIP_BUILD:-0}" == 1 ]]; then log "skipping the build"; return; fi
  log "building (mvnw package, test classes, test classpath)"
  # The formatter is skipped so that a benchmark never rewrites sources.
  # One reactor run, so the gateway's test classpath points at the sibling modules' fresh jars
  # (billing's test jar included) instead of whatever an earlier install left in ~/.m2.
  (cd "$ROOT" && JAVA_HOME="$JDK" ./mvnw -q -B -DskipTests -Dspring-javaformat.skip=true package \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt)
}

start_fake() {
  local cp
  cp="$ROOT/gateway-api/target/test-classes:$(cat "$ROOT/gateway-api/target/bench-classpath.txt")"
  # shellcheck disable=SC2086
  "$JAVA" ${FAKE_JAVA_OPTS:--Xms256m -Xmx256m} --enable-native-access=ALL-UNNAMED -cp "$cp" \
    io.tollgate.gateway.fake.FakeUpstreamMain 0 >"$OUT/fake.log" 2>&1 &
  PIDS+=("$!")
  local pid="$!"
  for _ in $(seq 120); do
    kill -0 "$pid" 2>/dev/null || die "the fake upstream exited (see $OUT/fake.log)"
    FAKE_PORT="$(sed -n 's#^fake-upstream listening on http://127.0.0.1:\([0-9]*\)$#\1#p' "$OUT/fake.log")"
    [[ -n "$FAKE_PORT" ]] && return
    sleep 0.25
  done
  die "the fake upstream did not start (see $OUT/fake.log)"
}

write_bootstrap() {
  cat >"$WORK/bootstrap.yml" <<EOF
tenants:
  - name: bench
    balance: "1000000"
accounts:
  - name: fake-anthropic
    platform: anthropic
    base-url: http://127.0.0.1:$FAKE_PORT
    credential: $UPSTREAM_KEY
groups:
  - name: bench
    platform: anthropic
    billing-mode: balance
    model-mapping:
      "claude-*": "claude-sonnet-4-5"
    accounts: [fake-anthropic]
prices:
  - model: "claude-*"
    input: "3"
    output: "15"
    cache-write-5m: "3.75"
    cache-write-1h: "6"
    cache-read: "0.30"
keys:
  - name: bench
    tenant: bench
    group: bench
    key: $KEY
EOF
  cp "$WORK/bootstrap.yml" "$OUT/bootstrap.yml"
}

start_tollgate() {
  local jar="$ROOT/gateway-api/target/tollgate.jar"
  [[ -f "$jar" ]] || die "$jar is missing"
  TOLLGATE_PORT="$(free_port)"
  mkdir -p "$WORK/data"
  # shellcheck disable=SC2086
  SERVER_PORT="$TOLLGATE_PORT" TOLLGATE_BOOTSTRAP_FILE="$WORK/bootstrap.yml" TOLLGATE_DATA_DIR="$WORK/data" \
    "$JAVA" ${TOLLGATE_JAVA_OPTS:--Xms512m -Xmx512m} --enable-native-access=ALL-UNNAMED -jar "$jar" >"$OUT/tollgate.log" 2>&1 &
  PIDS+=("$!")
  wait_http "http://127.0.0.1:$TOLLGATE_PORT/" "$!" 180 tollgate
}

# One request of each kind must succeed before anything is measured: a benchmark of error pages is worthless.
check_target() {
  local name="$1" url="$2" key="$3" mode body status
  for mode in plain stream; do
    body="$WORK/check-$name-$mode"
    status="$(curl -s -o "$body" -w '%{http_code}' --max-time 10 -H 'content-type: application/json' \
      -H 'anthropic-version: 2023-06-01' -H "x-api-key: $key" --data-binary "@$WORK/body-$mode.json" "$url" || true)"
    if [[ "$status" != 200 ]]; then
      log "$name answered $status to a $mode request:"; head -c 600 "$body" >&2 || true; echo >&2
      return 1
    fi
    if [[ "$mode" == stream ]] && ! grep -q '^event: message_stop' "$body"; then
      log "$name's stream has no message_stop:"; head -c 600 "$body" >&2; echo >&2
      return 1
    fi
  done
}

# Writes the two request bodies the Lua script sends, for the curl checks.
dump_bodies() {
  local mode
  for mode in plain stream; do
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

# run NAME URL KEY MODE CONNECTIONS DURATION -> prints the BENCH_RESULT line, saves wrk's whole output
run_wrk() {
  local name="$1" url="$2" key="$3" mode="$4" conns="$5" duration="$6" threads=1 file
  if (( conns > 1 )); then threads=2; fi
  file="$OUT/$name-$mode-c$conns.txt"
  wrk -t"$threads" -c"$conns" -d"$duration" --timeout 10s --latency -s "$BENCH/lua/messages.lua" "$url" \
    -- "$mode" "$key" >"$file" 2>&1 || die "wrk failed (see $file)"
  grep '^BENCH_RESULT' "$file" || die "no result in $file"
}

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

main() {
  ensure_tools
  JDK="$(find_jdk)"
  JAVA="$JDK/bin/java"
  mkdir -p "$OUT"
  log "JDK: $JDK; output: $OUT"
  build
  start_fake
  log "fake upstream on 127.0.0.1:$FAKE_PORT"
  dump_bodies
  local direct="http://127.0.0.1:$FAKE_PORT/v1/messages" through="" mode conns
  check_target direct "$direct" "$UPSTREAM_KEY" || die "the fake upstream does not answer correctly"

  local tollgate_ok=0
  if [[ "${BENCH_DIRECT_ONLY:-0}" != 1 ]]; then
    write_bootstrap
    start_tollgate
    through="http://127.0.0.1:$TOLLGATE_PORT/v1/messages"
    log "tollgate on 127.0.0.1:$TOLLGATE_PORT"
    if check_target tollgate "$through" "$KEY"; then
      tollgate_ok=1
    else
      log "Tollgate cannot serve /v1/messages: measuring direct only"
    fi
  fi

  log "warming up ($WARMUP per target and mode)"
  for mode in plain stream; do
    run_wrk warmup-direct "$direct" "$UPSTREAM_KEY" "$mode" 16 "$WARMUP" >/dev/null
    if (( tollgate_ok )); then run_wrk warmup-tollgate "$through" "$KEY" "$mode" 16 "$WARMUP" >/dev/null; fi
  done

  local results="$OUT/results.tsv"
  printf 'mode\tconnections\ttarget\trps\tp50_us\tp99_us\terrors\n' >"$results"
  for mode in plain stream; do
    for conns in 1 16; do
      log "measuring $mode c=$conns ($DURATION each)"
      local d t
      d="$(run_wrk direct "$direct" "$UPSTREAM_KEY" "$mode" "$conns" "$DURATION")"
      printf '%s\t%s\tdirect\t%s\t%s\t%s\t%s\n' "$mode" "$conns" "$(field "$d" rps)" "$(field "$d" p50_us)" \
        "$(field "$d" p99_us)" "$(errors "$d")" >>"$results"
      if (( tollgate_ok )); then
        t="$(run_wrk tollgate "$through" "$KEY" "$mode" "$conns" "$DURATION")"
        printf '%s\t%s\ttollgate\t%s\t%s\t%s\t%s\n' "$mode" "$conns" "$(field "$t" rps)" "$(field "$t" p50_us)" \
          "$(field "$t" p99_us)" "$(errors "$t")" >>"$results"
      fi
    done
  done
  report "$results" | tee "$OUT/summary.txt"
  measure_redaction | tee -a "$OUT/summary.txt"
  cp "$OUT/summary.txt" "$BENCH/out/latest.txt"
  if (( ! tollgate_ok )) && [[ "${BENCH_DIRECT_ONLY:-0}" != 1 ]]; then die "Tollgate was not measured"; fi
}

# PII redaction of a 1 MB Claude Code-like request with every detector on (in-process, no HTTP).
measure_redaction() {
  local cp="$ROOT/routing-core/target/test-classes:$(cat "$ROOT/gateway-api/target/bench-classpath.txt")"
  echo
  "$JAVA" -Xms256m -Xmx512m -cp "$cp" io.tollgate.routing.redact.RedactionBenchmark 1 2>&1 | tail -1
}

errors() {
  local line="$1" sum=0 kind
  for kind in connect read write status timeout; do sum=$(( sum + $(field "$line" "errors_$kind") )); done
  echo "$sum"
}

report() {
  awk -F'\t' -v duration="$DURATION" '
    NR == 1 { next }
    { key = $1 "\t" $2; rps[key, $3] = $4; p50[key, $3] = $5; p99[key, $3] = $6; err[key, $3] = $7; seen[key] = 1; order[++n] = key }
    function ms(us) { return sprintf("%.2f", us / 1000) }
    END {
      printf "Tollgate vs direct to the fake upstream, %s per run (latencies in ms)\n\n", duration
      printf "%-18s %10s %10s %7s %9s %9s %9s %9s %9s %9s %7s\n", "scenario", "direct/s", "tollgate/s", "ratio",
        "p50 dir", "p50 tg", "+p50", "p99 dir", "p99 tg", "+p99", "errors"
      for (i = 1; i <= n; i++) {
        key = order[i]; if (done[key]++) continue
        split(key, k, "\t"); name = (k[1] == "plain" ? "non-streaming" : "streaming") " c=" k[2]
        if ((key, "tollgate") in rps) {
          printf "%-18s %10.0f %10.0f %7.3f %9s %9s %9s %9s %9s %9s %7d\n", name, rps[key, "direct"], rps[key, "tollgate"],
            rps[key, "tollgate"] / rps[key, "direct"], ms(p50[key, "direct"]), ms(p50[key, "tollgate"]),
            ms(p50[key, "tollgate"] - p50[key, "direct"]), ms(p99[key, "direct"]), ms(p99[key, "tollgate"]),
            ms(p99[key, "tollgate"] - p99[key, "direct"]), err[key, "direct"] + err[key, "tollgate"]
        } else {
          printf "%-18s %10.0f %10s %7s %9s %9s %9s %9s %9s %9s %7d\n", name, rps[key, "direct"], "-", "-",
            ms(p50[key, "direct"]), "-", "-", ms(p99[key, "direct"]), "-", "-", err[key, "direct"]
        }
      }
    }' "$1"
}

main "$@"
