#!/usr/bin/env bash
# Scrapes a demo's /metrics with a real Prometheus server and queries the request profiler's
# series back through Prometheus's HTTP API: request_profiler_requests_total and
# request_profiler_request_duration_seconds_count must exist with route, method and status
# labels and non-zero values. Everything runs on loopback and is stopped at the end.
#
#   scripts/prometheus-check.sh [vapor|hummingbird]     PORT (default 8095), PROMETHEUS_PORT (9095)
#
# Installs Debian's `prometheus` package when it is missing.
set -euo pipefail

framework="${1:-hummingbird}"
port="${PORT:-8095}"
prometheus_port="${PROMETHEUS_PORT:-9095}"
cd "$(dirname "$0")/.."

source scripts/lib/ensure-command.sh
ensure_command prometheus prometheus
source scripts/lib/demo-server.sh
# A Prometheus already on that port would answer the queries below with its own series.
ensure_port_free "$prometheus_port"
start_demo_server "$framework" "$port" PROFILING_METRICS=1
work="$(mktemp -d)"
prometheus_pid=""
cleanup() {
    if [ -n "$prometheus_pid" ]; then kill "$prometheus_pid" 2>/dev/null || true; wait "$prometheus_pid" 2>/dev/null || true; fi
    stop_demo_server
    rm -rf "$work"
}
trap cleanup EXIT

echo "traffic: /hello, /cpu, /json and an unmatched path..." >&2
for _ in $(seq 1 40); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/hello" || { echo "FAIL: /hello did not answer 200" >&2; exit 1; }
    curl -s -o /dev/null "http://127.0.0.1:$port/no-such-route"
done
for _ in $(seq 1 5); do curl -fs -o /dev/null "http://127.0.0.1:$port/cpu?n=20000"; done
# Read whole, then searched: `curl | grep -q` under pipefail fails when grep stops reading early.
metrics_text="$(curl -fs "http://127.0.0.1:$port/metrics")" || metrics_text=""
grep -q '^request_profiler_requests_total' <<<"$metrics_text" \
    || { echo "FAIL: /metrics has no request_profiler_requests_total" >&2; exit 1; }

cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: demo
    static_configs:
      - targets: ["127.0.0.1:$port"]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
    --web.listen-address="127.0.0.1:$prometheus_port" >"$work/prometheus.log" 2>&1 &
prometheus_pid=$!

api="http://127.0.0.1:$prometheus_port/api/v1/query"
check_series() {  # metric name; waits up to 30 s for Prometheus to have scraped it
    local metric="$1" answer
    for _ in $(seq 1 60); do
        if ! kill -0 "$prometheus_pid" 2>/dev/null; then
            echo "FAIL: prometheus exited" >&2; tail -5 "$work/prometheus.log" >&2; exit 1
        fi
        answer="$(curl -fs -G --data-urlencode "query=$metric" "$api" 2>/dev/null || true)"
        if [ -n "$answer" ] && python3 - "$metric" "$answer" <<'PY'
import json, sys
metric, answer = sys.argv[1], json.loads(sys.argv[2])
series = answer.get("data", {}).get("result", [])
good = [s for s in series if {"route", "method", "status"} <= s["metric"].keys() and float(s["value"][1]) > 0]
if not good or not any(s["metric"]["route"] == "/hello" and s["metric"]["status"] == "200" for s in good):
    sys.exit(1)
for s in good:
    labels = s["metric"]
    print(f'  {metric}{{route="{labels["route"]}",method="{labels["method"]}",status="{labels["status"]}"}} = {s["value"][1]}')
PY
        then return 0; fi
        sleep 0.5
    done
    echo "FAIL: Prometheus has no $metric series with route/method/status labels and a value > 0" >&2
    echo "last answer: $answer" >&2
    tail -5 "$work/prometheus.log" >&2
    return 1
}

echo "Prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}') scraping $framework demo every 1 s; querying back:"
check_series request_profiler_requests_total
check_series request_profiler_request_duration_seconds_count
echo "OK: both series are in Prometheus with route, method and status labels"
