import Foundation
import ProfileModel
import ProfileReports
import ReportTestSupport
import Testing

@Suite("speedscope file")
struct SpeedscopeRendererTests {
    @Test("is a valid speedscope file", arguments: [ProfileCase.request, .empty, .synthetic(samples: 2_000, depth: 50)])
    func validFile(profile: ProfileCase) throws {
        let document = try SpeedscopeDocument.validated(profile.profile.render(as: .speedscope).bytes)
        guard case .sampled(let sampled) = try #require(document.profiles.first) else {
            Issue.record("the profile is not a sampled one")
            return
        }
        #expect(sampled.unit == .nanoseconds)
        #expect(document.shared.frames.count == profile.profile.frames.count)
    }

    @Test("the validator rejects a file that breaks the format", arguments: SpeedscopeBreakage.all)
    func validatorRejects(breakage: SpeedscopeBreakage) throws {
        var object = try JSONSerialization.jsonObject(with: Data(Fixtures.request.render(as: .speedscope).bytes)) as! [String: Any]
        breakage.edit(&object)
        let broken = Array(try JSONSerialization.data(withJSONObject: object))
        switch breakage.verdict {
        case .undecodable:
            #expect(throws: DecodingError.self) { try SpeedscopeDocument.validated(broken) }
        case .violation(let violation):
            #expect(throws: violation) { try SpeedscopeDocument.validated(broken) }
        }
    }

    @Test("a sampled profile in nanoseconds, frames with file and line, exporter name and version")
    func content() throws {
        let object = try JSONSerialization.jsonObject(with: Data(Fixtures.request.render(as: .speedscope).bytes)) as! [String: Any]
        #expect(object["$schema"] as? String == "https://www.speedscope.app/file-format-schema.json")
        #expect(object["exporter"] as? String == "swift-request-profiler@\(ExporterInfo.version)")
        let frames = (object["shared"] as! [String: Any])["frames"] as! [[String: Any]]
        #expect(frames.count == Fixtures.request.frames.count)
        let hot = try #require(frames.first { $0["name"] as? String == Fixtures.hotFunction })
        #expect(hot["file"] as? String == "/src/Sources/DemoApp/PasswordHasher.swift")
        #expect(hot["line"] as? Int == 10)

        let profile = (object["profiles"] as! [[String: Any]])[0]
        #expect(profile["type"] as? String == "sampled")
        #expect(profile["unit"] as? String == "nanoseconds")
        let weights = profile["weights"] as! [Int]
        let samples = profile["samples"] as! [[Int]]
        #expect(weights.count == samples.count)
        #expect(weights.reduce(0, +) == Int(Fixtures.request.totalWallNanoseconds))
        #expect(profile["endValue"] as? Int == Int(Fixtures.request.totalWallNanoseconds))
        // Expanding the merged runs gives back the profile's stacks in time order.
        var expanded: [[Int]] = []
        for (stack, weight) in zip(samples, weights) {
            expanded += Array(repeating: stack, count: weight / 1_000_000)
        }
        #expect(expanded == Fixtures.request.samples.map(\.stack))
    }
}
