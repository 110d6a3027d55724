import ProfileModel

/// Profiles of one `GET /orders/:id` handler with known times: `main -> handle -> price`
/// (CPU), `handle -> audit` (CPU, optional) and `handle -> load -> await` (suspended), one
/// 1 ms sample per millisecond, so every per-request time is known exactly.
enum RequestFixtures {
    static let price = "Shop.Pricing.price(order: Shop.Order)"
    static let audit = "Shop.Audit.record(order: Shop.Order)"
    static let load = "Shop.Store.load(id: Swift.Int)"
    static let handle = "Shop.OrderController.handle(request: Shop.Request)"

    static let frames = [
        Frame(name: "main", image: "Shop", file: "/build/shop/Sources/Shop/main.swift", line: 1, kind: .application),
        Frame(name: handle + " async throws -> Shop.Response", image: "Shop", file: "/build/shop/Sources/Shop/OrderController.swift", line: 20, kind: .application),
        Frame(name: price + " -> Swift.Int", image: "Shop", file: "/build/shop/Sources/Shop/Pricing.swift", line: 8, kind: .application),
        Frame(name: audit + " -> ()", image: "Shop", file: "/build/shop/Sources/Shop/Audit.swift", line: 3, kind: .application),
        Frame(name: load + " async throws -> Shop.Order", image: "Shop", file: "/build/shop/Sources/Shop/Store.swift", line: 14, kind: .application),
        Frame(name: "await", image: "", kind: .await),
    ]

    /// One request: `price`, `audit` and `load` milliseconds, plus 1 ms in `handle` itself.
    static func request(price: Int, audit: Int = 0, load: Int = 0, start: Double = 1_763_676_000) -> Profile {
        var samples: [Sample] = []
        var time: UInt64 = 0
        func add(_ stack: [Int], _ count: Int, suspended: Bool = false) {
            for _ in 0..<count {
                samples.append(Sample(stack: stack, timeNanoseconds: time, wallNanoseconds: 1_000_000, cpuNanoseconds: suspended ? 0 : 1_000_000, state: suspended ? .suspended : .running))
                time += 1_000_000
            }
        }
        add([0, 1], 1)
        add([0, 1, 2], price)
        add([0, 1, 3], audit)
        add([0, 1, 4, 5], load, suspended: true)
        let cpu = samples.reduce(0) { $0 + $1.cpuNanoseconds }
        let metadata = ProfileMetadata(
            startTime: start,
            durationNanoseconds: time,
            intervalNanoseconds: 1_000_000,
            cpuNanoseconds: cpu,
            threadID: 7,
            request: RequestInfo(method: "GET", path: "/orders/\(price)", route: "/orders/:id", status: 200)
        )
        return Profile(frames: frames, samples: samples, metadata: metadata)
    }

    /// Five requests: `price` 10...50 ms, `audit` 5 ms in two of them, `load` 4 ms in all.
    static let five: [Profile] = (1...5).map { index in
        request(price: index * 10, audit: index % 2 == 0 ? 5 : 0, load: 4, start: 1_763_676_000 + Double(index) * 60)
    }
}
