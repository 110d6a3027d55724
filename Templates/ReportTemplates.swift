/// The report templates compiled into the binary with `.embedInCode`, so a deployed server
/// needs no resource bundle beside it (`Bundle.module` would crash at run time without one).
///
/// Keys are the names partials use (`{{> html/style}}`): the file's path under `Templates/`
/// without `.mustache`. A user template directory overrides them by the same names.
public enum ReportTemplates {
    /// Every built-in template, by name.
    public static let all: [String: String] = [
        "html/page": text(PackageResources.page_mustache),
        "html/header": text(PackageResources.header_mustache),
        "html/style": text(PackageResources.style_mustache),
        "html/script": text(PackageResources.script_mustache),
        "text/report": text(PackageResources.report_mustache),
        "text/summary": text(PackageResources.summary_mustache),
    ]

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
