@testable import ProfileReports
import Foundation
import ProfileModel
import ReportTestSupport
import Testing

@Suite("pprof profile")
struct PprofRendererTests {
    /// profile.proto's messages and field numbers, as published with pprof
    /// (https://github.com/google/pprof/blob/main/proto/profile.proto), for protoc to compile
    /// in the test: an independent reader of what our hand encoder writes.
    static let profileProto = """
    syntax = "proto3";
    package perftools.profiles;
    message Profile {
      repeated ValueType sample_type = 1;
      repeated Sample sample = 2;
      repeated Mapping mapping = 3;
      repeated Location location = 4;
      repeated Function function = 5;
      repeated string string_table = 6;
      int64 drop_frames = 7;
      int64 keep_frames = 8;
      int64 time_nanos = 9;
      int64 duration_nanos = 10;
      ValueType period_type = 11;
      int64 period = 12;
      repeated int64 comment = 13;
      int64 default_sample_type = 14;
    }
    message ValueType { int64 type = 1; int64 unit = 2; }
    message Sample {
      repeated uint64 location_id = 1;
      repeated int64 value = 2;
      repeated Label label = 3;
    }
    message Label { int64 key = 1; int64 str = 2; int64 num = 3; int64 num_unit = 4; }
    message Mapping {
      uint64 id = 1; uint64 memory_start = 2; uint64 memory_limit = 3; uint64 file_offset = 4;
      int64 filename = 5; int64 build_id = 6;
      bool has_functions = 7; bool has_filenames = 8; bool has_line_numbers = 9; bool has_inline_frames = 10;
    }
    message Location { uint64 id = 1; uint64 mapping_id = 2; uint64 address = 3; repeated Line line = 4; bool is_folded = 5; }
    message Line { uint64 function_id = 1; int64 line = 2; }
    message Function { uint64 id = 1; int64 name = 2; int64 system_name = 3; int64 filename = 4; int64 start_line = 5; }
    """

    /// Decodes a `.pb.gz` with Python's protobuf runtime and a protoc-compiled profile.proto,
    /// checks pprof's own validity rules, and returns a JSON summary.
    static let decodeScript = """
    import gzip, json, sys
    sys.path.insert(0, sys.argv[1])
    import profile_pb2
    p = profile_pb2.Profile.FromString(gzip.decompress(open(sys.argv[2], "rb").read()))
    s = p.string_table
    assert s[0] == "", "string_table[0] must be empty"
    functions = {f.id: f for f in p.function}
    locations = {l.id: l for l in p.location}
    mappings = {m.id: m for m in p.mapping}
    assert 0 not in functions and 0 not in locations and 0 not in mappings, "ids must be nonzero"
    for l in p.location:
        assert l.mapping_id == 0 or l.mapping_id in mappings, "location %d: unknown mapping" % l.id
        for line in l.line:
            assert line.function_id in functions, "location %d: unknown function" % l.id
    self_wall = {}
    for sample in p.sample:
        assert len(sample.value) == len(p.sample_type), "value count != sample types"
        for location_id in sample.location_id:
            assert location_id in locations, "sample: unknown location"
        leaf = functions[locations[sample.location_id[0]].line[0].function_id]
        self_wall[s[leaf.name]] = self_wall.get(s[leaf.name], 0) + sample.value[1]
    hottest = max(self_wall, key=self_wall.get) if self_wall else None
    hot = next((f for f in p.function if s[f.name] == hottest), None)
    print(json.dumps({
        "sample_types": [[s[t.type], s[t.unit]] for t in p.sample_type],
        "default_sample_type": s[p.default_sample_type],
        "period_type": [s[p.period_type.type], s[p.period_type.unit]],
        "period": p.period,
        "time_nanos": p.time_nanos,
        "duration_nanos": p.duration_nanos,
        "totals": [sum(x.value[i] for x in p.sample) for i in range(len(p.sample_type))],
        "sample_count": len(p.sample),
        "hot": {"name": s[hot.name], "system_name": s[hot.system_name], "file": s[hot.filename], "line": hot.start_line} if hot else None,
        "mappings": [[s[m.filename], m.has_functions, m.memory_start, m.memory_limit] for m in p.mapping],
        "location_lines": sorted(line.line for l in p.location for line in l.line),
        "comments": [s[c] for c in p.comment],
    }))
    """

    /// Decodes `report` with the protobuf runtime (see `decodeScript`) into its JSON summary.
    static func decodeWithProtobuf(_ report: [UInt8]) throws -> [String: Any] {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let proto = try directory.write(Array(Self.profileProto.utf8), to: "profile.proto")
        let file = try directory.write(report, to: "profile.pb.gz")
        let python = try ExternalTool.python()
        let protoc = try python.run(["-m", "grpc_tools.protoc", "-I", directory.url.path, "--python_out=\(directory.url.path)", proto.path])
        try #require(protoc.status == 0, "protoc (pip install grpcio-tools protobuf) failed: \(protoc.standardError)")
        let decoded = try python.run(["-c", Self.decodeScript, directory.url.path, file.path])
        try #require(decoded.status == 0, "decoding failed: \(decoded.standardError)")
        return try JSONSerialization.jsonObject(with: Data(decoded.standardOutput.utf8)) as! [String: Any]
    }

