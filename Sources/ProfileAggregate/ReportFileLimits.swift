/// How large one report file may be for the loader to read it: its bytes
/// (``RegularFileReader/largestReportBytes``) and its JSON values (``ReportLoader/mostJSONValues``,
/// counted before decoding, see ``JSONValueCount``). A merge or a diff rendered as json is held
/// to the same limits (``ReloadableJSON``), so that what it writes loads again. A value, not
/// constants, so that tests can hold small reports to small limits.
struct ReportFileLimits: Sendable {
    var bytes: Int
    var jsonValues: Int

    static let standard = ReportFileLimits(bytes: RegularFileReader.largestReportBytes, jsonValues: ReportLoader.mostJSONValues)

    /// ``jsonValues`` for a message: "16 million".
    var jsonValuesText: String {
        jsonValues >= 1_000_000 && jsonValues % 1_000_000 == 0 ? "\(jsonValues / 1_000_000) million" : "\(jsonValues)"
    }

    /// ``bytes`` for a message: "256 MB".
    var bytesText: String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MB" : "\(bytes) bytes"
    }
}
