#!/usr/bin/env bash
# Report-folder faults a test process cannot stage by itself (needs root to mount): a demo
# server saves its reports (PROFILING_OUTPUT_DIR) into a 64 KB tmpfs, which
#   0. fills up to its reserve (PROFILING_OUTPUT_KEEP_FREE, by default 5%): saves are refused
#      with "nearly full" before the disk is full, and the reserve is left free;
#   1. fills up, with the reserve turned off: saves fail with ENOSPC ("No space left on device"),
#   2. is then remounted read-only: saves fail with EROFS.
# Every profiled request must still get its own response (200, the route's body) with either
# X-Profile-Report (saved, and the file complete) or X-Profile-Skipped; the reason must be in
# the server log; no partial report may be left behind; plain requests must still work.
#   3. A server restarted on the read-only folder starts, and its dashboard lists only the
#      saved reports that are there (read back from the folder's hidden index).
#
#   sudo env "PATH=$PATH" bash scripts/faults.sh [vapor|hummingbird]
#                                       PORT (default 8095), DEMO_CONFIGURATION, DEMO_SKIP_BUILD
# Plain `sudo scripts/faults.sh` loses swift: sudo sets PATH to its secure_path, without the
# toolchain. Run as root, swift leaves root-owned files under .build (the whole release build,
# unless DEMO_SKIP_BUILD=1 runs the demo you built before as yourself): give them back
# afterwards with `sudo chown -R "$USER" .build`.
set -euo pipefail

framework="${1:-vapor}"
port="${PORT:-8095}"
case "$framework" in
    vapor|hummingbird) ;;
    *) echo "usage: $0 [vapor|hummingbird]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null; then
    echo "swift is not on PATH ($PATH): under sudo, keep your PATH:" >&2
    echo "  sudo env \"PATH=\$PATH\" bash scripts/faults.sh $framework" >&2
    exit 1
fi
if [ -n "${SUDO_USER:-}" ]; then
    echo "note: swift run as root leaves root-owned files under .build; afterwards: sudo chown -R $SUDO_USER .build" >&2
fi

folder="$(mktemp -d)"
if ! mount -t tmpfs -o size=64k tmpfs "$folder" 2>/dev/null; then
    echo "skipped: mounting a tmpfs needs root (run as root or with sudo)" >&2
    rmdir "$folder"
    exit 77
fi
source scripts/lib/demo-server.sh
cleanup() { stop_demo_server; umount "$folder" 2>/dev/null || true; rmdir "$folder" 2>/dev/null || true; rm -f "$server_log_copy"; }
server_log_copy="$(mktemp)"
trap cleanup EXIT
DEMO_CONFIGURATION="${DEMO_CONFIGURATION:-release}" start_demo_server "$framework" "$port" \
    PROFILING_OUTPUT_DIR="$folder" PROFILING_MAX_CONCURRENT=4
base="http://127.0.0.1:$port"

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
saved=0 skipped=0
# One profiled, saved request: the route's own body must come back, with a report or a reason.
profiled() {  # route, expected body prefix, format
    local headers body code
    headers="$(mktemp)" body="$(mktemp)"
    code=$(curl -s -D "$headers" -o "$body" -w '%{http_code}' --max-time 60 "$base$1&profile=1&profile_format=$3") || code=000
    if [ "$code" != 200 ]; then fail "HTTP $code for $1 ($3)"; fi
    if ! head -c 200 "$body" | grep -q "$2"; then fail "$1 ($3): not the route's own body: $(head -c 100 "$body")"; fi
    local report reason samples
    report=$(sed -n 's/^[Xx]-[Pp]rofile-[Rr]eport: *\(.*\)\r$/\1/p' "$headers")
    reason=$(sed -n 's/^[Xx]-[Pp]rofile-[Ss]kipped: *\(.*\)\r$/\1/p' "$headers")
    samples=$(sed -n 's/^[Xx]-[Pp]rofile-[Ss]amples: *\(.*\)\r$/\1/p' "$headers")
    if [ -n "$report" ]; then
        saved=$((saved + 1))
        # A request shorter than the interval may have 0 samples: its collapsed stacks are empty.
        if [ "$3" = collapsed ] && [ "$samples" = 0 ]; then
            [ -e "$folder/$report" ] || fail "saved report $report missing"
        else
            [ -s "$folder/$report" ] || fail "saved report $report missing or empty (X-Profile-Samples: ${samples:-none})"
        fi
    elif [ -n "$reason" ]; then
        skipped=$((skipped + 1))
    else
        fail "$1 ($3): neither X-Profile-Report nor X-Profile-Skipped"
    fi
    rm -f "$headers" "$body"
}
plain_ok() { curl -fs -o /dev/null --max-time 30 "$base/cpu?n=1000" || fail "plain request failed"; }

echo "phase 0: filling the 64 KB report folder up to its 5% reserve..." >&2
for round in $(seq 1 6); do
    for format in html json; do
        profiled "/cpu?n=20000" "primes below" "$format"
    done
    plain_ok
