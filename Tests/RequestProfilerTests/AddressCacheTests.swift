import Testing
@testable import RequestProfiler

@Suite struct AddressCacheTests {
    @Test func staysWithinItsLimitAndStartsOverWhenFull() {
        var cache = AddressCache<Int>(limit: 100)
        for address in 0..<UInt(1_000) {
            cache.insert(Int(address), for: address)
            #expect(cache.count <= 100)
            #expect(cache[address] == Int(address))
        }
        #expect(cache.resets == 9)
        // Re-inserting a cached address never empties it.
        for _ in 0..<10 { cache.insert(0, for: 999) }
        #expect(cache.resets == 9)
    }

    @Test func forgetsOnlyTheAddressesInTheRangesGiven() {
        var cache = AddressCache<Int>(limit: 100)
        for address in 0..<UInt(50) { cache.insert(Int(address), for: address) }
        cache.removeAll(in: [10..<20, 40..<45])
        #expect(cache.count == 35)
        #expect(cache[9] == 9 && cache[10] == nil && cache[19] == nil && cache[20] == 20 && cache[44] == nil && cache[45] == 45)
    }

    @Test func remembersNilValuesAsKnown() {
        var cache = AddressCache<(file: String, line: Int)?>(limit: 4)
        cache.insert(nil, for: 7)
        #expect(cache[7] != nil)  // known: no line for this address
        #expect(cache[8] == nil)  // unknown
    }
}
