#!/usr/bin/env bash
# Profiles the same ground-truth workload with pyinstrument (Python, from PyPI) and with this
# profiler (Swift, release build), and prints side by side, from one run of each:
#   - CPU overhead: the workload's CPU time profiled / unprofiled (fixed work, so a profiler's
#     cost shows as more CPU; median of 3 alternating pairs)
#   - accuracy: each function's share of the sampled time against its share of the CPU time
#     measured around each call (thread CPU clock); max error in percentage points
#   - share of wall time sampled: samples taken x interval / the run's wall time
#
# The workload (both languages): three functions doing the same work (one small function call
# per step) in fixed amounts 50:30:20, interleaved over 10 rounds, about 1 s of CPU, plus one
# 200 ms sleep in the middle. Both profilers sample every 1 ms (pyinstrument's default).
#
# Usage: bash scripts/compare-pyinstrument.sh
# Installs pyinstrument into a virtualenv under ${XDG_CACHE_HOME:-~/.cache} when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${XDG_CACHE_HOME:-$HOME/.cache}/swift-request-profiler/pyinstrument-venv"
source scripts/lib/ensure-command.sh
ensure_command python3 python3
if ! "$venv/bin/python" -c "import pyinstrument" 2>/dev/null; then
  echo "compare: installing pyinstrument from PyPI into $venv" >&2
  # Debian's python3 makes virtualenvs only with python3-venv (ensurepip) installed.
  python3 -c "import ensurepip" 2>/dev/null || install_package python3-venv
  rm -rf "$venv"  # a half-made one from a failed try
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pyinstrument
fi

echo "compare: building request-profiler-benchmarks (release)" >&2
swift build -c release --product request-profiler-benchmarks >&2
bin="$(swift build -c release --show-bin-path)/request-profiler-benchmarks"

echo "compare: running the Swift workload (unprofiled and profiled, 3 pairs)" >&2
swift_json="$("$bin" --compare-workload)"

echo "compare: running the Python workload (unprofiled and profiled by pyinstrument, 3 pairs)" >&2
python_json="$("$venv/bin/python" - <<'PYTHON'
import json, time
import pyinstrument
from pyinstrument import Profiler

FUNCTIONS = ["ground_truth_fifty", "ground_truth_thirty", "ground_truth_twenty"]
MASK = (1 << 64) - 1

def ground_truth_step(x):
    x ^= (x << 13) & MASK
    x ^= x >> 7
    return x ^ ((x << 17) & MASK)

def ground_truth_steps(count):
    x = 0x9E3779B97F4A7C15
    for _ in range(count):
        x = ground_truth_step(x)
    return x

def ground_truth_fifty(unit):
    return ground_truth_steps(5 * unit)

def ground_truth_thirty(unit):
    return ground_truth_steps(3 * unit)

def ground_truth_twenty(unit):
    return ground_truth_steps(2 * unit)

def ground_truth_wait(seconds):
    start = time.perf_counter_ns()
    time.sleep(seconds)
    return time.perf_counter_ns() - start

def run(unit, rounds=10, sleep=0.2):
    """One run; returns the thread CPU ns of each function, the sleep's and the run's wall ns."""
    cpu = [0, 0, 0]
    slept = 0
    start = time.perf_counter_ns()
    for round in range(rounds):
        if round == rounds // 2 and sleep > 0:
            slept = ground_truth_wait(sleep)
        for index, function in enumerate((ground_truth_fifty, ground_truth_thirty, ground_truth_twenty)):
            before = time.thread_time_ns()
            function(unit)
            cpu[index] += time.thread_time_ns() - before
    return cpu, slept, time.perf_counter_ns() - start

# Calibrate to about 1 s of CPU work per run.
probe, _, _ = run(20_000, rounds=1, sleep=0)
unit = max(int(1e9 / 100 / (sum(probe) / 10 / 20_000)), 1)
run(unit)  # warm-up

def sampled(session, name):
    """Seconds of the session's samples whose stack goes through function `name`."""
    return sum(t for stack, t in session.frame_records if any(f.split("\x00", 1)[0] == name for f in stack))

