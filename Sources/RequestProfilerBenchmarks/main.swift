import RequestProfiler
print("benchmarks")
