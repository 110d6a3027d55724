#!/usr/bin/env bash
# Load test of a demo server built in release, on loopback only, bounded in count and time:
#   1. warm-up: every demo route profiled once in every format (each report validated), over
#      as many concurrent connections as the load uses: glibc gives each thread that allocates
#      an arena of its own (up to 8 per core), and a sequential warm-up left those to be
#      created, and counted as growth, during the load (measured: with MALLOC_ARENA_MAX=2 the
#      Hummingbird demo's growth fell from +11% to +10%);
#   2. settle: the load's own mix, smaller (SETTLE_PLAIN plain, SETTLE_PROFILED profiled), so
#      that what a server keeps by design reaches its working set before the baseline: the
#      symbolizer's caches and the line tables libdw decodes for code that samples first
#      reach. Measured on Vapor (2026-12-05, malloc_stats after each round of 1,000 profiled +
#      10,000 plain): the live heap grew 6 to 17 MB in the first round and stayed within
#      1.4 MB over the five after it, so growth measured from the warm-up alone was that
#      first round, not a leak;
#   3. resident memory (VmRSS), the live heap (glibc's malloc_stats through gdb), thread and
#      descriptor counts of the server recorded;
#   4. wrk over 16 connections: 100,000 plain and 2,000 profiled requests (0.1 ms interval,
#      every format) across the routes, each response checked (scripts/lib/loadtest.lua), while
#      a second client fetches 240 more profiled responses and parses each fully
#      (scripts/lib/loadtest-validate.py);
#   5. once the server is idle again, the same counts compared with step 3.
# Prints a table of the pass criteria and exits 1 if any fails: zero failures, every profiled
# response a valid report, RSS within 10% and the live heap within 5% of their settled values,
# no thread or descriptor left behind (the image files the symbolizer keeps open, one per image
# a sample first landed in, are counted apart: at most one per image mapped).
#
#   scripts/loadtest.sh [vapor|hummingbird]        PORT (default 8094), PLAIN, PROFILED,
#                                                  SETTLE_PLAIN (10,000), SETTLE_PROFILED (1,000),
#                                                  LOADTEST_TIME_LIMIT (s, default 600)
# Needs swift, curl, wrk, python3 and gdb (scripts/setup.sh installs them; this script installs
# gdb when it is missing).
set -euo pipefail

framework="${1:-vapor}"
port="${PORT:-8094}"
plain="${PLAIN:-100000}"
profiled="${PROFILED:-2000}"
settle_plain="${SETTLE_PLAIN:-10000}"
settle_profiled="${SETTLE_PROFILED:-1000}"
time_limit="${LOADTEST_TIME_LIMIT:-600}"
connections=16
wrk_threads=2
validated=240
case "$framework" in
    vapor|hummingbird) ;;
    *) echo "usage: $0 [vapor|hummingbird]" >&2; exit 2 ;;
esac
for tool in wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "$0 needs $tool (scripts/setup.sh installs it)" >&2; exit 2; }
done

cd "$(dirname "$0")/.."
source scripts/lib/ensure-command.sh
ensure_command gdb gdb
source scripts/lib/demo-server.sh
# Enough concurrent profiles for every connection plus the validating client, and 429 rather
# than a silent unprofiled answer if that were ever exceeded.
DEMO_CONFIGURATION=release start_demo_server "$framework" "$port" \
    PROFILING_MAX_CONCURRENT=32 PROFILING_OVER_LIMIT=reject LOG_LEVEL=warning
