/// The dashboard page's templates (`Templates/dashboard/`), compiled into the binary with
/// `.embedInCode` like the report templates. Keys are the names partials use.
public enum DashboardTemplates {
    /// The page; includes the two partials below.
    public static let page = "dashboard/dashboard"

    public static let all: [String: String] = [
        "dashboard/dashboard": text(PackageResources.dashboard_mustache),
        "dashboard/dashboard-style": text(PackageResources.dashboard_style_mustache),
        "dashboard/dashboard-script": text(PackageResources.dashboard_script_mustache),
    ]

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
