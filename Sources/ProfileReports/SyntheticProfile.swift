import ProfileModel

extension Profile {
    /// A deterministic, request-shaped profile for benchmarks, size checks and demos of the
    /// report formats, when no sampler is at hand.
    ///
    /// Shape: a thread/runtime/executor/framework prefix, then a tree of application calls
    /// that branches three ways at five depths (243 leaf paths), with a run of library frames
    /// in the middle and runtime frames at some leaves. Each sample follows one path, chosen
    /// with a skew so a few paths are hot, and stops at `depth` or, for a third of samples, up
    /// to ten frames earlier (self time in callers). A tenth of samples are suspended on an await.
    public static func synthetic(samples sampleCount: Int = 10_000, depth: Int = 50, seed: UInt64 = 42) -> Profile {
        var generator = SyntheticProfileGenerator(depth: max(depth, 12), seed: seed)
        return generator.profile(sampleCount: sampleCount)
    }
}

/// Builds `Profile.synthetic`; its own type so the path tree and the random state stay together.
private struct SyntheticProfileGenerator {
    let depth: Int
    var random: SplitMix64
    var frames: [Frame] = []
    var frameIndexByKey: [String: Int] = [:]

    /// Depths at which paths branch three ways, spread over the stack.
    var branchDepths: [Int] { (1...5).map { 8 + $0 * (depth - 10) / 6 } }

    init(depth: Int, seed: UInt64) {
        self.depth = depth
        self.random = SplitMix64(seed: seed)
    }

    mutating func profile(sampleCount: Int) -> Profile {
        let prefix = [
            frame(key: "start", name: "start_thread", image: "libc.so.6", kind: .system),
            frame(key: "job", name: "swift::runJobInEstablishedExecutorContext(swift::Job*)", image: "libswift_Concurrency.so", kind: .runtime),
            frame(key: "executor", name: "RequestProfiler.PinnedExecutor.run() -> ()", image: "App", kind: .profiler),
            frame(key: "router", name: "Hummingbird.Router.respond(to: Hummingbird.Request, context: App.Context) async throws -> Hummingbird.Response", image: "App", file: "/app/.build/checkouts/hummingbird/Sources/Hummingbird/Router/Router.swift", line: 88, kind: .library),
        ]
        var samples: [Sample] = []
        samples.reserveCapacity(sampleCount)
        var time: UInt64 = 0
        var cpuTotal: UInt64 = 0
        for _ in 0..<sampleCount {
            // Skewed choice of the three branches at each branch point: hot paths emerge.
            let choices = branchDepths.map { _ in skewedChoice() }
            let stopEarly = random.next() % 3 == 0
            let length = stopEarly ? depth - Int(random.next() % 11) : depth
            let suspended = random.next() % 10 == 0
            var stack = prefix
            var path = ""
            var branch = 0
            while stack.count < length {
                let level = stack.count
                if branch < branchDepths.count, level == branchDepths[branch] {
                    path += "\(choices[branch])"
                    branch += 1
                }
                stack.append(pathFrame(level: level, path: path, isLeaf: stack.count == length - 1 && !stopEarly, suspended: suspended))
            }
            let wall: UInt64 = 1_000_000 + random.next() % 50_000
            let cpu = suspended ? 0 : wall - (random.next() % 400_000)
            cpuTotal += cpu
            samples.append(Sample(stack: stack, timeNanoseconds: time, wallNanoseconds: wall, cpuNanoseconds: cpu, state: suspended ? .suspended : .running))
            time += wall
        }
        let metadata = ProfileMetadata(
            startTime: 1_763_676_000,
            durationNanoseconds: time,
            intervalNanoseconds: 1_000_000,
            cpuNanoseconds: cpuTotal,
            threadID: 4242,
            request: RequestInfo(method: "GET", path: "/reports/7", route: "/reports/:id", status: 200)
        )
        return Profile(frames: frames, samples: samples, metadata: metadata)
    }

    /// 0 with probability 0.6, 1 with 0.3, 2 with 0.1.
    private mutating func skewedChoice() -> Int {
        let roll = random.next() % 10
        return roll < 6 ? 0 : (roll < 9 ? 1 : 2)
    }

    private mutating func pathFrame(level: Int, path: String, isLeaf: Bool, suspended: Bool) -> Int {
        if isLeaf {
            return suspended
                ? frame(key: "await", name: "await", image: "", kind: .await)
                : frame(key: "leaf\(path.count % 2)", name: path.count % 2 == 0 ? "swift_retain" : "swift_allocObject", image: "libswiftCore.so", kind: .runtime)
        }
        let isLibrary = (depth / 2..<depth / 2 + 4).contains(level)
        let module = isLibrary ? "Foundation.JSONEncoder" : "App.Module\(level / 10)"
        let name = "\(module).step\(level)_\(path)(input: App.Payload<Swift.String>) async throws -> App.Result"
        return frame(
            key: "\(level)/\(path)",
            name: name,
            image: "App",
            file: isLibrary ? "/app/.build/checkouts/swift-foundation/Sources/JSONEncoder.swift" : "/app/Sources/App/Module\(level / 10).swift",
            line: 10 + level * 7,
            kind: isLibrary ? .library : .application
        )
    }

    private mutating func frame(key: String, name: String, image: String, file: String? = nil, line: Int? = nil, kind: FrameKind) -> Int {
        if let index = frameIndexByKey[key] { return index }
        let index = frames.count
        frames.append(Frame(name: name, image: image, file: file, line: line, address: 0x10_0000 + UInt64(index) * 0x40, kind: kind))
        frameIndexByKey[key] = index
        return index
    }
}
