#!/usr/bin/env bash
# Runs the sampler's tests (Tests/RequestProfilerTests: signal handler, sessions, unwinding,
# symbolizer) under AddressSanitizer and ThreadSanitizer, each in its own scratch path
# (.build-asan, .build-tsan) so the sanitized builds never mix with the normal .build.
# Without the Vapor/Hummingbird traits: the adapters are not under test here.
#
#   scripts/sanitize.sh [address|thread ...]          (default: address thread)
#
# Suppressions, if any, live in scripts/lib/tsan-suppressions.txt with the reason for each.
set -euo pipefail
cd "$(dirname "$0")/.."

sanitizers=("$@")
[ ${#sanitizers[@]} -gt 0 ] || sanitizers=(address thread)
filter="${SANITIZE_FILTER:-RequestProfilerTests}"
status=0
for sanitizer in "${sanitizers[@]}"; do
    # Tests whose premise a sanitizer changes (not memory or thread errors; each reason below)
    # are skipped under it:
    # - callersOfLibcFunctionsAreRecovered: ASan and TSan intercept read() and write(), so the
    #   frame above libc's read is the sanitizer's interceptor, not the test's caller.
    # - sampleCountMatchesDurationOverInterval: measures sample counts against time; the
    #   sanitizer runtime's overhead on a shared machine misses its 10% bound.
    # Under ThreadSanitizer, which delivers asynchronous signals only at its own safe points
    # inside its runtime (built without frame pointers), also:
    # - handlerInstalledBeforeOursStillGetsItsSignals: deferred kill() signals coalesce, so the
    #   other handler's count is not exact (checked without TSan, and under ASan);
    # - aFullBufferCountsDroppedSamplesInsteadOfOverwriting: a sample taken inside the TSan
    #   runtime loses the frame-pointer chain of the deep recursion the test measures;
    # - symbolsAndLinesResolve: samples taken where TSan delivers the signal add frames of its
    #   runtime, a few of them unnamed, around the test's 99% bound.
    skip="callersOfLibcFunctionsAreRecovered|sampleCountMatchesDurationOverInterval"
    case "$sanitizer" in
        address) scratch=.build-asan ;;
        thread) scratch=.build-tsan
            skip="$skip|handlerInstalledBeforeOursStillGetsItsSignals|aFullBufferCountsDroppedSamplesInsteadOfOverwriting|symbolsAndLinesResolve" ;;
        *) echo "unknown sanitizer '$sanitizer': use address or thread" >&2; exit 2 ;;
    esac
    echo "== $sanitizer sanitizer ($scratch) ==" >&2
    # halt_on_error: the first report fails the run instead of scrolling past.
    # detect_stack_use_after_return=0: ASan would move stack frames to a heap "fake stack",
    # where the sampler (which follows frame pointers only within the thread's stack) loses
    # the callers the tests look for.
    export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=1:detect_stack_use_after_return=0"
    # The Swift runtime's crash backtracer would read arbitrary memory under the sanitizer and hang.
    export SWIFT_BACKTRACE=enable=no
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/lib/tsan-suppressions.txt"
    if swift test --disable-default-traits --scratch-path "$scratch" --sanitize="$sanitizer" \
        --no-parallel --filter "$filter" --skip "$skip"; then
        echo "$sanitizer sanitizer: clean" >&2
    else
        echo "$sanitizer sanitizer: FAILED" >&2
        status=1
    fi
done
exit $status
