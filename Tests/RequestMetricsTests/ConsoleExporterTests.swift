import Foundation
import Testing

@testable import RequestMetrics

@Suite struct ConsoleExporterTests {
    @Test func writesOneParsableLinePerEvent() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let reader = FileHandle(fileDescriptor: ends[0], closeOnDealloc: true)
        let exporter = ConsoleExporter(fileDescriptor: ends[1])
        try exporter.export([
            .request(RequestEvent(timestampNanoseconds: 1, traceID: TraceID(high: 0, low: 1), spanID: SpanID(2), method: "GET", route: "/", status: 200, durationNanoseconds: 5)),
            .span(SpanEvent(timestampNanoseconds: 2, traceID: TraceID(high: 0, low: 1), spanID: SpanID(3), parentSpanID: SpanID(2), name: "n\nx", durationNanoseconds: 1)),
        ])
        close(ends[1])
        let text = String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
        let objects = try JSONLineParsing.objects(ofLines: text)
        #expect(objects.map { $0["kind"] as? String } == ["REQ", "SPAN"])
        #expect(objects.last?["name"] as? String == "n\nx")
    }

    /// Standard output is often a pipe to a log collector that also takes the application's
    /// own log lines, and may be non-blocking. A 64 KB batch written at once into a full pipe
    /// was interleaved with those lines (only writes up to PIPE_BUF are atomic), and a
    /// non-blocking one failed half-way with EAGAIN, leaving half a line for the next batch to
    /// continue.
    @Test(arguments: [false, true])
    func linesStayWholeInAFullPipeSharedWithOtherWriters(nonBlocking: Bool) throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        if nonBlocking { _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK) }
        // Threads of their own, not tasks: blocked in read and write, they must not take the
        // concurrency pool's few threads from the test (and from each other).
        let reader = PipeReader(readEnd, pausingMicroseconds: 100)
        let loggerDone = DispatchSemaphore(value: 0)
        Thread {
            for _ in 0..<5_000 {
                _ = "log\n".withCString { write(writeEnd, $0, 4) }
                usleep(20)
            }
            loggerDone.signal()
        }.start()
        let exporter = ConsoleExporter(fileDescriptor: writeEnd)
        let events = (0..<2_000).map { index in
            MetricsEvent.request(
                RequestEvent(
                    timestampNanoseconds: UInt64(index), traceID: TraceID(high: 0, low: 1), spanID: SpanID(2), method: "GET",
                    route: "/route/" + String(repeating: "r", count: 200), status: 200, durationNanoseconds: 5))
        }
        for batch in stride(from: 0, to: events.count, by: 500) {
            try exporter.export(Array(events[batch..<batch + 500]))
        }
        loggerDone.wait()
        close(writeEnd)
        let text = String(decoding: reader.bytesToTheEnd(), as: UTF8.self)
        close(readEnd)
        let json = text.split(separator: "\n").filter { $0 != "log" }
        let torn = json.filter { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) == nil }
        #expect(torn.isEmpty, "\(torn.count) torn lines, e.g. \(torn.first?.prefix(120) ?? "")")
        #expect(json.count - torn.count == 2_000, "\(json.count - torn.count) whole JSON lines")
    }

    /// Standard output is usually a blocking pipe. A reader that stopped (a stalled log
    /// driver) held the write, and with it every exporter on the collector's one thread, for
    /// good: nothing threw, so the console exporter was never disabled. The write now waits a
    /// bounded time for room, then fails.
    @Test(.timeLimit(.minutes(1))) func aBlockingPipeNobodyReadsFailsTheWriteInsteadOfHoldingIt() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        // Filled while non-blocking, then made blocking again, as stdout is.
        let flags = fcntl(ends[1], F_GETFL)
        _ = fcntl(ends[1], F_SETFL, flags | O_NONBLOCK)
        let filler = [UInt8](repeating: 0x78, count: 4_096)
        while filler.withUnsafeBytes({ write(ends[1], $0.baseAddress, $0.count) }) > 0 {}
        _ = fcntl(ends[1], F_SETFL, flags)
        let line = Array("{\"kind\":\"REQ\"}\n".utf8)
        var written = 0
        #expect(throws: ExporterIOError.self) {
            try FileDescriptorOutput.writeAll(line[...], to: ends[1], path: "stdout", waitingAtMost: 300, written: &written)
        }
        #expect(written == 0)
    }

    /// A reader that stalls in the middle of a long line (a 10 KB REQ_META, written 4 KB at a
    /// time) makes the write give up with part of the line in the pipe. The next batch's first
    /// line was appended straight onto that fragment: two events lost in one line no JSON
    /// parser reads. The next batch now starts with a newline, so only the cut line is lost.
    @Test(.timeLimit(.minutes(1))) func aLineCutByAStalledReaderDamagesOnlyItself() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        defer { close(readEnd) }
        // The pipe filled with whole 4 KB lines, then blocking again, as stdout is.
        let flags = fcntl(writeEnd, F_GETFL)
        _ = fcntl(writeEnd, F_SETFL, flags | O_NONBLOCK)
        let filler = Array(("{\"filler\":\"" + String(repeating: "f", count: 4_096 - 14) + "\"}\n").utf8)
        #expect(filler.count == 4_096)
        while filler.withUnsafeBytes({ write(writeEnd, $0.baseAddress, $0.count) }) > 0 {}
        _ = fcntl(writeEnd, F_SETFL, flags)
        // The reader takes one line (4 KB of room), then stalls past the exporter's wait.
        var received = [UInt8](repeating: 0, count: 4_096)
        #expect(read(readEnd, &received, received.count) == 4_096)
        let exporter = ConsoleExporter(fileDescriptor: writeEnd, waitingAtMost: 300)
        let long = MetricsEvent.error(
            RequestErrorEvent(
                timestampNanoseconds: 1, traceID: TraceID(high: 0, low: 1), spanID: SpanID(2), method: "GET", route: "/",
                status: 500, exceptionType: "E", exceptionValue: "v", traceback: String(repeating: "t", count: 10_000)))
        #expect(throws: ExporterIOError.self) { try exporter.export([long]) }
        let reader = PipeReader(readEnd)  // reading again
        try exporter.export([
            .request(RequestEvent(timestampNanoseconds: 2, traceID: TraceID(high: 0, low: 1), spanID: SpanID(2), method: "GET", route: "/", status: 200, durationNanoseconds: 5))
        ])
        close(writeEnd)
        let text = String(decoding: received + reader.bytesToTheEnd(), as: UTF8.self)
        let lines = text.split(separator: "\n")
        let cut = try #require(lines.firstIndex { $0.hasPrefix("{\"kind\":\"REQ_META\"") })
        #expect((try? JSONLineParsing.object(lines[cut])) == nil, "the cut line is whole")
        let others = lines[..<cut] + lines[(cut + 1)...]
        #expect(others.allSatisfy { (try? JSONLineParsing.object($0)) != nil }, "a line besides the cut one does not parse")
        #expect(others.last.flatMap { try? JSONLineParsing.object($0)["kind"] as? String } == "REQ")
        #expect(text.hasSuffix("\n"))
    }
}
