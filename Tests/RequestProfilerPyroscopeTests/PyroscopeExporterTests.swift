import DedicatedThreads
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ProfileModel
import ReportTestSupport
@testable import RequestProfilerPyroscope
import Synchronization
import Testing

/// A request profile with a known hot function, as auto-capture would hand it over.
private let hotFunction = "Shop.Pricing.price(order: Shop.Order) -> Swift.Int"

private func capturedProfile(route: String = "/orders/:id") -> Profile {
    let frames = [
        Frame(name: "Shop.OrderController.handle(request: Shop.Request) async throws -> Shop.Response", image: "Shop", file: "/src/Sources/Shop/OrderController.swift", line: 20, address: 0x1000, kind: .application),
        Frame(name: hotFunction, image: "Shop", file: "/src/Sources/Shop/Pricing.swift", line: 8, address: 0x2000, kind: .application),
    ]
    var samples: [Sample] = []
    for index in 0..<40 {
        let stack = index % 4 == 0 ? [0] : [0, 1]
        samples.append(Sample(stack: stack, timeNanoseconds: UInt64(index) * 1_000_000, wallNanoseconds: 1_000_000, cpuNanoseconds: 1_000_000, state: .running))
    }
    let metadata = ProfileMetadata(
        startTime: 1_763_676_000.25, durationNanoseconds: 40_000_000, intervalNanoseconds: 1_000_000, cpuNanoseconds: 40_000_000,
        threadID: 9, request: RequestInfo(method: "GET", path: "/orders/7", route: route, status: 200)
    )
    return Profile(frames: frames, samples: samples, metadata: metadata)
}

private func settings(_ url: URL, capacity: Int = 8, attempts: Int = 3) -> PyroscopeSettings {
    PyroscopeSettings(
        serverURL: url, applicationName: "shop-api",
        authHeader: .init(name: "Authorization", value: "Bearer test-token"),
        queueCapacity: capacity, maximumAttempts: attempts, initialBackoff: .milliseconds(20), requestTimeout: .seconds(5)
    )
}

