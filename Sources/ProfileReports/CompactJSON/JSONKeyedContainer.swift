/// Object members for `CompactJSONEncoder`: each `encode` writes `"key":value` at once.
struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let level: JSONEncodingLevel
    var codingPath: [any CodingKey] { level.codingPath }

    mutating func encodeNil(forKey key: Key) throws { level.begin(key: key); level.sink.writeASCII("null") }
    mutating func encode(_ value: Bool, forKey key: Key) throws { level.begin(key: key); level.write(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { level.begin(key: key); level.sink.write(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { level.begin(key: key); try level.sink.write(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { level.begin(key: key); try level.sink.write(Double(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { level.begin(key: key); level.write(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { level.begin(key: key); level.write(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { level.begin(key: key); level.write(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { level.begin(key: key); level.write(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { level.begin(key: key); level.write(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { level.begin(key: key); level.write(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { level.begin(key: key); level.write(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { level.begin(key: key); level.write(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { level.begin(key: key); level.write(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { level.begin(key: key); level.write(value) }

    mutating func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws {
        level.begin(key: key)
        try level.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        level.begin(key: key)
        return level.nestedLevel().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        level.begin(key: key)
        return level.nestedLevel().unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        level.begin(key: SuperKey())
        return level.nestedLevel()
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        level.begin(key: key)
        return level.nestedLevel()
    }

    /// The key Codable uses for a superclass's members.
    private struct SuperKey: CodingKey {
        var stringValue: String { "super" }
        var intValue: Int? { nil }
        init() {}
        init?(stringValue: String) { nil }
        init?(intValue: Int) { nil }
    }
}
