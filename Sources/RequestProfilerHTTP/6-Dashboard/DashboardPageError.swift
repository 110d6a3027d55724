/// The dashboard template could not be rendered (a broken built-in template: a bug).
struct DashboardPageError: Error, CustomStringConvertible {
    let template: String
    var description: String { "the dashboard template \(template) did not render" }
}