pairs = []
for _ in range(3):
    unprofiled, _, _ = run(unit)
    profiler = Profiler()  # default interval: 1 ms
    profiler.start()
    cpu, slept, wall = run(unit)
    session = profiler.stop()
    times = [sampled(session, name) for name in FUNCTIONS]
    pairs.append((sum(cpu) / sum(unprofiled), unprofiled, cpu, slept, wall, session, times, profiler.interval))
pairs.sort(key=lambda pair: pair[0])
overhead, unprofiled, cpu, slept, wall, session, times, interval = pairs[1]
truth = [c / sum(cpu) for c in cpu]
shares = [t / max(sum(times), 1e-12) for t in times]
print(json.dumps({
    "tool": f"pyinstrument {pyinstrument.__version__}",
    "interval_ms": interval * 1e3,
    "pairs": 3,
    "cpu_overhead": overhead,
    "unprofiled_cpu_ms": sum(unprofiled) / 1e6,
    "profiled_cpu_ms": sum(cpu) / 1e6,
    "functions": [{"name": n, "truth": t, "sampled": s} for n, t, s in zip(FUNCTIONS, truth, shares)],
    "max_error_points": max(abs(s - t) * 100 for s, t in zip(shares, truth)),
    "wall_ms": wall / 1e6,
    "samples": session.sample_count,
    "wall_time_sampled": session.sample_count * interval * 1e9 / wall,
    "sleep_ms": slept / 1e6,
    "sleep_sampled_ms": sampled(session, "ground_truth_wait") * 1e3,
}))
PYTHON
)"

python3 - "$swift_json" "$python_json" <<'PYTHON'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
rows = [
    ("profiler", ours["tool"], theirs["tool"]),
    ("interval", f'{ours["interval_ms"]:g} ms', f'{theirs["interval_ms"]:g} ms'),
    ("CPU overhead (profiled / unprofiled CPU)", f'{ours["cpu_overhead"]:.3f}x', f'{theirs["cpu_overhead"]:.3f}x'),
    ("  workload CPU unprofiled -> profiled", f'{ours["unprofiled_cpu_ms"]:.0f} -> {ours["profiled_cpu_ms"]:.0f} ms',
     f'{theirs["unprofiled_cpu_ms"]:.0f} -> {theirs["profiled_cpu_ms"]:.0f} ms'),
]
for index, label in enumerate(["fifty (50%)", "thirty (30%)", "twenty (20%)"]):
    o, t = ours["functions"][index], theirs["functions"][index]
    rows.append((f"share of {label}: sampled / measured",
                 f'{o["sampled"] * 100:.1f}% / {o["truth"] * 100:.1f}%', f'{t["sampled"] * 100:.1f}% / {t["truth"] * 100:.1f}%'))
rows += [
    ("max share error", f'{ours["max_error_points"]:.1f} points', f'{theirs["max_error_points"]:.1f} points'),
    ("sleep: sampled / measured", f'{ours["sleep_sampled_ms"]:.0f} / {ours["sleep_ms"]:.0f} ms', f'{theirs["sleep_sampled_ms"]:.0f} / {theirs["sleep_ms"]:.0f} ms'),
    ("samples in the profiled run", f'{ours["samples"]}', f'{theirs["samples"]}'),
    ("wall time sampled (samples x interval / wall)", f'{ours["wall_time_sampled"] * 100:.0f}% of {ours["wall_ms"]:.0f} ms',
     f'{theirs["wall_time_sampled"] * 100:.0f}% of {theirs["wall_ms"]:.0f} ms'),
    # A thread waiting for a CPU cannot be sampled by either profiler: on a busy machine this
    # row, not the profiler, bounds the row above.
    ("  workload on CPU or asleep / wall", f'{(ours["profiled_cpu_ms"] + ours["sleep_ms"]) / ours["wall_ms"] * 100:.0f}%',
     f'{(theirs["profiled_cpu_ms"] + theirs["sleep_ms"]) / theirs["wall_ms"] * 100:.0f}%'),
    ("  ticks missed while the thread waited for a CPU", f'{ours["missed_samples"]}', "not reported"),
]
widths = [max(len(row[i]) for row in rows) for i in range(3)]
for number, row in enumerate(rows):
    print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    if number == 0:
        print("-+-".join("-" * width for width in widths))
PYTHON
