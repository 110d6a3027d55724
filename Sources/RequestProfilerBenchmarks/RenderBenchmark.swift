#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RequestProfiler

/// Times rendering a 10,000-sample, 50-deep synthetic profile (`Profile.synthetic`) in all six
/// report formats. A report is produced while the profiled request's client waits, so the
/// budget is 100 ms for all six together in a release build.
///
/// Each format is rendered once to warm up, then `iterations` times, each time as six
/// separate `render(as:)` calls as the middleware makes them. The table gives medians of wall
/// time and of the thread's CPU time: on a shared machine the CPU time shows the renderers'
/// own cost when other work slows the wall clock.
func runRenderBenchmark(iterations: Int = 21) throws -> [(name: String, value: String)] {
    let profile = Profile.synthetic(samples: 10_000, depth: 50)
    var rows: [(name: String, value: String)] = [
        ("render: profile", "\(profile.sampleCount) samples, \(profile.samples.map(\.stack.count).max() ?? 0) deep, \(profile.frames.count) frames"),
    ]
    var wall: [ProfileFormat: [UInt64]] = [:], cpu: [ProfileFormat: [UInt64]] = [:]
    var totalWall: [UInt64] = [], totalCPU: [UInt64] = []
    var sizes: [ProfileFormat: Int] = [:]
    for format in ProfileFormat.allCases { sizes[format] = try profile.render(as: format).bytes.count }
    for _ in 0..<iterations {
        var sumWall: UInt64 = 0, sumCPU: UInt64 = 0
        for format in ProfileFormat.allCases {
            let (startWall, startCPU) = (now(CLOCK_MONOTONIC), now(CLOCK_THREAD_CPUTIME_ID))
            _ = try profile.render(as: format)
            let (elapsedWall, elapsedCPU) = (now(CLOCK_MONOTONIC) - startWall, now(CLOCK_THREAD_CPUTIME_ID) - startCPU)
            wall[format, default: []].append(elapsedWall)
            cpu[format, default: []].append(elapsedCPU)
            sumWall += elapsedWall
            sumCPU += elapsedCPU
        }
        totalWall.append(sumWall)
        totalCPU.append(sumCPU)
    }
    for format in ProfileFormat.allCases {
        rows.append((
            "render: \(format.rawValue)",
            "\(milliseconds(median(wall[format] ?? []))) wall, \(milliseconds(median(cpu[format] ?? []))) CPU, \(sizes[format] ?? 0) bytes"
        ))
    }
    let allWall = median(totalWall), allCPU = median(totalCPU)
    rows.append((
        "render: all six (budget 100 ms)",
        "\(milliseconds(allWall)) wall, \(milliseconds(allCPU)) CPU \(allWall < 100_000_000 ? "(within budget)" : "(over budget)")"
    ))
    rows.append(try patternCost(iterations: iterations))
    return rows
}

/// What `hide=` and `show=` patterns add to a report, in one run: the json format of a profile
/// with many distinct stacks (every sample its own), with two patterns and without. Each frame
/// is matched once per report (a regular expression per step of every stack took seconds on
/// large merged reports).
private func patternCost(iterations: Int) throws -> (name: String, value: String) {
    let frames = (0..<2_000).map {
        Frame(name: "App.Module\($0 % 40).function\($0)(argument: Swift.Int) -> Swift.Int", image: "App", kind: $0 % 3 == 0 ? .library : .application)
    }
    var state: UInt64 = 42
    func nextFrame() -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int(state >> 33) % frames.count
    }
    let samples = (0..<10_000).map { index in
        Sample(stack: (0..<50).map { _ in nextFrame() }, timeNanoseconds: UInt64(index) * 1_000_000, wallNanoseconds: 1_000_000, cpuNanoseconds: 1_000_000, state: .running)
    }
    let profile = Profile(frames: frames, samples: samples, metadata: ProfileMetadata(durationNanoseconds: 10_000_000_000))
    let patterns = RenderOptions(hidePatterns: ["NoSuchFrame"], showPatterns: ["^NoSuchModule\\."])
    var plain: [UInt64] = [], patterned: [UInt64] = []
    _ = try profile.render(as: .json, options: patterns)
    for _ in 0..<iterations {
        var start = now(CLOCK_THREAD_CPUTIME_ID)
        _ = try profile.render(as: .json)
        plain.append(now(CLOCK_THREAD_CPUTIME_ID) - start)
        start = now(CLOCK_THREAD_CPUTIME_ID)
        _ = try profile.render(as: .json, options: patterns)
        patterned.append(now(CLOCK_THREAD_CPUTIME_ID) - start)
    }
    let ratio = Double(median(patterned)) / Double(max(1, median(plain)))
    return (
        "render: json with 2 patterns / without (10,000 distinct stacks)",
        "\(String(format: "%.2f", ratio)) (\(milliseconds(median(patterned))) against \(milliseconds(median(plain))) CPU)"
    )
}

/// Nanoseconds on `clock`.
private func now(_ clock: clockid_t) -> UInt64 {
    var time = timespec()
    clock_gettime(clock, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

private func median(_ values: [UInt64]) -> UInt64 {
    percentile(values.sorted(), 50)
}
