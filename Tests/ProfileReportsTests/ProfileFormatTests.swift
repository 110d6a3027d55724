import ProfileReports
import Testing

@Suite("ProfileFormat")
struct ProfileFormatTests {
    @Test("parses every query-string name, in any case")
    func parsesNames() throws {
        for format in ProfileFormat.allCases {
            #expect(try ProfileFormat(parsing: format.rawValue) == format)
            #expect(try ProfileFormat(parsing: format.rawValue.uppercased()) == format)
        }
        #expect(try ProfileFormat(parsing: "SpeedScope") == .speedscope)
    }

    @Test("rejects an unknown name with a message listing the valid ones")
    func rejectsUnknownNames() {
        #expect {
            try ProfileFormat(parsing: "flamegraph")
        } throws: { error in
            let message = String(describing: error)
            return message.contains("\"flamegraph\"")
                && message.contains("html, text, json, speedscope, collapsed, pprof")
        }
        #expect(throws: ProfileFormatError(unknownName: "")) { try ProfileFormat(parsing: "") }
    }

    @Test("content types and file extensions suit each format's viewers")
    func contentTypes() {
        let expected: [ProfileFormat: (String, String)] = [
            .html: ("text/html; charset=utf-8", "html"),
            .text: ("text/plain; charset=utf-8", "txt"),
            .json: ("application/json", "json"),
            .speedscope: ("application/json", "speedscope.json"),
            .collapsed: ("text/plain; charset=utf-8", "collapsed.txt"),
            .pprof: ("application/octet-stream", "pb.gz"),
        ]
        for format in ProfileFormat.allCases {
            #expect(format.contentType == expected[format]?.0)
            #expect(format.fileExtension == expected[format]?.1)
        }
    }
}
