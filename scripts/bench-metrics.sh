#!/usr/bin/env bash
# Throughput of a demo's /hello (Hummingbird's, or Vapor's with DEMO=vapor) with request
# metrics off, on (100% sampling, JSONL exporter, swift-metrics into swift-prometheus) and on
# with auto-capture at rate 0.01,
# measured with wrk on loopback, in one run. Goals: metrics on / off >= 0.97, with
# auto-capture / off >= 0.95. Installs wrk (apt) if missing; needs two cores. Stops, with the
# reason, when a port is already in use, a server does not answer, or a wrk run fails, gets
# error responses or socket errors, or reports no rate.
#
# How, and why so. This machine is a shared VM: two identical servers loaded one after the
# other differ by 12% (standard deviation) from one second to the next, more than the effect
# measured. So two servers are loaded at the same moment, each pinned (every thread of it) with
# its own wrk to one of the two cores, and the machine's swings hit both alike. A core may be
# faster than the other, so each pairing runs twice in a row with the cores swapped, and the
# ratio of that pair of rounds is the geometric mean of the two. Pairings alternate: off
# against metrics, off against auto-capture. As in production, the server's background threads
# (the metrics collector, the sampled thread) share the server's core: their cost is counted.
# Printed per configuration: the median of its ratios to off with a 95% interval (bootstrap
# over the pairs of rounds), the median throughput and the server's CPU time per request.
#
#   scripts/bench-metrics.sh          ROUNDS (48: 12 ratios per configuration), SECONDS_PER_RUN (2),
#                                     CONNECTIONS (32), PORT (8097, 8098, 8099),
#                                     DEMO (hummingbird or vapor)
#   CALIBRATE=1 scripts/bench-metrics.sh   all three servers with everything off (an A/A run):
#                                          how far apart identical servers come out here
#   REFERENCE=1 scripts/bench-metrics.sh   a yardstick: the third server runs the framework's own
#                                          request metrics (Hummingbird's MetricsMiddleware,
#                                          Vapor's reportMetrics, into the same swift-prometheus)
#                                          instead of auto-capture, and every server has the
#                                          framework's metrics off but that one
set -euo pipefail

rounds="${ROUNDS:-48}"
run_seconds="${SECONDS_PER_RUN:-2}"
connections="${CONNECTIONS:-32}"
port="${PORT:-8097}"
case "${DEMO:-hummingbird}" in
    hummingbird) product=HummingbirdDemo ;;
    vapor) product=VaporDemo ;;
    *) echo "DEMO must be hummingbird or vapor, not '${DEMO}'" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
source scripts/lib/ensure-command.sh
source scripts/lib/demo-server.sh  # ensure_port_free
ensure_command wrk wrk
ensure_command taskset util-linux
if [ "$(nproc)" -lt 2 ]; then
    echo "bench-metrics.sh needs two cores (one per server and its wrk); this machine has $(nproc)" >&2
    exit 1
fi

lock=(); if command -v flock >/dev/null && [ -z "${BUILD_LOCK_HELD:-}" ]; then lock=(flock /tmp/vapor-build.lock); fi
echo "building $product (release)..." >&2
"${lock[@]}" swift build -c release --product "$product" --quiet >&2
binary="$(swift build -c release --product "$product" --show-bin-path)/$product"

work="$(mktemp -d)"
declare -A server_pid=() server_port=()
stop_servers() {
    for config in "${!server_pid[@]}"; do kill "${server_pid[$config]}" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap 'stop_servers; rm -rf "$work"' EXIT

# Every configuration sets every variable, so the demo's own defaults never leak in.
config_env() {
    # LOG_LEVEL: Vapor logs every request at info level by default; the measure is not the console.
    local common=(PROFILING_ENABLED=0 PROFILING_DASHBOARD= PROFILING_OUTPUT_DIR="$work/reports-$1" LOG_LEVEL=warning)
    local config="$1"
    [ -n "${CALIBRATE:-}" ] && config=off
    # Without REFERENCE the framework's metrics keep its default (Vapor's on, as in earlier runs).
    if [ -n "${REFERENCE:-}" ]; then
        common+=(DEMO_FRAMEWORK_METRICS="$([ "$config" = framework ] && echo 1 || echo 0)")
    fi
    case "$config" in
        off|framework) echo "${common[@]}" PROFILING_METRICS=0 PROFILING_AUTO_RATE=0 ;;
        metrics) echo "${common[@]}" PROFILING_METRICS=1 PROFILING_METRICS_SAMPLE_RATE=1 PROFILING_METRICS_DIR="$work/events-$1" PROFILING_AUTO_RATE=0 ;;
        auto) echo "${common[@]}" PROFILING_METRICS=1 PROFILING_METRICS_SAMPLE_RATE=1 PROFILING_METRICS_DIR="$work/events-$1" PROFILING_AUTO_RATE=0.01 ;;
    esac
}

