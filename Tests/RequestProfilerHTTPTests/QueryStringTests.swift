import Testing
@testable import RequestProfilerHTTP

@Suite("Query string lookup")
struct QueryStringTests {
    @Test func findsDecodedValues() {
        let query = QueryString("a=1&profile_format=text&name=hello+world%21&profile")
        #expect(query["a"] == "1")
        #expect(query["profile_format"] == "text")
        #expect(query["name"] == "hello world!")
        #expect(query["profile"] == "")
        #expect(query["missing"] == nil)
    }

    @Test func firstOccurrenceWinsAndEmptyPairsAreSkipped() {
        let query = QueryString("&&profile=1&profile=0&")
        #expect(query["profile"] == "1")
    }

    @Test func escapedKeysMatchAndMalformedEscapesStay() {
        let query = QueryString("profile%5Fformat=json&x=%zz%4")
        #expect(query["profile_format"] == "json")
        #expect(query["x"] == "%zz%4")
    }

    @Test func prefixOfAnotherKeyDoesNotMatch() {
        #expect(QueryString("profiled=1&profile_format=html")["profile"] == nil)
    }
}
