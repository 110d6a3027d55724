import Testing
@testable import RequestProfiler

@Suite struct StringPoolTests {
    private func storage(_ text: String) -> UnsafeRawPointer? {
        text.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
    }

    @Test func equalTextsShareOneBuffer() {
        var pool = StringPool()
        // Built at run time, so that the two are separate heap strings to begin with.
        let first = pool.intern(String(repeating: "/usr/lib/swift/linux/", count: 2) + "libswiftCore.so")
        let second = String(repeating: "/usr/lib/swift/linux/", count: 2) + "libswiftCore.so"
        #expect(storage(first) != storage(second))
        let interned = pool.intern(second)
        #expect(interned == second)
        #expect(storage(interned) == storage(first))
        #expect(pool.count == 1)
    }

    @Test func theLimitEmptiesThePoolButKeepsHandedOutStrings() {
        var pool = StringPool(limit: 3)
        let handedOut = (0..<3).map { pool.intern("a fairly long source file name \($0).swift") }
        #expect(pool.count == 3)
        _ = pool.intern(handedOut[1])  // already pooled: no reset
        #expect(pool.count == 3)
        let fourth = pool.intern("another long source file name.swift")
        #expect(pool.count == 1)
        #expect(handedOut[2] == "a fairly long source file name 2.swift")
        #expect(fourth == "another long source file name.swift")
    }
}
