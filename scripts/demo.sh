#!/usr/bin/env bash
# Profiles one CPU-bound request of a demo server into an HTML report:
# builds and starts the demo, waits until it answers, fetches
# /cpu?profile=1&profile_format=html into the report file, and stops the server.
#
#   scripts/demo.sh [vapor|hummingbird] [report file]    (default: vapor, and the repository's reports/demo-cpu.html)
#
# PORT (default 8080) picks the port. Needs swift and curl.
set -euo pipefail

framework="${1:-vapor}"
report="${2:-reports/demo-cpu.html}"
# A report file given on the command line is relative to where the script was called from; the
# default one to the repository (the script moves there below).
if [ -n "${2:-}" ] && [ "${report#/}" = "$report" ]; then report="$PWD/$report"; fi
port="${PORT:-8080}"
case "$framework" in
    vapor|hummingbird) ;;
    *) echo "usage: $0 [vapor|hummingbird] [report file]" >&2; exit 2 ;;
esac

cd "$(dirname "$0")/.."
source scripts/lib/demo-server.sh
start_demo_server "$framework" "$port"

mkdir -p "$(dirname "$report")"
curl -fsS -o "$report" "http://127.0.0.1:$port/cpu?profile=1&profile_format=html"
if ! grep -qi "<!doctype html" "$report"; then
    echo "the response is not an HTML report:" >&2
    head -c 500 "$report" >&2
    exit 1
fi
echo "$framework: profiled GET /cpu into $report ($(wc -c <"$report") bytes); open it in a browser" >&2
