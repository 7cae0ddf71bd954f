#!/usr/bin/env bash
# Profiles Tollgate under one of the bench's loads with JFR and prints where the CPU and the allocations go
# (bench/jfr-top.py), for the findings in bench/README.md:
#
#   bench/profile.sh plain|stream|converted [CONNECTIONS] [SECONDS]
#   bench/profile.sh burst [STREAMS] [ROUNDS]
#   bench/profile.sh hold [STREAMS]
#
# Tollgate starts as in bench/run.sh (same bootstrap, same JVM options), is warmed up with the same load,
# then recorded (jcmd JFR.start, settings=profile) while the load runs again. Output: the recording and
# the summary in bench/out/<timestamp>/. The environment variables of bench/run.sh apply.
set -euo pipefail
# shellcheck source=run.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/run.sh"

load() {
  local kind="$1" size="$2" seconds="$3" dmode tmode tkey
  case "$kind" in
    plain|stream|converted)
      read -r dmode tmode tkey <<<"$(kind_modes "$kind")"
      run_wrk "profile" "$TOLLGATE_URL/v1/messages" "$tkey" "$tmode" "$size" "${seconds}s" ;;
    burst)
      for _ in $(seq "$seconds"); do
        stream_load profile-burst "$TOLLGATE_PID" mode=burst streams="$size" url="$TOLLGATE_URL/v1/messages" \
          key="$(tollgate_key burst)" body="$WORK/body-stream.json" expect="$BURST_EVENTS"
      done ;;
    hold)
      stream_load profile-hold "$TOLLGATE_PID" mode=hold streams="$size" rate="$HOLD_RATE" url="$TOLLGATE_URL/v1/messages" \
        key="$(tollgate_key slow)" body="$WORK/body-stream.json" expect="$SLOW_EVENTS" timeout=240 ;;
    *) die "unknown load $kind" ;;
  esac
}

profile_main() {
  local kind="${1:-plain}" size="${2:-16}" seconds="${3:-15}"
  if [[ "$kind" == burst ]]; then size="${2:-1000}"; seconds="${3:-3}"; fi
  if [[ "$kind" == hold ]]; then size="${2:-1000}"; fi
  ensure_tools
  JDK="$(find_jdk)"
  JAVA="$JDK/bin/java"
  mkdir -p "$OUT"
  : >"$RESULTS"
  build
  start_fake
  FAKE_URL="http://127.0.0.1:$FAKE_PORT"
  dump_bodies
  write_bootstrap
  start_tollgate profile
  TOLLGATE_URL="http://127.0.0.1:$TOLLGATE_PORT"
  case "$kind" in
    plain|stream|converted) log "warming up until the JIT settles"; warm_up ;;
    burst) log "warming up"; load "$kind" "$size" "$seconds" >/dev/null ;;
  esac
  "$JDK/bin/jcmd" "$TOLLGATE_PID" JFR.start name=bench settings=profile >/dev/null
  log "recording $kind ($size)"
  load "$kind" "$size" "$seconds" | tee "$OUT/profile-load.txt"
  "$JDK/bin/jcmd" "$TOLLGATE_PID" JFR.stop name=bench filename="$OUT/profile.jfr" >/dev/null
  PATH="$JDK/bin:$PATH" python3 "$BENCH/jfr-top.py" "$OUT/profile.jfr" --thread "${PROFILE_THREAD:-}" | tee "$OUT/profile.txt"
  log "recording: $OUT/profile.jfr"
}

profile_main "$@"