# A run's request rate, printed; or, with the reason, a failure: wrk's error responses and
# socket errors would count as throughput, and a missing or zero rate would spoil the ratios.
run_rate() {  # what (for the message), configuration, wrk's output
    local rate
    if grep -qE "Non-2xx or 3xx responses|Socket errors" "$3"; then
        echo "$1: wrk against the $2 server (port ${server_port[$2]}) had errors:" >&2
        cat "$3" >&2
        echo "the end of the $2 server's log:" >&2
        tail -n 20 "$work/server-$2.log" >&2
        return 1
    fi
    rate="$(awk '/Requests\/sec/ {print $2}' "$3")"
    if ! awk -v rate="$rate" 'BEGIN { exit !(rate ~ /^[0-9]+(\.[0-9]+)?$/ && rate + 0 > 0) }'; then
        echo "$1: no request rate from wrk against the $2 server (port ${server_port[$2]}): '$rate'" >&2
        cat "$3" >&2
        return 1
    fi
    echo "$rate"
}

configs=(off metrics auto)
[ -n "${REFERENCE:-}" ] && configs=(off metrics framework)
offset=0
for config in "${configs[@]}"; do
    server_port[$config]=$((port + offset)); offset=$((offset + 1))
    # A server left on the port would answer the readiness check while this one fails to bind.
    ensure_port_free "${server_port[$config]}" || exit 1
    # shellcheck disable=SC2046
    env PORT="${server_port[$config]}" $(config_env "$config") "$binary" >"$work/server-$config.log" 2>&1 &
    server_pid[$config]=$!
done
for config in "${configs[@]}"; do
    url="http://127.0.0.1:${server_port[$config]}/hello"
    ready=""
    for _ in $(seq 1 300); do
        kill -0 "${server_pid[$config]}" 2>/dev/null || break
        if curl -fs -o /dev/null "$url"; then ready=1; break; fi
        sleep 0.1
    done
    if [ -z "$ready" ] || ! kill -0 "${server_pid[$config]}" 2>/dev/null; then
        echo "the $config server (port ${server_port[$config]}) exited or did not answer within 30 s:" >&2
        cat "$work/server-$config.log" >&2
        exit 1
    fi
    wrk -t1 -c"$connections" -d1s "$url" >"$work/wrk-warmup-$config"
    run_rate warm-up "$config" "$work/wrk-warmup-$config" >/dev/null || exit 1
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Pins every thread of a server (threads it starts later inherit it) to one core.
pin() { taskset -a -p -c "$2" "${server_pid[$1]}" >/dev/null; }

