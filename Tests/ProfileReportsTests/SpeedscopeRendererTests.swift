import Foundation
import ProfileModel
import ProfileReports
import ReportTestSupport
import Testing

@Suite("speedscope file")
struct SpeedscopeRendererTests {
    /// speedscope's published schema, kept in the project's shared specs beside the repository.
    static let schema = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()  // repository root
        .deletingLastPathComponent()
        .appendingPathComponent("shared/specs/speedscope-schema.json")

    /// Validates `document` against the schema with Python's jsonschema (Draft 7, as the
    /// schema declares) and returns the validator's verdict: "valid" or the first error.
    private func validate(_ document: [UInt8]) throws -> String {
        guard FileManager.default.fileExists(atPath: Self.schema.path) else {
            throw ExternalTool.Missing(tool: "shared/specs/speedscope-schema.json", install: "check out the project's shared/ folder beside the repository")
        }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write(document, to: "profile.speedscope.json")
        let script = """
        import json, sys
        try:
            import jsonschema
        except ImportError:
            sys.exit("python module jsonschema missing: pip install jsonschema")
        schema = json.load(open(sys.argv[1]))
        document = json.load(open(sys.argv[2]))
        jsonschema.Draft7Validator.check_schema(schema)
        errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(document), key=lambda e: list(e.path))
        print("valid" if not errors else "invalid: " + errors[0].message)
        """
        let result = try ExternalTool.python().run(["-c", script, Self.schema.path, file.path])
        #expect(result.status == 0, "python failed: \(result.standardError)")
        return result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("is valid against speedscope's JSON schema", arguments: [Fixtures.request, Fixtures.empty, Profile.synthetic(samples: 2_000, depth: 50)])
    func validAgainstSchema(profile: Profile) throws {
        #expect(try validate(profile.render(as: .speedscope).bytes) == "valid")
    }

    @Test("the validator rejects a document that breaks the schema")
    func validatorRejects() throws {
        var object = try JSONSerialization.jsonObject(with: Data(Fixtures.request.render(as: .speedscope).bytes)) as! [String: Any]
        var profiles = object["profiles"] as! [[String: Any]]
        profiles[0]["unit"] = "ticks"
        object["profiles"] = profiles
        let broken = try JSONSerialization.data(withJSONObject: object)
        #expect(try validate(Array(broken)).hasPrefix("invalid"))
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