base="http://127.0.0.1:$port"
work="$(mktemp -d)"
trap 'stop_demo_server; rm -rf "$work"' EXIT

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$demo_server_pid/status"; }
# The heap (anonymous) and mapped files (code, debug info libdw reads) parts of RSS, in MB.
rss_parts() { awk '/^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } END { printf "anon %d + file %d", a / 1024, f / 1024 }' "/proc/$demo_server_pid/status"; }
threads() { ls "/proc/$demo_server_pid/task" | wc -l; }
descriptors() { ls "/proc/$demo_server_pid/fd" | wc -l; }
# The symbolizer (libdw) keeps each image it has read open: the executable, a shared library or
# its separate debug file, once a sample first lands in it. Those are bounded by the images
# mapped and counted apart; every other descriptor (sockets, pipes, timers, files) must not grow.
image_descriptors() {
    for fd in "/proc/$demo_server_pid/fd/"*; do readlink "$fd" 2>/dev/null; done \
        | grep -cE '\.so(\.[0-9]+)*$|\.debug$|/(VaporDemo|HummingbirdDemo)$' || true
}
# The heap's live bytes in KB: glibc's malloc_stats(), called through gdb, prints each arena and
# then the total to the server's stderr (its log); the last "in use bytes" line is the total.
# Unlike RSS it does not count free memory glibc's arenas keep, which moves by several MB from
# one idle moment to the next. -1 when gdb cannot attach (ptrace not allowed) or no new total
# reached the log, so that an earlier call's total is never taken for this one's.
live_heap_kb() {
    local totals_before
    totals_before=$(grep -c '^in use bytes' "$demo_server_log" || true)
    if ! gdb -p "$demo_server_pid" -batch -ex 'call (void)malloc_stats()' >/dev/null 2>&1; then echo -1; return; fi
    sleep 0.5
    awk -v before="$totals_before" '/^in use bytes/ { seen++; total = $NF }
        END { if (seen > before) print int(total / 1024); else print -1 }' "$demo_server_log"
}
# Runs the load's wrk script (PLAIN and PROFILED in all, split over its threads) into OUTPUT.
# wrk runs until the time limit even when every thread is done: it is interrupted then (on
# SIGINT it stops and reports as usual).
run_wrk() {
    local plain_count="$1" profiled_count="$2" output="$3" done_prefix="$4"
    wrk -t "$wrk_threads" -c "$connections" -d "${time_limit}s" --timeout 60s -s scripts/lib/loadtest.lua "$base" \
        -- $((plain_count / wrk_threads)) $((profiled_count / wrk_threads)) "$done_prefix" >"$output" 2>&1 &
    local wrk_pid=$!
    while kill -0 "$wrk_pid" 2>/dev/null; do
        if [ "$(ls "$(dirname "$done_prefix")" | grep -c "^$(basename "$done_prefix")")" -ge "$wrk_threads" ]; then
            kill -INT "$wrk_pid" 2>/dev/null || true
            break
        fi
        sleep 0.5
    done
    wait "$wrk_pid" || true
}
mapped_images() { awk '$6 ~ /^\// { print $6 }' "/proc/$demo_server_pid/maps" | sort -u | wc -l; }
# What each open descriptor points at (file, socket, pipe, anon inode), to name any left behind.
descriptor_targets() { for fd in "/proc/$demo_server_pid/fd/"*; do readlink "$fd" 2>/dev/null; done | sed 's/\[[0-9]*\]$/[]/' | sort; }

echo "warm-up: every route in every format..." >&2
python3 scripts/lib/loadtest-validate.py "$base" --every-route-once --workers "$connections" | tee "$work/warmup" >&2
grep -q " invalid=0 " "$work/warmup" || { echo "warm-up reports are not valid" >&2; exit 1; }
sleep 3
warmup_rss=$(rss_kb) warmup_heap=$(live_heap_kb)

echo "settle: $settle_plain plain + $settle_profiled profiled requests, the load's mix..." >&2
run_wrk "$settle_plain" "$settle_profiled" "$work/wrk-settle" "$work/settle-done-"
settle_failures=$(sed -n 's/.*LOADTEST .*\bfailures=\([0-9]*\).*/\1/p' "$work/wrk-settle")
grep -h "LOADTEST " "$work/wrk-settle" >&2 || true
[ "${settle_failures:--1}" -eq 0 ] || { echo "the settle phase had failures" >&2; cat "$work/wrk-settle" >&2; exit 1; }
sleep 3
warm_rss=$(rss_kb) warm_heap=$(live_heap_kb) warm_parts=$(rss_parts) warm_threads=$(threads) warm_fds=$(descriptors) warm_image_fds=$(image_descriptors)
descriptor_targets >"$work/fds-warm"

echo "load: $plain plain + $profiled profiled requests over $connections connections..." >&2
python3 scripts/lib/loadtest-validate.py "$base" --count "$validated" --workers 4 >"$work/validate" 2>&1 &
validator=$!
peak_rss=$warm_rss
( while kill -0 "$validator" 2>/dev/null || [ ! -e "$work/wrk-done" ]; do
      rss=$(rss_kb); [ "$rss" -gt "$peak_rss" ] && peak_rss=$rss; echo "$peak_rss" >"$work/peak"; sleep 1
  done ) &
sampler=$!
started=$SECONDS
run_wrk "$plain" "$profiled" "$work/wrk" "$work/thread-done-"
touch "$work/wrk-done"
validator_status=0
wait "$validator" || validator_status=$?
wait "$sampler" 2>/dev/null || true
load_seconds=$((SECONDS - started))
cat "$work/wrk" "$work/validate" >&2

# Let the server go idle: worker threads and sockets of the run may take a moment to close.
for _ in $(seq 1 30); do
    [ "$(threads)" -le "$warm_threads" ] && [ $(( $(descriptors) - $(image_descriptors) )) -le $((warm_fds - warm_image_fds)) ] && break
    sleep 1
done
sleep 2
after_rss=$(rss_kb) after_heap=$(live_heap_kb) after_parts=$(rss_parts) after_threads=$(threads) after_fds=$(descriptors) after_image_fds=$(image_descriptors)
images=$(mapped_images)
descriptor_targets >"$work/fds-after"
curl -fs -o /dev/null "$base/" && still_serving=yes || still_serving=no

