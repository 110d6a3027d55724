/// One level of nesting while encoding: the `Encoder` a value's `encode(to:)` receives.
///
/// JSON needs a closing bracket, but `Encoder` never says when a container is finished. So
/// the level remembers which container its value opened and closes it once `encode(to:)`
/// returns; a nested container opened through `nestedContainer`/`superEncoder` is closed
/// before its parent writes its next element.
///
/// Coding paths are not tracked (they would cost an array per value); the only error this
/// encoder raises is for a non-finite number.
final class JSONEncodingLevel: Encoder {
    private enum Shape { case none, object, array, single }

    let sink: JSONSink
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    private var shape = Shape.none
    private var elementCount = 0
    private var pending: JSONEncodingLevel?

    init(sink: JSONSink) {
        self.sink = sink
    }

    var count: Int { elementCount }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        open(.object)
        return KeyedEncodingContainer(JSONKeyedContainer<Key>(level: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        open(.array)
        return JSONUnkeyedContainer(level: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        shape = .single
        return JSONSingleValueContainer(level: self)
    }

    /// Opens the level's container; asking again (a subclass and its superclass) reuses it.
    private func open(_ newShape: Shape) {
        guard shape == .none else { return }
        shape = newShape
        sink.write(newShape == .object ? UInt8(ascii: "{") : UInt8(ascii: "["))
    }

    /// Starts the next array element: closes a pending nested container, writes the comma.
    func beginElement() {
        if let nested = pending {
            pending = nil
            nested.finish()
        }
        if elementCount > 0 { sink.write(UInt8(ascii: ",")) }
        elementCount += 1
    }

    /// Starts the next object member: `"key":`.
    func begin(key: some CodingKey) {
        beginElement()
        sink.write(key: key.stringValue)
    }

    /// Closes this level's container; a value that encoded nothing becomes `{}` as with
    /// Foundation's encoder.
    func finish() {
        if let nested = pending {
            pending = nil
            nested.finish()
        }
        switch shape {
        case .object: sink.write(UInt8(ascii: "}"))
        case .array: sink.write(UInt8(ascii: "]"))
        case .single: break
        case .none: sink.writeASCII("{}")
        }
    }

    /// A level for `nestedContainer`/`superEncoder`, finished before this level's next element.
    func nestedLevel() -> JSONEncodingLevel {
        let nested = JSONEncodingLevel(sink: sink)
        pending = nested
        return nested
    }

    /// Writes `value` where the caller has just begun an element or member.
    func encodeValue<Value: Encodable>(_ value: Value) throws {
        if try writeDirectly(value) { return }
        let child = JSONEncodingLevel(sink: sink)
        try value.encode(to: child)
        child.finish()
    }

    /// Fast paths for the types reports are made of, checked by type identity (cheap) so the
    /// 500,000 frame indices of a speedscope file skip the generic machinery.
    private func writeDirectly<Value: Encodable>(_ value: Value) throws -> Bool {
        if Value.self == [Int].self {
            sink.write(integers: value as! [Int])
        } else if Value.self == [UInt64].self {
            writeArray(value as! [UInt64]) { self.sink.write($0) }
        } else if Value.self == String.self {
            sink.write(value as! String)
        } else if Value.self == Int.self {
            sink.write(Int64(value as! Int))
        } else if Value.self == UInt64.self {
            sink.write(value as! UInt64)
        } else if Value.self == Bool.self {
            write(value as! Bool)
        } else if Value.self == Double.self {
            try sink.write(value as! Double)
        } else {
            return false
        }
        return true
    }

    private func writeArray<Element>(_ array: [Element], _ writeElement: (Element) -> Void) {
        sink.write(UInt8(ascii: "["))
        for (index, element) in array.enumerated() {
            if index > 0 { sink.write(UInt8(ascii: ",")) }
            writeElement(element)
        }
        sink.write(UInt8(ascii: "]"))
    }

    func write(_ value: Bool) {
        if value { sink.writeASCII("true") } else { sink.writeASCII("false") }
    }

    func write(_ value: some BinaryInteger) {
        if value < 0 { sink.write(Int64(value)) } else { sink.write(UInt64(value)) }
    }
}
