/// Array elements for `CompactJSONEncoder`, written as they come.
struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let level: JSONEncodingLevel
    var codingPath: [any CodingKey] { level.codingPath }
    var count: Int { level.count }

    mutating func encodeNil() throws { level.beginElement(); level.sink.writeASCII("null") }
    mutating func encode(_ value: Bool) throws { level.beginElement(); level.write(value) }
    mutating func encode(_ value: String) throws { level.beginElement(); level.sink.write(value) }
    mutating func encode(_ value: Double) throws { level.beginElement(); try level.sink.write(value) }
    mutating func encode(_ value: Float) throws { level.beginElement(); try level.sink.write(Double(value)) }
    mutating func encode(_ value: Int) throws { level.beginElement(); level.write(value) }
    mutating func encode(_ value: Int8) throws { level.beginElement(); level.write(value) }
    mutating func encode(_ value: Int16) throws { level.beginElement(); level.write(value) }
    mutating func encode(_ value: Int32) throws { level.beginElement(); level.write(value) }
    mutating func encode(_ value: Int64) throws { level.beginElement(); level.write(value) }
    mutating func encode(_ value: UInt) throws { level.beginElement(); level.write(value) }
    mutating func encode(_ value: UInt8) throws { level.beginElement(); level.write(value) }
    mutating func encode(_ value: UInt16) throws { level.beginElement(); level.write(value) }
    mutating func encode(_ value: UInt32) throws { level.beginElement(); level.write(value) }
    mutating func encode(_ value: UInt64) throws { level.beginElement(); level.write(value) }

    mutating func encode<Value: Encodable>(_ value: Value) throws {
        level.beginElement()
        try level.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        level.beginElement()
        return level.nestedLevel().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        level.beginElement()
        return level.nestedLevel().unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        level.beginElement()
        return level.nestedLevel()
    }
}
