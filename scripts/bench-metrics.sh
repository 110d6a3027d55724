#!/usr/bin/env bash
# Throughput of the Hummingbird demo's /hello with request metrics off, on (100% sampling,
# JSONL exporter, swift-metrics into swift-prometheus) and on with auto-capture at rate 0.01,
# measured with wrk on loopback, in one run. This machine is shared and noisy (one
# configuration's runs alone spread by 1.5x), so the three servers run side by side and wrk
# visits them in turn, ROUNDS times, each round in a rotated order: a round's three runs share
# the machine's state of the moment. Printed: the median of the per-round ratios (the figure
# to quote), the median throughputs, and each server's CPU time per request (from /proc).
# Goals: metrics on / off >= 0.97, with auto-capture / off >= 0.95. Installs wrk (apt) if missing.
#
#   scripts/bench-metrics.sh          ROUNDS (12), SECONDS_PER_RUN (3), CONNECTIONS (32), PORT (8097, 8098, 8099)
#   CALIBRATE=1 scripts/bench-metrics.sh   all three servers with everything off (an A/A run):
#                                          how far apart identical servers come out here
set -euo pipefail

rounds="${ROUNDS:-12}"
run_seconds="${SECONDS_PER_RUN:-3}"
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
declare -A server_pid=() server_port=()
stop_servers() {
    for config in "${!server_pid[@]}"; do kill "${server_pid[$config]}" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap 'stop_servers; rm -rf "$work"' EXIT

# Every configuration sets every variable, so the demo's own defaults never leak in.
config_env() {
    local common=(PROFILING_ENABLED=0 PROFILING_DASHBOARD= PROFILING_OUTPUT_DIR="$work/reports-$1")
    local config="$1"
    [ -n "${CALIBRATE:-}" ] && config=off
    case "$config" in
        off) echo "${common[@]}" PROFILING_METRICS=0 PROFILING_AUTO_RATE=0 ;;
        metrics) echo "${common[@]}" PROFILING_METRICS=1 PROFILING_METRICS_SAMPLE_RATE=1 PROFILING_METRICS_DIR="$work/events-$1" PROFILING_AUTO_RATE=0 ;;
        auto) echo "${common[@]}" PROFILING_METRICS=1 PROFILING_METRICS_SAMPLE_RATE=1 PROFILING_METRICS_DIR="$work/events-$1" PROFILING_AUTO_RATE=0.01 ;;
    esac
}

configs=(off metrics auto)
offset=0
for config in "${configs[@]}"; do
    server_port[$config]=$((port + offset)); offset=$((offset + 1))
    # shellcheck disable=SC2046
    env PORT="${server_port[$config]}" $(config_env "$config") "$binary" >"$work/server-$config.log" 2>&1 &
    server_pid[$config]=$!
done
for config in "${configs[@]}"; do
    url="http://127.0.0.1:${server_port[$config]}/hello"
    for _ in $(seq 1 100); do curl -fs -o /dev/null "$url" && break; sleep 0.1; done
    wrk -t1 -c"$connections" -d1s "$url" >/dev/null
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

: >"$work/runs"
for round in $(seq 1 "$rounds"); do
    # Rotate the order, so that no configuration always runs first (or right after another).
    shift_by=$(( (round - 1) % 3 ))
    order=("${configs[@]:$shift_by}" "${configs[@]:0:$shift_by}")
    for config in "${order[@]}"; do
        before="$(cpu_ticks "${server_pid[$config]}")"
        rps="$(wrk -t1 -c"$connections" -d"${run_seconds}s" "http://127.0.0.1:${server_port[$config]}/hello" | awk '/Requests\/sec/ {print $2}')"
        after="$(cpu_ticks "${server_pid[$config]}")"
        echo "$round $config $rps $((after - before))" >>"$work/runs"
        printf 'round %2d  %-8s %10s req/s\n' "$round" "$config" "$rps" >&2
    done
done

python3 - "$work" "$run_seconds" "$(getconf CLK_TCK)" <<'PY'
import os, statistics, sys
work, seconds, ticks_per_second = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
rounds = {}
for line in open(os.path.join(work, "runs")):
    round_, config, rps, ticks = line.split()
    rounds.setdefault(round_, {})[config] = (float(rps), int(ticks))
complete = [r for r in rounds.values() if len(r) == 3]
def median(values): return statistics.median(values)
def cpu_us(config):
    return median([r[config][1] / ticks_per_second / (r[config][0] * seconds) * 1e6 for r in complete])
ratio_metrics = median([r["metrics"][0] / r["off"][0] for r in complete])
ratio_auto = median([r["auto"][0] / r["off"][0] for r in complete])
def size(prefix):
    total = 0
    for root, _, files in os.walk(work):
        if os.path.basename(root).startswith(prefix):
            total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total
kept = sum(len(files) for root, _, files in os.walk(work) if os.path.basename(root) == "reports-auto")
print(f"/hello throughput, wrk -t1 -c{os.environ.get('CONNECTIONS', '32')}, {len(complete)} rounds of {seconds:g} s per configuration, servers side by side")
print(f"  {'configuration':36} {'median req/s':>12} {'CPU/request':>12}   median of per-round ratios")
print(f"  {'metrics off':36} {median([r['off'][0] for r in complete]):12.0f} {cpu_us('off'):9.1f} µs")
print(f"  {'metrics on (100%, JSONL + metrics)':36} {median([r['metrics'][0] for r in complete]):12.0f} {cpu_us('metrics'):9.1f} µs   {ratio_metrics:.3f}  (goal >= 0.97)")
print(f"  {'+ auto-capture rate 0.01':36} {median([r['auto'][0] for r in complete]):12.0f} {cpu_us('auto'):9.1f} µs   {ratio_auto:.3f}  (goal >= 0.95)")
print(f"  JSONL written: {size('events-') / 1e6:.1f} MB; automatic reports kept: {kept}")
PY
