@testable import ProfileReports
import Testing

/// The encoder against the examples of the protobuf encoding guide
/// (https://protobuf.dev/programming-guides/encoding/).
@Suite("ProtobufWriter")
struct ProtobufWriterTests {
    private func bytes(_ body: (inout ProtobufWriter) -> Void) -> [UInt8] {
        var writer = ProtobufWriter()
        body(&writer)
        return writer.bytes
    }

    @Test("varints: 1, 150 and 300 as in the guide")
    func varints() {
        #expect(bytes { $0.write(1, UInt64(1)) } == [0x08, 0x01])
        #expect(bytes { $0.write(1, UInt64(150)) } == [0x08, 0x96, 0x01])
        #expect(bytes { $0.writeVarint(300) } == [0xAC, 0x02])
        #expect(bytes { $0.writeVarint(UInt64.max) } == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
    }

    @Test("int64 -1 is ten bytes, as proto's (non-zigzag) int64 is")
    func negative() {
        #expect(bytes { $0.write(1, Int64(-1)) } == [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
    }

    @Test("zero scalars are omitted, as proto3 does; empty strings are kept")
    func defaults() {
        #expect(bytes { $0.write(1, UInt64(0)) }.isEmpty)
        #expect(bytes { $0.write(7, false) }.isEmpty)
        #expect(bytes { $0.write(7, true) } == [0x38, 0x01])
        #expect(bytes { $0.write(6, string: "") } == [0x32, 0x00])
    }

    @Test("string field 2 \"testing\" as in the guide")
    func string() {
        #expect(bytes { $0.write(2, string: "testing") } == [0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6E, 0x67])
    }

    @Test("embedded message: field 3 holding field 1 = 150, as in the guide")
    func message() {
        #expect(bytes { $0.writeMessage(3) { $0.write(1, UInt64(150)) } } == [0x1A, 0x03, 0x08, 0x96, 0x01])
    }

    @Test("packed repeated field 4 = [3, 270, 86942], as in the guide")
    func packed() {
        #expect(bytes { $0.writePacked(4, [3, 270, 86942] as [UInt64]) } == [0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05])
        #expect(bytes { $0.writePacked(4, [] as [UInt64]) }.isEmpty)
    }
}
