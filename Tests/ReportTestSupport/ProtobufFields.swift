/// The top-level fields of a protobuf message (wire types 0, 1, 2 and 5), read without a
/// schema: enough to check a pprof file's sample types, string table and samples. A length
/// past the end stops the reading instead of trapping the test run.
public struct ProtobufFields {
    public struct Field {
        public var number: Int
        public var varint: UInt64?
        public var bytes: [UInt8]?
    }

    public let fields: [Field]

    public init(_ message: [UInt8]) {
        var fields: [Field] = []
        var offset = 0
        func varint() -> UInt64? {
            var value: UInt64 = 0, shift: UInt64 = 0
            while offset < message.count, shift < 64 {
                let byte = message[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }
        while offset < message.count, let key = varint() {
            let number = Int(key >> 3)
            switch key & 7 {
            case 0:
                guard let value = varint() else { break }
                fields.append(Field(number: number, varint: value))
            case 2:
                guard let length = varint(), length <= UInt64(message.count - offset) else { offset = message.count; break }
                fields.append(Field(number: number, bytes: Array(message[offset..<offset + Int(length)])))
                offset += Int(length)
            case 1: offset += 8
            case 5: offset += 4
            default: offset = message.count  // not a message this reader knows: stop
            }
        }
        self.fields = fields
    }

    /// The fields numbered `number`, in order.
    public func all(_ number: Int) -> [Field] { fields.filter { $0.number == number } }
}
