import ProfileModel

/// Fixed profiles the renderer tests and golden files are built from: no sampler involved,
/// so every report is byte-for-byte reproducible.
enum Fixtures {
    /// The hot function of `request`: most self time, almost all of it on the CPU.
    static let hotFunction = "DemoApp.PasswordHasher.hash(password: Swift.String, rounds: Swift.Int)"

    /// A `GET /users/:id` request in a Hummingbird server: password hashing on the CPU (hot),
    /// a database await, JSON encoding in a library, a generic cache lookup whose name has
    /// `<` and `>` in it (escaping), behind thread, runtime, executor and framework frames.
    static let request: Profile = {
        let frames = [
            Frame(name: "start_thread", image: "libc.so.6", address: 0x7F00_0000_1000, kind: .system),
            Frame(name: "swift::runJobInEstablishedExecutorContext(swift::Job*)", image: "libswift_Concurrency.so", address: 0x7F10_0000_2000, kind: .runtime),
            Frame(name: "RequestProfiler.PinnedExecutor.run() -> ()", image: "DemoApp", address: 0x55_0000_0100, kind: .profiler),
            Frame(name: "Hummingbird.Router.respond(to: Hummingbird.Request, context: DemoApp.AppContext) async throws -> Hummingbird.Response", image: "DemoApp", file: "/src/.build/checkouts/hummingbird/Sources/Hummingbird/Router/Router.swift", line: 88, address: 0x55_0000_0200, kind: .library),
            Frame(name: "NIOCore.EventLoop.execute(_: () -> ()) -> ()", image: "DemoApp", file: "/src/.build/checkouts/swift-nio/Sources/NIOCore/EventLoop.swift", line: 120, address: 0x55_0000_0300, kind: .library),
            Frame(name: "DemoApp.UserController.show(request: Hummingbird.Request, context: DemoApp.AppContext) async throws -> DemoApp.User", image: "DemoApp", file: "/src/Sources/DemoApp/UserController.swift", line: 24, address: 0x55_0000_1000, kind: .application),
            Frame(name: hotFunction + " -> Swift.String", image: "DemoApp", file: "/src/Sources/DemoApp/PasswordHasher.swift", line: 10, address: 0x55_0000_1100, kind: .application),
            Frame(name: "DemoApp.Database.fetchUser(id: Swift.Int) async throws -> DemoApp.User", image: "DemoApp", file: "/src/Sources/DemoApp/Database.swift", line: 40, address: 0x55_0000_1200, kind: .application),
            Frame(name: "await", image: "", kind: .await),
            Frame(name: "Foundation.JSONEncoder.encode<A where A: Swift.Encodable>(A) throws -> Foundation.Data", image: "DemoApp", file: "/src/.build/checkouts/swift-foundation/Sources/FoundationEssentials/JSON/JSONEncoder.swift", line: 300, address: 0x55_0000_2000, kind: .library),
            Frame(name: "swift_retain", image: "libswiftCore.so", address: 0x7F20_0000_3000, kind: .runtime),
            Frame(name: "DemoApp.Cache<Swift.String>.lookup(key: Swift.String) -> Swift.String?", image: "DemoApp", file: "/src/Sources/DemoApp/Cache.swift", line: 12, address: 0x55_0000_1300, kind: .application),
            Frame(name: "memcpy", image: "libc.so.6", address: 0x7F00_0000_4000, kind: .system),
        ]
        let base = [0, 1, 2, 3, 5]
        // (stack, count, cpu per sample, state), interleaved in time below.
        let groups: [(stack: [Int], count: Int, cpu: UInt64, state: SampleState)] = [
            (base + [6], 50, 1_000_000, .running),
            (base + [6, 10], 10, 1_000_000, .running),
            (base + [7, 8], 25, 0, .suspended),
            (base + [9, 12], 8, 900_000, .running),
            (base + [11], 5, 1_000_000, .running),
            ([0, 1, 2, 3, 4], 2, 500_000, .running),
        ]
        var remaining = groups.map(\.count)
        var samples: [Sample] = []
        var time: UInt64 = 0
        while remaining.contains(where: { $0 > 0 }) {
            for (index, group) in groups.enumerated() where remaining[index] > 0 {
                // Runs of up to five identical samples, as a 1 ms sampler sees a hot loop.
                for _ in 0..<min(5, remaining[index]) {
                    samples.append(Sample(stack: group.stack, timeNanoseconds: time, wallNanoseconds: 1_000_000, cpuNanoseconds: group.cpu, state: group.state))
                    time += 1_000_000
                    remaining[index] -= 1
                }
            }
        }
        let metadata = ProfileMetadata(
            startTime: 1_763_676_000,
            durationNanoseconds: 101_500_000,
            intervalNanoseconds: 1_000_000,
            cpuNanoseconds: 73_000_000,
            missedSamples: 2,
            droppedSamples: 0,
            threadID: 4242,
            request: RequestInfo(method: "GET", path: "/users/42", route: "/users/:id", status: 200)
        )
        return Profile(frames: frames, samples: samples, metadata: metadata)
    }()

    /// A profile of work too short for any tick: every renderer must still produce a valid report.
    static let empty = Profile(
        frames: [],
        samples: [],
        metadata: ProfileMetadata(startTime: 1_763_676_000, durationNanoseconds: 300_000, notes: ["No samples: the work finished before the first tick."])
    )
}
