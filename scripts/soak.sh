#!/usr/bin/env bash
# Soak test of a demo server under profiling: for DURATION seconds (default 60), six client
# loops on loopback send profiled requests (0.1 ms interval, text/pprof/html, up to the
# concurrency limit) to every route, beside unprofiled traffic. Fails if any request gets an
# unexpected status or the server stops answering.
#
#   scripts/soak.sh [vapor|hummingbird] [seconds]        PORT (default 8093)
set -euo pipefail

framework="${1:-vapor}"
duration="${2:-60}"
port="${PORT:-8093}"
case "$framework" in
    vapor|hummingbird) ;;
    *) echo "usage: $0 [vapor|hummingbird] [seconds]" >&2; exit 2 ;;
esac

cd "$(dirname "$0")/.."
source scripts/lib/demo-server.sh
start_demo_server "$framework" "$port" PROFILING_MAX_CONCURRENT=4
failures="$(mktemp)"
trap 'stop_demo_server; rm -f "$failures"' EXIT

end=$((SECONDS + duration))
worker() {  # route, extra query, name
    local ok=0 code
    while [ $SECONDS -lt $end ]; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "http://127.0.0.1:$port$1$2") || code=000
        # 429: over the profiling concurrency limit is an expected answer when rejecting.
        if [ "$code" = 200 ] || [ "$code" = 429 ]; then ok=$((ok + 1)); else echo "$3: HTTP $code for $1$2" >>"$failures"; fi
    done
    echo "$3: $ok requests answered" >&2
}
workers=()
worker "/cpu?n=200000" "&profile=1&profile_interval=0.1ms&profile_format=text" cpu-profiled & workers+=($!)
worker "/sleep?ms=30" "&profile=1&profile_format=pprof" sleep-profiled & workers+=($!)
worker "/json?count=2000" "&profile=1&profile_interval=0.1ms" json-profiled & workers+=($!)
worker "/db?q=item-7" "&profile=1" db-profiled & workers+=($!)
worker "/cpu?n=100000" "" cpu & workers+=($!)
worker "/json?count=500" "" json & workers+=($!)
wait "${workers[@]}"  # not a bare `wait`: the server is a background job too
curl -fs -o /dev/null "http://127.0.0.1:$port/" || echo "server stopped answering" >>"$failures"
if [ -s "$failures" ]; then
    sort "$failures" | uniq -c >&2
    exit 1
fi
echo "$framework soak: no failures in ${duration}s" >&2