    @Test("decodes with the protobuf runtime into a valid profile with the expected content")
    func decodesWithProtobuf() throws {
        let profile = Fixtures.request
        let summary = try Self.decodeWithProtobuf(profile.render(as: .pprof).bytes)
        #expect(summary["sample_types"] as? [[String]] == [["samples", "count"], ["wall", "nanoseconds"], ["cpu", "nanoseconds"]])
        #expect(summary["default_sample_type"] as? String == "wall")
        #expect(summary["period_type"] as? [String] == ["wall", "nanoseconds"])
        #expect(summary["period"] as? Int == 1_000_000)
        #expect(summary["time_nanos"] as? Int == 1_763_676_000_000_000_000)
        #expect(summary["duration_nanos"] as? Int == 101_500_000)
        #expect(summary["totals"] as? [Int] == [100, 100_000_000, Int(profile.samples.reduce(0) { $0 + $1.cpuNanoseconds })])
        #expect(summary["sample_count"] as? Int == 6)  // one per distinct stack
        let hot = summary["hot"] as? [String: Any]
        #expect(hot?["name"] as? String == Fixtures.hotFunction)
        #expect(hot?["system_name"] as? String == Fixtures.hotFunction + " -> Swift.String")
        #expect(hot?["file"] as? String == "/src/Sources/DemoApp/PasswordHasher.swift")
        #expect(hot?["line"] as? Int == 10)
        let mappings = summary["mappings"] as? [[Any]] ?? []
        #expect(mappings.map { $0[0] as? String } == ["DemoApp", "libc.so.6", "libswift_Concurrency.so", "libswiftCore.so"])
        #expect(mappings.allSatisfy { $0[1] as? Bool == true })
        #expect((summary["location_lines"] as? [Int])?.filter { $0 > 0 } == [10, 12, 24, 40, 88, 120, 300])
        #expect(summary["comments"] as? [String] == ["GET /users/:id -> 200", "exporter swift-request-profiler@\(ExporterInfo.version)"])
    }

    @Test("a large profile decodes too", arguments: [ProfileCase.synthetic(samples: 10_000, depth: 50), .empty])
    func decodesLarge(profile: ProfileCase) throws {
        let summary = try Self.decodeWithProtobuf(profile.profile.render(as: .pprof).bytes)
        #expect((summary["totals"] as? [Int])?.first == profile.profile.sampleCount)
    }

    @Test("go tool pprof reads it and ranks the hot function first")
    func goToolPprof() throws {
        let go = try ExternalTool("go", install: "apt-get install -y golang-go")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write(Fixtures.request.render(as: .pprof).bytes, to: "profile.pb.gz")
        let result = try go.run(["tool", "pprof", "-top", "-sample_index=wall", file.path])
        try #require(result.status == 0, "go tool pprof failed: \(result.standardError)")
        let rows = result.standardOutput.split(separator: "\n").drop { !$0.contains("flat%") }.dropFirst()
        let first = try #require(rows.first, "no rows in: \(result.standardOutput)")
        #expect(first.contains("DemoApp.PasswordHasher.hash"), "top row: \(first)")
        #expect(first.contains("50ms"), "top row: \(first)")
        #expect(result.standardOutput.contains("Type: wall"))
        #expect(result.standardOutput.contains("File: DemoApp"))
    }

    /// `go tool pprof -top` prints function names, files and comments as they are: a saved
    /// report's escape sequence or bidi override in one would act on the terminal.
    @Test("no string reaches the table a terminal would act on")
    func stringsAreTerminalSafe() throws {
        var profile = Fixtures.request
        profile.frames[6] = Frame(
            name: "App.x\u{1B}]0;pwned\u{07}\u{9B}2J", image: "App", file: "/src/E\u{1B}[2J.swift", line: 1, kind: .application)
        profile.frames[5] = Frame(name: "App.\u{202E}nimda\u{061C}", image: "App", file: nil, line: nil, kind: .application)
        profile.metadata.request = RequestInfo(method: "GET", path: "/a\u{1B}[2J", route: nil, status: 200)
        profile.metadata.notes = ["a note\u{1B}[31m"]
        let strings = Self.stringTable(try Gzip.decompress(profile.render(as: .pprof).bytes))
        #expect(strings.contains("App.x\u{FFFD}]0;pwned\u{FFFD}\u{FFFD}2J"))
        let unsafe = strings.filter { $0.unicodeScalars.contains(where: TerminalSafeText.isUnsafe) }
        #expect(unsafe.isEmpty, "\(unsafe)")
        #expect(strings.contains { $0.hasPrefix("GET /a\u{FFFD}[2J") })
    }

    /// The strings of a Profile message (field 6).
    static func stringTable(_ message: [UInt8]) -> [String] {
        ProtobufFields(message).all(6).compactMap { $0.bytes.map { String(decoding: $0, as: UTF8.self) } }
    }

    @Test("gzip: a real gzip member that inflates back to the message")
    func gzip() throws {
        let bytes = try Fixtures.request.render(as: .pprof).bytes
        #expect(bytes.starts(with: [0x1F, 0x8B, 0x08]))
        #expect(try Gzip.decompress(bytes) == PprofRenderer.encode(Fixtures.request))
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Array(bytes.dropLast(12))) }
    }
}
