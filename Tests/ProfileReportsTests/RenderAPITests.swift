import ProfileModel
import ProfileReports
import Testing

@Suite("Profile.render(as:)")
struct RenderAPITests {
    @Test("renders every format with its content type and extension", arguments: ProfileFormat.allCases)
    func rendersEveryFormat(format: ProfileFormat) throws {
        let report = try Fixtures.request.render(as: format)
        #expect(report.format == format)
        #expect(report.contentType == format.contentType)
        #expect(report.fileExtension == format.fileExtension)
        #expect(report.bytes.count > 100)
        #expect(format.renderer.format == format)
    }

    @Test("an empty profile still renders in every format", arguments: ProfileFormat.allCases)
    func rendersEmptyProfile(format: ProfileFormat) throws {
        let report = try Fixtures.empty.render(as: format)
        #expect(report.format == format)
        if format != .collapsed { #expect(!report.bytes.isEmpty) }
    }

    @Test("renderers are pure: the same profile gives the same bytes", arguments: ProfileFormat.allCases)
    func deterministic(format: ProfileFormat) throws {
        let options = RenderOptions(ansiColor: true)
        #expect(try Fixtures.request.render(as: format, options: options) == Fixtures.request.render(as: format, options: options))
    }
}