done
reserve_saved=$saved reserve_skipped=$skipped
[ "$reserve_skipped" -gt 0 ] || fail "the reserve never refused a report (saved $reserve_saved)"
grep -q "free on the file system of" "$demo_server_log" || fail "the server log does not name the reserve"
! grep -q "could not save the report in.*No space left on device" "$demo_server_log" || fail "a report met ENOSPC with the reserve on"
free_bytes=$(( $(stat -f -c '%a * %S' "$folder") ))  # the index's lines may take the reserve's last page
stop_demo_server
DEMO_SKIP_BUILD=1 DEMO_CONFIGURATION="${DEMO_CONFIGURATION:-release}" start_demo_server "$framework" "$port" \
    PROFILING_OUTPUT_DIR="$folder" PROFILING_MAX_CONCURRENT=4 PROFILING_OUTPUT_KEEP_FREE=0
saved=0 skipped=0

echo "phase 1: filling the rest of the folder, reserve off..." >&2
for round in $(seq 1 6); do
    for format in html text json speedscope collapsed pprof; do
        profiled "/cpu?n=20000" "primes below" "$format"
    done
    plain_ok
done
cp "$demo_server_log" "$server_log_copy"
full_saved=$saved full_skipped=$skipped
[ "$full_skipped" -gt 0 ] || fail "the folder never filled up (saved $full_saved)"
grep -q "No space left on device" "$server_log_copy" || fail "the server log does not name ENOSPC"
# A failed save must not leave a partial report: every file is one a response named... and complete.
complete() {  # a saved report's path: true when the file is whole
    case "$1" in
        *.json) python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1" 2>/dev/null ;;
        *.html) grep -q "</html>" "$1" ;;
        *.pb.gz) gzip -t "$1" 2>/dev/null ;;
        *) [ -e "$1" ] ;;
    esac
}
for file in "$folder"/*; do
    [ -e "$file" ] || continue
    complete "$file" || fail "partial report left: $(basename "$file")"
done

echo "phase 2: report folder remounted read-only..." >&2
mount -o remount,ro "$folder"
saved=0 skipped=0
for format in html text json speedscope collapsed pprof; do
    profiled "/json?count=50" '\[' "$format"
    plain_ok
done
[ "$saved" -eq 0 ] && [ "$skipped" -eq 6 ] || fail "read-only folder: saved $saved, skipped $skipped of 6"
grep -q "Read-only file system" "$demo_server_log" || fail "the server log does not name EROFS"
plain_ok

echo "phase 3: restart on the read-only folder..." >&2
# The dashboard (on in the demos) lists the saved reports from the folder's hidden index, which
# filled up with the reports: the restarted server must start, and list only reports that are
# there, complete, and were listed before (an index line the full disk cut short is skipped).
listed() { curl -fs --max-time 30 "$base/_profiler/profiles.json" | python3 -c 'import json,sys; print("\n".join(p["file"] for p in json.load(sys.stdin)))'; }
before_restart="$(listed)" || fail "profiles.json before the restart"
stop_demo_server
DEMO_SKIP_BUILD=1 DEMO_CONFIGURATION="${DEMO_CONFIGURATION:-release}" start_demo_server "$framework" "$port" \
    PROFILING_OUTPUT_DIR="$folder" PROFILING_MAX_CONCURRENT=4 PROFILING_OUTPUT_KEEP_FREE=0 || { fail "the server did not start on the read-only folder"; exit 1; }
after_restart="$(listed)" || fail "profiles.json after the restart"
for file in $after_restart; do
    complete "$folder/$file" || fail "listed after the restart but missing or partial: $file"
    grep -qxF "$file" <<<"$before_restart" || fail "listed after the restart but not before: $file"
done
index_lines=$(grep -c '' "$folder/.profiles.jsonl" 2>/dev/null || echo 0)
listed_count=$(grep -c . <<<"$after_restart" || true)
[ "$listed_count" -gt 0 ] || fail "no report listed after the restart (index: $index_lines lines)"
profiled "/json?count=50" '\[' json
plain_ok

printf '%-52s %s\n' "folder at its reserve: saved / skipped, bytes free" "$reserve_saved / $reserve_skipped, $free_bytes"
printf '%-52s %s\n' "full folder: saved / skipped (ENOSPC)" "$full_saved / $full_skipped"
printf '%-52s %s\n' "read-only folder: saved / skipped (EROFS)" "$saved / $skipped"
printf '%-52s %s\n' "restarted: reports listed / before / index lines" "$listed_count / $(grep -c . <<<"$before_restart" || true) / $index_lines"
printf '%-52s %s\n' "failures (lost request, wrong body, 5xx, partial file)" "$failures"
[ "$failures" -eq 0 ] && echo "$framework report-folder faults: PASS" || { echo "$framework report-folder faults: FAIL"; exit 1; }
