/// A lone value for `CompactJSONEncoder` (an enum's raw value, a wrapper type).
struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let level: JSONEncodingLevel
    var codingPath: [any CodingKey] { level.codingPath }

    mutating func encodeNil() throws { level.sink.writeASCII("null") }
    mutating func encode(_ value: Bool) throws { level.write(value) }
    mutating func encode(_ value: String) throws { level.sink.write(value) }
    mutating func encode(_ value: Double) throws { try level.sink.write(value) }
    mutating func encode(_ value: Float) throws { try level.sink.write(Double(value)) }
    mutating func encode(_ value: Int) throws { level.write(value) }
    mutating func encode(_ value: Int8) throws { level.write(value) }
    mutating func encode(_ value: Int16) throws { level.write(value) }
    mutating func encode(_ value: Int32) throws { level.write(value) }
    mutating func encode(_ value: Int64) throws { level.write(value) }
    mutating func encode(_ value: UInt) throws { level.write(value) }
    mutating func encode(_ value: UInt8) throws { level.write(value) }
    mutating func encode(_ value: UInt16) throws { level.write(value) }
    mutating func encode(_ value: UInt32) throws { level.write(value) }
    mutating func encode(_ value: UInt64) throws { level.write(value) }
    mutating func encode<Value: Encodable>(_ value: Value) throws { try level.encodeValue(value) }
}