field() { sed -n "s/.*LOADTEST .*\b$1=\([0-9.]*\).*/\1/p" "$work/wrk"; }
plain_ok=$(field plain_ok) profiled_ok=$(field profiled_ok) failures=$(field failures)
invalid=$(field invalid) socket_errors=$(field socket_errors)
validate_valid=$(sed -n 's/.*VALIDATE .* valid=\([0-9]*\) .*/\1/p' "$work/validate")
validate_invalid=$(sed -n 's/.*VALIDATE .* invalid=\([0-9]*\).*/\1/p' "$work/validate")
: "${plain_ok:=0}" "${profiled_ok:=0}" "${failures:=-1}" "${invalid:=-1}" "${socket_errors:=-1}"
: "${validate_valid:=0}" "${validate_invalid:=-1}"
rss_limit=$((warm_rss * 110 / 100))

status=0
row() {  # criterion, measured, required, pass?
    local verdict=PASS
    if [ "$4" != 1 ]; then verdict=FAIL; status=1; fi
    printf '%-44s %-26s %-22s %s\n' "$1" "$2" "$3" "$verdict"
}
ok() { if "$@"; then echo 1; else echo 0; fi; }
echo
echo "$framework demo (release), $connections connections, load phase ${load_seconds}s"
printf '%-44s %-26s %-22s %s\n' criterion measured required result
row "plain requests answered 2xx" "$plain_ok" ">= $plain" "$(ok [ "$plain_ok" -ge "$plain" ])"
row "profiled requests: valid reports (wrk)" "$profiled_ok" ">= $profiled" "$(ok [ "$profiled_ok" -ge "$profiled" ])"
row "failures (non-2xx, skipped, invalid)" "$failures" "0" "$(ok [ "$failures" -eq 0 ])"
row "socket errors (connect/read/write/timeout)" "$socket_errors" "0" "$(ok [ "$socket_errors" -eq 0 ])"
row "reports fully parsed during the load" "$validate_valid of $validated" "all, >= 200" \
    "$(ok [ "$validator_status" -eq 0 -a "$validate_invalid" -eq 0 -a "$validate_valid" -ge 200 ])"
row "RSS settled -> after load (MB)" "$((warm_rss / 1024)) -> $((after_rss / 1024)) (peak $(( $(cat "$work/peak" 2>/dev/null || echo "$warm_rss") / 1024)))" "<= $((rss_limit / 1024)) (+10%)" \
    "$(ok [ "$after_rss" -le "$rss_limit" ])"
if [ "$warm_heap" -ge 0 ] && [ "$after_heap" -ge 0 ]; then
    heap_limit=$((warm_heap * 105 / 100))
    row "live heap settled -> after load (MB)" "$((warm_heap / 1024)).$(( warm_heap % 1024 * 10 / 1024 )) -> $((after_heap / 1024)).$(( after_heap % 1024 * 10 / 1024 ))" "<= $((heap_limit / 1024)).$(( heap_limit % 1024 * 10 / 1024 )) (+5%)" \
        "$(ok [ "$after_heap" -le "$heap_limit" ])"
else
    row "live heap settled -> after load" "not measured" "gdb could not attach" 0
fi
echo "  RSS parts (MB): settled $warm_parts; after load $after_parts"
echo "  before the settle phase (after the warm-up): RSS $((warmup_rss / 1024)) MB, live heap $((warmup_heap / 1024)) MB"
row "threads settled -> after load" "$warm_threads -> $after_threads" "<= $warm_threads" "$(ok [ "$after_threads" -le "$warm_threads" ])"
warm_other=$((warm_fds - warm_image_fds)) after_other=$((after_fds - after_image_fds))
row "descriptors (not images) settled -> after" "$warm_other -> $after_other" "<= $warm_other" "$(ok [ "$after_other" -le "$warm_other" ])"
row "image files held by libdw settled -> after" "$warm_image_fds -> $after_image_fds" "<= $images (images mapped)" "$(ok [ "$after_image_fds" -le "$images" ])"
row "server still serving" "$still_serving" "yes" "$(ok [ "$still_serving" = yes ])"
if [ "$after_fds" -ne "$warm_fds" ]; then
    echo "descriptors opened (+) or closed (-) since the settle phase:"
    diff "$work/fds-warm" "$work/fds-after" | grep '^[<>]' | sed 's/^</-/; s/^>/+/' || true
fi
grep -h "LOADTEST_FORMATS\|LOADTEST_FIRST_FAILURE\|VALIDATE_PROBLEM" "$work/wrk" "$work/validate" || true
[ $status -eq 0 ] && echo "$framework load test: PASS" || echo "$framework load test: FAIL"
exit $status