: >"$work/runs"
for round in $(seq 0 $((rounds - 1))); do
    # Rounds 0-1: off against metrics, cores swapped between them; rounds 2-3: against auto; ...
    other="${configs[$(( (round / 2) % 2 + 1 ))]}"
    off_core=$((round % 2)); other_core=$((1 - off_core))
    pin off "$off_core"; pin "$other" "$other_core"
    declare -A before=() output=() client=() rate=()
    for config in off "$other"; do
        core="$off_core"; [ "$config" = off ] || core="$other_core"
        before[$config]="$(cpu_ticks "${server_pid[$config]}")"
        output[$config]="$work/wrk-$round-$config"
        taskset -c "$core" wrk -t1 -c"$connections" -d"${run_seconds}s" \
            "http://127.0.0.1:${server_port[$config]}/hello" >"${output[$config]}" &
        client[$config]=$!
    done
    # Each wrk's own status: `wait A B` would return only B's.
    for config in off "$other"; do
        status=0
        wait "${client[$config]}" || status=$?
        if [ "$status" -ne 0 ]; then
            echo "round $round: wrk against the $config server exited with status $status" >&2
            cat "${output[$config]}" >&2
            exit 1
        fi
    done
    for config in off "$other"; do
        rate[$config]="$(run_rate "round $round" "$config" "${output[$config]}")" || exit 1
        ticks=$(( $(cpu_ticks "${server_pid[$config]}") - before[$config] ))
        echo "$round $config ${rate[$config]} $ticks" >>"$work/runs"
    done
    printf 'round %2d  off (core %d) %9s req/s   %-7s (core %d) %9s req/s\n' "$round" "$off_core" \
        "${rate[off]}" "$other" "$other_core" "${rate[$other]}" >&2
done

python3 - "$work" "$run_seconds" "$(getconf CLK_TCK)" "$connections" "${configs[2]}" <<'PY'
import os, random, statistics, sys
work, seconds, ticks_per_second, connections, third = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
rounds = {}
for line in open(os.path.join(work, "runs")):
    round_, config, rps, ticks = line.split()
    rounds.setdefault(int(round_), {})[config] = (float(rps), int(ticks))
def ratios(config):
    """One ratio per pair of rounds (cores swapped): the geometric mean of the two."""
    found = []
    for first in sorted(rounds):
        second = rounds.get(first + 1)
        if first % 2 or config not in rounds[first] or not second or config not in second:
            continue
        a = rounds[first][config][0] / rounds[first]["off"][0]
        b = second[config][0] / second["off"][0]
        found.append((a * b) ** 0.5)
    return found
def interval(values, draws=4000):
    generator = random.Random(1)
    medians = sorted(statistics.median(generator.choices(values, k=len(values))) for _ in range(draws))
    return medians[int(draws * 0.025)], medians[int(draws * 0.975) - 1]
def runs(config): return [r[config] for r in rounds.values() if config in r]
def cpu_us(config): return statistics.median([ticks / ticks_per_second / (rps * seconds) * 1e6 for rps, ticks in runs(config)])
print(f"{os.environ.get('DEMO', 'hummingbird')} demo's /hello throughput, wrk -t1 -c{connections}, {len(rounds)} rounds of {seconds:g} s, two servers at a time, each with its wrk on its own core")
print(f"  {'configuration':36} {'median req/s':>12} {'CPU/request':>12}   ratio to off: median [95% interval], pairs of rounds")
print(f"  {'metrics off':36} {statistics.median(r for r, _ in runs('off')):12.0f} {cpu_us('off'):9.1f} µs")
others = {
    "auto": ("+ auto-capture rate 0.01", 0.95),
    "framework": ("the framework's own metrics only", None),
}
rows = (("metrics", "metrics on (100%, JSONL + metrics)", 0.97), (third, *others[third]))
if os.environ.get("CALIBRATE"):
    # An A/A run: every server is off, so the rows name servers, not configurations.
    rows = (("metrics", "second server, also off (A/A)", None), (third, "third server, also off (A/A)", None))
for config, label, goal in rows:
    values = ratios(config)
    if len(values) < 2:
        print(f"  {label:36} too few rounds for a ratio")
        continue
    low, high = interval(values)
    print(f"  {label:36} {statistics.median(r for r, _ in runs(config)):12.0f} {cpu_us(config):9.1f} µs"
          f"   {statistics.median(values):.3f} [{low:.3f}, {high:.3f}], {len(values)}" + (f"  (goal >= {goal})" if goal else ""))
def size(prefix):
    total = 0
    for root, _, files in os.walk(work):
        if os.path.basename(root).startswith(prefix):
            total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total
kept = sum(len([f for f in files if not f.startswith(".")]) for root, _, files in os.walk(work) if os.path.basename(root) == "reports-auto")
print(f"  JSONL on disk (the newest PROFILING_METRICS_KEEP_FILES files): {size('events-') / 1e6:.1f} MB; automatic reports kept: {kept}")
PY