@Suite("Pyroscope export", .serialized)
struct PyroscopeExporterTests {
    @Test("posts pprof to /ingest with the series name and time range; retries a 503; go tool pprof reads the body")
    func loopback() async throws {
        let receiver = try LoopbackReceiver(statuses: [503])
        defer { receiver.stop() }
        let exporter = PyroscopeExporter(settings: settings(receiver.url))
        #expect(exporter.submit(profile: capturedProfile()))
        await exporter.shutdown()
        #expect(exporter.statistics.sent == 1)
        #expect(exporter.statistics.retries == 1)
        #expect(exporter.statistics.failed == 0 && exporter.statistics.dropped == 0)

        let requests = try receiver.received()
        try #require(requests.count == 2, "received \(requests.count) requests")
        let request = requests[1]
        #expect(request.requestLine.hasPrefix("POST /ingest?"))
        #expect(request.requestLine.hasSuffix(" HTTP/1.1"))
        let target = String(request.requestLine.split(separator: " ")[1])
        let query = Dictionary(uniqueKeysWithValues: (URLComponents(string: target)?.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(query["name"] == "shop-api{route=/orders/:id,method=GET,status=200}")
        #expect(query["from"] == "1763676000")
        #expect(query["until"] == "1763676001")
        #expect(query["format"] == "pprof")
        #expect(!target.contains("{") && !target.contains("/orders"), "the name must be percent-encoded: \(target)")
        #expect(request.headers["authorization"] == "Bearer test-token")
        #expect(requests[0].body == request.body)

        // The body is the pprof report: go tool pprof lists the hot function first.
        let go = try ExternalTool("go", install: "apt-get install -y golang-go")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write(Array(request.body), to: "ingested.pb.gz")
        let result = try go.run(["tool", "pprof", "-top", "-sample_index=wall", file.path])
        try #require(result.status == 0, "go tool pprof failed: \(result.standardError)")
        let rows = result.standardOutput.split(separator: "\n").drop { !$0.contains("flat%") }.dropFirst()
        #expect(rows.first?.contains("Shop.Pricing.price") == true, "pprof -top: \(result.standardOutput)")
    }

    /// URLSession on Linux turns a timeout into whole milliseconds with `Int(...)`: a timeout
    /// of centuries trapped there, on URLSession's own queue, and ended the server (seen with
    /// this test before the fix). Timeouts are used as whole seconds from 1 s to 300 s.
    @Test("a timeout of centuries or under a second still sends", arguments: [Duration.seconds(Int64.max), .milliseconds(800)])
    func extremeTimeouts(timeout: Duration) async throws {
        let receiver = try LoopbackReceiver(statuses: [])
        defer { receiver.stop() }
        var settings = settings(receiver.url, attempts: 2)
        settings.requestTimeout = timeout
        let exporter = PyroscopeExporter(settings: settings)
        #expect(exporter.submit(profile: capturedProfile()))
        await exporter.shutdown()
        #expect(exporter.statistics.sent == 1)
        #expect(exporter.statistics.failed == 0)
    }

    /// URLSession's timeout is an idle timeout (reset by every byte received): a server or
    /// proxy that answers a header line every 0.2 s held an upload, and the exporter's only
    /// worker, for good. The request timeout bounds the whole request.
    @Test("a server that answers slowly but is never idle cannot hold an upload past its timeout", .timeLimit(.minutes(1)))
    func tricklingServer() async throws {
        let receiver = try LoopbackReceiver(trickles: true)
        defer { receiver.stop() }
        var settings = settings(receiver.url)
        settings.requestTimeout = .seconds(2)
        let request = try PyroscopeIngestRequest(profile: capturedProfile(), settings: settings)
        // The server trickles for two minutes: past the time limit unless the timeout holds.
        await #expect(throws: (any Error).self) {
            _ = try await URLSessionPyroscopeTransport().send(request, timeout: settings.usableRequestTimeout)
        }
    }

    /// Grouping a profile's samples and gzipping them is blocking work: done inside the
    /// exporter's task, on the cooperative pool, it held one of a two-core server's two request
    /// threads. Each profile goes through the exporter's render thread (a thread of the test's
    /// own here, whose jobs are counted).
    @Test("each profile is rendered as pprof on a thread of its own, not on the cooperative pool")
    func renderedOffThePool() async {
        let renderer = ReportBuildThread(name: "test-pprof")
        let exporter = PyroscopeExporter(
            settings: settings(URL(string: "http://127.0.0.1:9")!), transport: FixedTransport(status: 200),
            logger: LogCapture().logger, renderingOn: renderer)
        for _ in 0..<3 { #expect(exporter.submit(profile: capturedProfile())) }
        await exporter.shutdown()
        #expect(exporter.statistics.sent == 3)
        #expect(renderer.jobsRun >= 3, "each of the three profiles was rendered on the render thread")
    }

    @Test("submit never waits: a stalled server fills the bounded queue and further profiles are dropped and counted")
    func boundedQueue() async throws {
        let gate = StalledTransport()
        let exporter = PyroscopeExporter(settings: settings(URL(string: "http://127.0.0.1:9")!, capacity: 2), transport: gate)
        let accepted = (0..<6).map { _ in exporter.submit(profile: capturedProfile()) }
        #expect(accepted.filter { $0 }.count <= 3)  // two queued, at most one already taken by the sender
        #expect(exporter.statistics.dropped == accepted.filter { !$0 }.count)
        #expect(exporter.statistics.submitted == 6)
        gate.open()
        await exporter.shutdown()
        let statistics = exporter.statistics
        #expect(statistics.sent + statistics.dropped == 6)
        #expect(!exporter.submit(profile: capturedProfile()), "a shut-down exporter takes nothing")
    }

    @Test("gives up after its attempts with backoff; a 4xx is not retried")
    func givingUp() async throws {
        let failing = PyroscopeExporter(settings: settings(URL(string: "http://127.0.0.1:9")!, attempts: 3), transport: FixedTransport(status: nil))
        failing.submit(profile: capturedProfile())
        await failing.shutdown()
        #expect(failing.statistics.failed == 1 && failing.statistics.retries == 2 && failing.statistics.sent == 0)

        let refused = PyroscopeExporter(settings: settings(URL(string: "http://127.0.0.1:9")!, attempts: 3), transport: FixedTransport(status: 400))
        refused.submit(profile: capturedProfile())
        await refused.shutdown()
        #expect(refused.statistics.failed == 1 && refused.statistics.retries == 0)
    }

    /// Pyroscope answers 408 when reading the body fails, and so do proxies when the body
    /// comes too slowly: the profile was not refused, and a second try may get through.
    @Test("a 408 is retried like a 429 or a 5xx")
    func requestTimeoutIsRetried() async throws {
        let exporter = PyroscopeExporter(settings: settings(URL(string: "http://127.0.0.1:9")!, attempts: 3), transport: ScriptedTransport(statuses: [408, 200]))
        exporter.submit(profile: capturedProfile())
        await exporter.shutdown()
        #expect(exporter.statistics.sent == 1 && exporter.statistics.retries == 1 && exporter.statistics.failed == 0, "\(exporter.statistics)")
    }

    /// Credentials in a server URL set in code went into every ingest URL, and a failed try
    /// logged URLSession's error, whose userInfo holds that URL: the password was in the log.
    @Test("credentials in a server URL set in code go as a Basic header: not in the request's URL, not in a log")
    func credentialsInAURLSetInCode() async throws {
        let secret = "s3cret-pass"
        let basic = "Basic " + Data("user:\(secret)".utf8).base64EncodedString()
        var inCode = settings(URL(string: "http://user:\(secret)@127.0.0.1:4040/p")!)
        inCode.authHeader = nil
        let request = try PyroscopeIngestRequest(profile: capturedProfile(), settings: inCode)
        #expect(request.url.user == nil && request.url.password == nil, "\(request.url)")
        #expect(!request.url.absoluteString.contains(secret) && request.url.path == "/p/ingest")
        #expect(request.headers.filter { $0.name == "Authorization" }.map(\.value) == [basic])
        // An Authorization header of the settings' own is sent instead; another one beside.
        inCode.authHeader = .init(name: "authorization", value: "Bearer test-token")
        #expect(try PyroscopeIngestRequest(profile: capturedProfile(), settings: inCode).headers.filter { $0.name.lowercased() == "authorization" }.map(\.value) == ["Bearer test-token"])
        inCode.authHeader = .init(name: "X-Scope-OrgID", value: "tenant-1")
        let both = try PyroscopeIngestRequest(profile: capturedProfile(), settings: inCode).headers.map(\.value)
        #expect(both.contains(basic) && both.contains("tenant-1"))

        // A server that refuses the connection: the tries fail with URLSession's own errors.
        let refusing = try RefusingPort()
        defer { refusing.close() }
        let log = LogCapture()
        var refused = settings(URL(string: "http://user:\(secret)@127.0.0.1:\(refusing.port)")!, attempts: 2)
        refused.authHeader = nil
        let exporter = PyroscopeExporter(settings: refused, logger: log.logger)
        exporter.submit(profile: capturedProfile())
        await exporter.shutdown(waitingAtMost: .seconds(30))
        #expect(exporter.statistics.failed == 1)
        let lines = log.messagesWithMetadata
        #expect(lines.contains { $0.contains("attempt failed") && $0.contains("URLError") }, "\(lines)")
        #expect(!lines.contains { $0.contains(secret) }, "\(lines)")
        #expect(!lines.contains { $0.contains("/ingest") }, "a failed try is logged without its URL: \(lines)")

        // The header reaches the server.
        let receiver = try LoopbackReceiver(statuses: [])
        defer { receiver.stop() }
        var received = settings(URL(string: "http://user:\(secret)@127.0.0.1:\(receiver.port)")!)
        received.authHeader = nil
        let sender = PyroscopeExporter(settings: received)
        sender.submit(profile: capturedProfile())
        await sender.shutdown()
        let requests = try receiver.received()
        try #require(requests.count == 1)
        #expect(requests[0].headers["authorization"] == basic)
        #expect(!requests[0].requestLine.contains(secret))
    }

    @Test("shutdown stops waiting for a server that does not answer, and counts what it abandons", .timeLimit(.minutes(1)))
    func shutdownDeadline() async throws {
        let gate = StalledTransport()
        let exporter = PyroscopeExporter(settings: settings(URL(string: "http://127.0.0.1:9")!), transport: gate)
        for _ in 0..<3 { #expect(exporter.submit(profile: capturedProfile())) }
        let drained = await exporter.shutdown(waitingAtMost: .milliseconds(300))
        #expect(!drained)
        var statistics = exporter.statistics
        #expect(statistics.abandoned == 3 && statistics.sent == 0 && statistics.failed == 0)
        // The send the transport could not interrupt ends later; nothing is counted twice.
        gate.open()
        try await Task.sleep(for: .milliseconds(100))
        statistics = exporter.statistics
        #expect(statistics.sent + statistics.dropped + statistics.failed + statistics.abandoned == statistics.submitted)
        #expect(await !exporter.shutdown(waitingAtMost: .milliseconds(300)), "profiles were abandoned, and stay so")
    }

    /// Profiles submitted from other threads while shutdown gives up are each counted once:
    /// a submit counted before the shutdown and queued after it was abandoned and dropped.
    @Test("submits racing a shutdown that gives up are each counted once", .timeLimit(.minutes(1)))
    func submitsRacingShutdown() async throws {
        let exporter = PyroscopeExporter(settings: settings(URL(string: "http://127.0.0.1:9")!), transport: StalledTransport())
        let stop = Atomic<Bool>(false)
        let finished = Atomic<Int>(0)
        let profile = capturedProfile()
        let submitters = (0..<2).map { _ in
            Thread {
                while !stop.load(ordering: .relaxed) { exporter.submit(profile: profile) }
                finished.add(1, ordering: .releasing)
            }
        }
        submitters.forEach { $0.start() }
        // Until the threads have queued something (they may wait for a CPU on a loaded machine).
        for _ in 0..<2_000 where exporter.statistics.submitted < 10 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(await !exporter.shutdown(waitingAtMost: .milliseconds(1)))
        try await Task.sleep(for: .milliseconds(20))
        stop.store(true, ordering: .relaxed)
        while finished.load(ordering: .acquiring) < 2 { try await Task.sleep(for: .milliseconds(5)) }
        let statistics = exporter.statistics
        #expect(statistics.submitted > 0 && statistics.abandoned > 0)
        #expect(statistics.sent + statistics.dropped + statistics.failed + statistics.abandoned == statistics.submitted, "\(statistics)")
    }

    /// A service group cancels its services before their graceful shutdown runs: the wait
    /// must hold in a cancelled task too (before, its first sleep threw and every queued
    /// profile was abandoned at once).
    @Test("shutdown drains the queue when called from a cancelled task", .timeLimit(.minutes(1)))
    func shutdownFromACancelledTask() async throws {
        let exporter = PyroscopeExporter(settings: settings(URL(string: "http://127.0.0.1:9")!), transport: SlowTransport())
        for _ in 0..<3 { exporter.submit(profile: capturedProfile()) }
        let shutdown = Task { await exporter.shutdown(waitingAtMost: .seconds(30)) }
        shutdown.cancel()
        #expect(await shutdown.value)
        #expect(exporter.statistics.sent == 3 && exporter.statistics.abandoned == 0)
    }

    @Test("retries are bounded: at most ten tries, waits capped, an endless backoff does not trap", .timeLimit(.minutes(1)))
    func boundedRetries() async throws {
        let unreachable = CountingUnreachableTransport()
        var many = settings(URL(string: "http://127.0.0.1:9")!, attempts: 1_000)
        many.initialBackoff = .milliseconds(1)
        let exporter = PyroscopeExporter(settings: many, transport: unreachable)
        exporter.submit(profile: capturedProfile())
        #expect(await exporter.shutdown(waitingAtMost: .seconds(30)))
        #expect(unreachable.calls == PyroscopeSettings.mostAttempts)
        #expect(exporter.statistics.failed == 1 && exporter.statistics.retries == PyroscopeSettings.mostAttempts - 1)

        var endless = settings(URL(string: "http://127.0.0.1:9")!, attempts: 3)
        endless.initialBackoff = .seconds(Int64.max)
        let waiting = PyroscopeExporter(settings: endless, transport: CountingUnreachableTransport())
        waiting.submit(profile: capturedProfile())
        #expect(await !waiting.shutdown(waitingAtMost: .milliseconds(300)))
        #expect(waiting.statistics.abandoned == 1 && waiting.statistics.retries <= 1)
    }

    @Test("label values cannot break Pyroscope's name syntax")
    func labelEscaping() {
        let metadata = capturedProfile(route: "/a b/{x},y=1").metadata
        #expect(PyroscopeIngestRequest.seriesName(for: metadata, applicationName: "app") == "app{route=/a_b/_x__y_1,method=GET,status=200}")
        #expect(PyroscopeIngestRequest.seriesName(for: ProfileMetadata(), applicationName: "app") == "app")
    }

    /// Pyroscope reads the name code point by code point: a `,` or `=` followed by a combining
    /// mark or a variation selector is one Swift Character, and went out unescaped.
    @Test("label values are escaped scalar by scalar: a combining mark does not hide a , or =")
    func labelEscapingByScalar() {
        let metadata = capturedProfile(route: "/x,\u{301}y=\u{FE0F}1").metadata
        let name = PyroscopeIngestRequest.seriesName(for: metadata, applicationName: "app")
        let expected = "app{route=/x_\u{301}y_\u{FE0F}1,method=GET,status=200}"
        #expect(Array(name.unicodeScalars) == Array(expected.unicodeScalars), "\(name.unicodeScalars.map { String($0.value, radix: 16) })")
        // Only the name's own syntax is left: one { and }, a , between labels, an = in each.
        let syntax = name.unicodeScalars.filter { "{},=\"".unicodeScalars.contains($0) }
        #expect(String(String.UnicodeScalarView(syntax)) == "{=,=,=}")
    }
}

/// Holds every send until `open()`: a server that stopped answering.
private final class StalledTransport: PyroscopeTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func open() {
        let waiting = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            isOpen = true
            defer { waiters = [] }
            return waiters
        }
        waiting.forEach { $0.resume() }
    }

    func send(_ request: PyroscopeIngestRequest, timeout: Duration) async throws -> Int {
        await withCheckedContinuation { continuation in
            let resumeNow = lock.withLock { () -> Bool in
                if isOpen { return true }
                waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
        return 200
    }
}

/// Answers every send with `status`, or throws when it is nil (the server is unreachable).
private struct FixedTransport: PyroscopeTransport {
    let status: Int?

    struct Unreachable: Error {}

    func send(_ request: PyroscopeIngestRequest, timeout: Duration) async throws -> Int {
        guard let status else { throw Unreachable() }
        return status
    }
}

/// Answers the sends with `statuses` in turn, then 200.
private final class ScriptedTransport: PyroscopeTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [Int]

    init(statuses: [Int]) { self.statuses = statuses }

    func send(_ request: PyroscopeIngestRequest, timeout: Duration) async throws -> Int {
        lock.withLock { statuses.isEmpty ? 200 : statuses.removeFirst() }
    }
}

/// A loopback port bound but not listening: a connection to it is refused at once, and no
/// other process can take the port while the test runs.
private struct RefusingPort {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
            }
        }
        try #require(bound, "bind: \(errno)")
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(descriptor) }
}

/// Throws on every send, like a server that is down, and counts the tries.
private final class CountingUnreachableTransport: PyroscopeTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var calls: Int { lock.withLock { count } }

    func send(_ request: PyroscopeIngestRequest, timeout: Duration) async throws -> Int {
        lock.withLock { count += 1 }
        throw Unreachable()
    }

    struct Unreachable: Error {}
}

/// Accepts every profile after 50 ms, like a server at some distance.
private struct SlowTransport: PyroscopeTransport {
    func send(_ request: PyroscopeIngestRequest, timeout: Duration) async throws -> Int {
        try? await Task.sleep(for: .milliseconds(50))
        return 200
    }
}
