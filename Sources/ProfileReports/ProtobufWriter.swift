/// A minimal protocol-buffers encoder for the pprof writer: just the wire types profile.proto
/// uses (varint and length-delimited), written by hand because the wire format is small and
/// a swift-protobuf dependency (plus generated code) would outweigh it.
///
/// Wire format (https://protobuf.dev/programming-guides/encoding/): each field is a key
/// `(fieldNumber << 3) | wireType` as a varint, then the value. Proto3 scalars equal to zero
/// are omitted; repeated scalars are packed (one length-delimited run of varints).
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    /// Wire type 0: int32, int64, uint64, bool, enum.
    static let varintWireType: UInt64 = 0
    /// Wire type 2: strings, bytes, embedded messages, packed repeated fields.
    static let lengthDelimitedWireType: UInt64 = 2

    init() {}

    /// Base-128 varint, least significant group first, high bit set on all but the last byte.
    mutating func writeVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private mutating func writeKey(_ field: Int, wireType: UInt64) {
        writeVarint(UInt64(field) << 3 | wireType)
    }

    /// An unsigned field (uint64); omitted when zero, as proto3 does.
    mutating func write(_ field: Int, _ value: UInt64) {
        guard value != 0 else { return }
        writeKey(field, wireType: Self.varintWireType)
        writeVarint(value)
    }

    /// A signed field (int64): negative numbers are sign-extended to 10 bytes, as proto's int64 is.
    mutating func write(_ field: Int, _ value: Int64) {
        write(field, UInt64(bitPattern: value))
    }

    mutating func write(_ field: Int, _ value: Int) {
        write(field, Int64(value))
    }

    /// A bool field; omitted when false.
    mutating func write(_ field: Int, _ value: Bool) {
        write(field, value ? UInt64(1) : 0)
    }

    /// A string field; written even when empty, because a repeated string (pprof's string
    /// table, whose entry 0 must be "") has to keep its position.
    mutating func write(_ field: Int, string: String) {
        writeKey(field, wireType: Self.lengthDelimitedWireType)
        let utf8 = string.utf8
        writeVarint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// An embedded message, built by `body` into its own writer and written length-prefixed.
    mutating func writeMessage(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var message = ProtobufWriter()
        body(&message)
        writeKey(field, wireType: Self.lengthDelimitedWireType)
        writeVarint(UInt64(message.bytes.count))
        bytes.append(contentsOf: message.bytes)
    }

    /// A packed repeated integer field; omitted when empty.
    mutating func writePacked<Values: Collection>(_ field: Int, _ values: Values) where Values.Element == UInt64 {
        guard !values.isEmpty else { return }
        var packed = ProtobufWriter()
        for value in values { packed.writeVarint(value) }
        writeKey(field, wireType: Self.lengthDelimitedWireType)
        writeVarint(UInt64(packed.bytes.count))
        bytes.append(contentsOf: packed.bytes)
    }
}
