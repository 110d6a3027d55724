import Foundation
import ProfileAggregate
import ProfileReports
import ReportTestSupport
import Testing

/// The functions the dashboard calls with a route's saved reports.
@Suite("Report collections")
struct ReportCollectionTests {
    /// Six saved reports, oldest first: `price` 10 ms in the first three, 30 ms in the last three.
    private func savedReports(in directory: TemporaryDirectory) throws -> [String] {
        try [10, 10, 10, 30, 30, 30].enumerated().map { index, price in
            let profile = RequestFixtures.request(price: price, start: 1_763_676_000 + Double(index))
            return try directory.write(try profile.render(as: .json).bytes, to: "report-\(index).json").path
        }
    }

    @Test("merge of a list of report files, rendered in a chosen format")
    func merge() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let report = try ReportCollection.merge(try savedReports(in: directory), format: .json)
        let decoded = try JSONDecoder().decode(JSONReport.self, from: Data(report.bytes))
        #expect(decoded.aggregate?.requests.requestCount == 6)
        #expect(try ReportCollection.merge([directory.url.path], format: .html).contentType == "text/html; charset=utf-8")
    }

    @Test("the last three against the three before: the change is the newer reports'")
    func lastVersusPrevious() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let paths = try savedReports(in: directory)
        let report = try ReportCollection.lastVersusPrevious(paths, count: 3, format: .json)
        let diff = try #require(try JSONDecoder().decode(JSONReport.self, from: Data(report.bytes)).diff)
        #expect(diff.before.requestCount == 3 && diff.after.requestCount == 3)
        #expect(diff.frames.first?.name == RequestFixtures.price)
        #expect(diff.frames.first?.changeNanosecondsPerRequest == 20_000_000)
        // Fewer than 2 × count: the newer half against the older half.
        let short = try ReportCollection.lastVersusPrevious(Array(paths.suffix(4)), count: 3, format: .json)
        let shortDiff = try #require(try JSONDecoder().decode(JSONReport.self, from: Data(short.bytes)).diff)
        #expect(shortDiff.before.requestCount == 2 && shortDiff.after.requestCount == 2)
        #expect(throws: ReportCollectionError.tooFewReports(found: 1)) {
            try ReportCollection.lastVersusPrevious([paths[0]], count: 3, format: .text)
        }
    }
}
