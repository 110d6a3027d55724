#!/usr/bin/env bash
# Throughput of the Hummingbird demo's /hello with request metrics off, on (100% sampling,
# JSONL exporter, swift-metrics into swift-prometheus) and on with auto-capture at rate 0.01,
# measured with wrk on loopback. The three configurations alternate, ROUNDS times each, in one
# run (this machine is shared and noisy); the ratios of the medians are printed.
# Goals: metrics on / off >= 0.97, with auto-capture / off >= 0.95. Installs wrk (apt) if missing.
#
#   scripts/bench-metrics.sh          ROUNDS (5), SECONDS_PER_RUN (5), CONNECTIONS (32), PORT (8097)
set -euo pipefail

rounds="${ROUNDS:-5}"
run_seconds="${SECONDS_PER_RUN:-5}"
connections="${CONNECTIONS:-32}"
port="${PORT:-8097}"
cd "$(dirname "$0")/.."
source scripts/lib/ensure-command.sh
ensure_command wrk wrk

lock=(); if command -v flock >/dev/null && [ -z "${BUILD_LOCK_HELD:-}" ]; then lock=(flock /tmp/vapor-build.lock); fi
echo "building HummingbirdDemo (release)..." >&2
"${lock[@]}" swift build -c release --product HummingbirdDemo --quiet >&2
binary="$(swift build -c release --product HummingbirdDemo --show-bin-path)/HummingbirdDemo"

work="$(mktemp -d)"
server_pid=""
stop_server() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    server_pid=""
}
trap 'stop_server; rm -rf "$work"' EXIT

# Every configuration sets every variable, so the demo's own defaults never leak in.
config_env() {
    local common=(PROFILING_ENABLED=0 PROFILING_DASHBOARD= PROFILING_OUTPUT_DIR="$work/reports")
    case "$1" in
        off) echo "${common[@]}" PROFILING_METRICS=0 PROFILING_AUTO_RATE=0 ;;
        metrics) echo "${common[@]}" PROFILING_METRICS=1 PROFILING_METRICS_SAMPLE_RATE=1 PROFILING_METRICS_DIR="$work/events" PROFILING_AUTO_RATE=0 ;;
        auto) echo "${common[@]}" PROFILING_METRICS=1 PROFILING_METRICS_SAMPLE_RATE=1 PROFILING_METRICS_DIR="$work/events" PROFILING_AUTO_RATE=0.01 ;;
    esac
}

# One run: fresh server, 1 s warm-up, then wrk for run_seconds; sets `rps`. Not run in a
# $(...) subshell: that would run the EXIT trap (and delete the work folder) after each run.
measure() {
    # shellcheck disable=SC2046
    env PORT="$port" $(config_env "$1") "$binary" >"$work/server-$1.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        curl -fs -o /dev/null "http://127.0.0.1:$port/hello" && break
        sleep 0.1
    done
    wrk -t1 -c"$connections" -d1s "http://127.0.0.1:$port/hello" >/dev/null
    rps="$(wrk -t1 -c"$connections" -d"${run_seconds}s" "http://127.0.0.1:$port/hello" | awk '/Requests\/sec/ {print $2}')"
    stop_server
}

declare -A results=([off]="" [metrics]="" [auto]="")
for round in $(seq 1 "$rounds"); do
    for config in off metrics auto; do
        measure "$config"
        results[$config]+="$rps "
        printf 'round %d  %-8s %10s req/s\n' "$round" "$config" "$rps" >&2
    done
done

python3 - "${results[off]}" "${results[metrics]}" "${results[auto]}" "$work" <<'PY'
import os, statistics, sys
off, metrics, auto = (list(map(float, arg.split())) for arg in sys.argv[1:4])
work = sys.argv[4]
m_off, m_metrics, m_auto = (statistics.median(v) for v in (off, metrics, auto))
events = sum(os.path.getsize(os.path.join(work, "events", f)) for f in os.listdir(os.path.join(work, "events"))) if os.path.isdir(os.path.join(work, "events")) else 0
reports = len(os.listdir(os.path.join(work, "reports"))) if os.path.isdir(os.path.join(work, "reports")) else 0
print(f"/hello throughput, wrk -t1 -c{os.environ.get('CONNECTIONS', '32')}, median of {len(off)} alternating runs each")
print(f"  metrics off                         {m_off:10.0f} req/s")
print(f"  metrics on (100%, JSONL + metrics)  {m_metrics:10.0f} req/s   ratio {m_metrics / m_off:.3f}  (goal >= 0.97)")
print(f"  + auto-capture rate 0.01            {m_auto:10.0f} req/s   ratio {m_auto / m_off:.3f}  (goal >= 0.95)")
print(f"  JSONL written: {events / 1e6:.1f} MB; automatic reports kept: {reports}")
PY
