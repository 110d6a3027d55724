import Foundation
import ProfileAggregate
import ProfileModel
import ProfileReports
import Testing

/// A saved report's hidden frames come back as a run of one frame on the rebuilt stacks; the
/// formats that carry whole stacks showed that run as recursion.
@Suite("Rebuilt reports in stack formats")
struct RebuiltRunsTests {
    static let frames = [
        Frame(name: "start_thread", image: "libc.so.6", kind: .library),
        Frame(name: "NIOPosix.SelectableEventLoop.run() throws -> ()", image: "App", kind: .library),
        Frame(name: "NIOPosix.SelectableEventLoop.runLoop() -> ()", image: "App", kind: .library),
        Frame(name: "NIOCore.EventLoop.execute(() -> ()) -> ()", image: "App", kind: .library),
        Frame(name: "App.handle() -> ()", image: "App", kind: .application),
        Frame(name: "App.walk(depth: Swift.Int) -> ()", image: "App", kind: .application),
    ]

    static func report() throws -> LoadedReport {
        let samples = (0..<20).map { index in
            Sample(
                stack: [0, 1, 2, 3, 4, 5, 5, 5], timeNanoseconds: UInt64(index) * 1_000_000, wallNanoseconds: 1_000_000,
                cpuNanoseconds: 1_000_000, state: .running)
        }
        let profile = Profile(frames: frames, samples: samples, metadata: RequestFixtures.request(price: 20).metadata)
        return try ReportLoader.decode(Data(try profile.render(as: .json).bytes), path: "rebuilt.json")
    }

    /// Adjacent equal frames of each collapsed line.
    static func repeats(in collapsed: [UInt8]) -> [String] {
        String(decoding: collapsed, as: UTF8.self).split(separator: "\n").flatMap { line -> [String] in
            let frames = line[..<(line.lastIndex(of: " ") ?? line.endIndex)].split(separator: ";").map(String.init)
            return zip(frames, frames.dropFirst()).filter { $0 == $1 }.map(\.0)
        }
    }

    @Test func hiddenRunsAreOneFrameAndRecursionStays() throws {
        let loaded = try Self.report()
        for rendered in [try loaded.render(as: .collapsed), try AggregateProfile(reports: [loaded, loaded]).render(as: .collapsed)] {
            let repeated = Self.repeats(in: rendered.bytes)
            #expect(!repeated.contains { !$0.hasPrefix("App.walk") }, "a hidden run shows as recursion: \(repeated)")
            #expect(repeated.contains { $0.hasPrefix("App.walk") }, "the application's own recursion is kept")
        }
        // The tree formats still show the hidden count.
        #expect(String(decoding: try loaded.render(as: .text).bytes, as: UTF8.self).contains("frames hidden]"))
    }
}
