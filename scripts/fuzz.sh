#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer) of the query and settings parsers: QueryString, the
# trigger's parameter parsing, ProfilingSettings(environment:) and ReportFileName (target:
# Tests/Fuzz/ParserFuzzer). Builds it with -sanitize=fuzzer plus AddressSanitizer in its own
# scratch path (.build-fuzz, without the Vapor/Hummingbird traits), runs it for SECONDS
# (default 60) from the committed seed corpus Tests/Fuzz/corpus (new inputs go to a scratch
# copy), and fails on any crash, sanitizer report or broken invariant; the input that caused
# it is saved as .build-fuzz/findings/crash-*.
#
#   scripts/fuzz.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
scratch=.build-fuzz
product=RequestProfilerParserFuzzer
flags=(--disable-default-traits --scratch-path "$scratch" --product "$product"
       --sanitize=address -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING)
echo "building $product with libFuzzer and ASan..." >&2
swift build "${flags[@]}" --quiet >&2
binary="$(swift build "${flags[@]}" --show-bin-path)/$product"

corpus="$scratch/corpus"
findings="$scratch/findings"
mkdir -p "$corpus" "$findings"
# The seeds the scratch corpus lacks (not `cp -n`: coreutils 9.2-9.4 fail when it skips a file).
for seed in Tests/Fuzz/corpus/*; do
    [ -e "$corpus/${seed##*/}" ] || cp "$seed" "$corpus/"
done
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"
# The Swift runtime's crash backtracer reads arbitrary memory, which ASan reports instead of the crash.
export SWIFT_BACKTRACE=enable=no
echo "fuzzing for ${seconds}s..." >&2
status=0 verdict="no findings"
# The pipeline's statuses: the fuzzer's own is the first (grep's 1 only says no line matched).
pipe=(0 0 0)
"$binary" "$corpus" Tests/Fuzz/corpus -max_total_time="$seconds" -max_len=70000 -timeout=10 \
    -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$findings/" 2>&1 | tee "$scratch/fuzz.log" | grep -E "^#[0-9]+ +(INITED|DONE|pulse)|stat::|ERROR|SUMMARY|Test unit written|==[0-9]+==" >&2 \
    || pipe=("${PIPESTATUS[@]}")
fuzzer_status="${pipe[0]}"
if grep -qE "ERROR: libFuzzer|ERROR: AddressSanitizer|Fatal error|Test unit written" "$scratch/fuzz.log"; then
    # libFuzzer exits non-zero on a finding: that is this case, reported as a finding.
    echo "fuzzing found a problem: see $scratch/fuzz.log and $findings/" >&2
    status=1 verdict=FINDINGS
elif [ "$fuzzer_status" -ne 0 ] || [ "${pipe[1]}" -ne 0 ]; then
    # No finding, yet a failure: the binary did not load or start, was killed, or the log
    # could not be written.
    echo "the fuzzer exited with status $fuzzer_status (tee: ${pipe[1]}) without a finding; the end of $scratch/fuzz.log:" >&2
    tail -n 20 "$scratch/fuzz.log" >&2
    status=1 verdict="FAILED (no finding)"
fi
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/fuzz.log" | tail -1)
echo "fuzz: ${runs:-?} executions in ${seconds}s, corpus $(ls "$corpus" | wc -l) inputs, $verdict" >&2
exit $status
