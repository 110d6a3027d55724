import ProfileAggregate
import ProfileReports
import Testing

/// The exact aggregate and diff reports of the fixed fixtures. Regenerate with
/// `UPDATE_GOLDEN=1 swift test --filter ProfileAggregateTests` after an intended change and
/// review the diff.
@Suite("Aggregate and diff golden files")
struct AggregateGoldenTests {
    static let diff = ProfileDiff(
        before: [RequestFixtures.request(price: 20, audit: 5, load: 10), RequestFixtures.request(price: 22, load: 12, start: 1_763_676_030)],
        after: [RequestFixtures.request(price: 40, audit: 5, load: 10, start: 1_763_679_600), RequestFixtures.request(price: 42, load: 11, start: 1_763_679_630)]
    )

    @Test("aggregate", arguments: [ProfileFormat.text, .json, .html])
    func aggregate(format: ProfileFormat) throws {
        let report = try AggregateProfile(profiles: RequestFixtures.five).render(as: format)
        try GoldenFile.check(report.bytes, named: "aggregate.\(format.fileExtension)")
    }

    @Test("diff", arguments: [ProfileFormat.text, .json, .html])
    func diff(format: ProfileFormat) throws {
        try GoldenFile.check(try Self.diff.render(as: format).bytes, named: "diff.\(format.fileExtension)")
    }
}
