import Foundation
import ProfileModel
import ProfileReports

/// One `POST /ingest` to Pyroscope: the URL with the series name and time range, headers, and
/// the profile as gzipped pprof.
///
/// `name` is `APP{route=…,method=…,status=…}` (labels the profile has; none for work that was
/// not a request). Pyroscope parses it as `app{key=value,…}`, so label values have the
/// characters of that syntax (`{`, `}`, `,`, `=`, `"`) and whitespace replaced by `_`; the
/// query is then percent-encoded, every character outside `A-Z a-z 0-9 - . _ ~` escaped.
/// `from` and `until` are unix seconds: the profile's start, and its end rounded up (at least
/// one second later, as Pyroscope wants a non-empty range).
public struct PyroscopeIngestRequest: Sendable {
    public var url: URL
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    /// Renders `profile` as gzipped pprof: blocking work, which `PyroscopeExporter` does on a
    /// thread of its own, not on the cooperative pool.
    public init(profile: Profile, settings: PyroscopeSettings) throws {
        body = try profile.render(as: .pprof).bytes
        var headers = [(name: "Content-Type", value: "application/octet-stream")]
        // The server URL's credentials, as a header: the URL leaves without them (see
        // `URLCredentials`). The settings' own header replaces them when it is an
        // Authorization header too, and is sent beside them otherwise (a tenant's).
        var server = try Self.serverComponents(settings)
        if let basic = URLCredentials.take(from: &server),
           settings.authHeader?.name.caseInsensitiveCompare(basic.name) != .orderedSame {
            headers.append((basic.name, basic.value))
        }
        if let auth = settings.authHeader { headers.append((auth.name, auth.value)) }
        self.headers = headers
        url = try Self.url(for: profile.metadata, settings: settings)
    }

    /// The series name, before percent-encoding. `applicationName` is taken as
    /// ``PyroscopeSettings/usableApplicationName`` makes it: a `{` or `,` in it would have
    /// added labels.
    public static func seriesName(for metadata: ProfileMetadata, applicationName: String) -> String {
        let applicationName = PyroscopeSettings.usableApplicationName(applicationName)
        guard let request = metadata.request else { return applicationName }
        var labels: [(String, String)] = []
        if let route = request.route { labels.append(("route", route)) }
        labels.append(("method", request.method))
        if let status = request.status { labels.append(("status", String(status))) }
        return applicationName + "{" + labels.map { "\($0)=\(labelValue($1))" }.joined(separator: ",") + "}"
    }

    /// `value` safe inside Pyroscope's `{key=value,…}`.
    ///
    /// Replaced scalar by scalar, not Character by Character: Pyroscope's Go parser reads code
    /// points, and a `,` followed by a combining mark (U+0301) or a variation selector is one
    /// Swift Character that equals no `,`; it went out unescaped and split the label there.
    static func labelValue(_ value: String) -> String {
        var safe = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            safe.append("{},=\"".unicodeScalars.contains(scalar) || scalar.properties.isWhitespace ? "_" : scalar)
        }
        return safe.isEmpty ? "_" : String(safe)
    }

    /// The ingest URL: the server's path (a prefix is kept) + `/ingest`, and the query. The
    /// server URL's own query and fragment are left out (the environment refuses them; one set
    /// in code would otherwise have had `/ingest` appended to its query), and so are its user
    /// and password (sent as a header by `init`).
    static func url(for metadata: ProfileMetadata, settings: PyroscopeSettings) throws -> URL {
        // Unix seconds that Pyroscope can store, and an Int can hold: a profile built in code
        // with a start time of NaN or far in the future is refused here, not trapped on.
        let end = metadata.startTime + Double(metadata.durationNanoseconds) / 1e9
        guard metadata.startTime.isFinite, end.isFinite, metadata.startTime >= 0, end < 1e12 else {
            throw PyroscopeRequestError.unusableTime(metadata.startTime)
        }
        let from = Int(metadata.startTime.rounded(.down))
        let until = max(from + 1, Int(end.rounded(.up)))
        let query = [
            ("name", seriesName(for: metadata, applicationName: settings.applicationName)),
            ("from", String(from)),
            ("until", String(until)),
            ("format", "pprof"),
            ("spyName", "swift-request-profiler"),
        ].map { "\($0)=\(percentEncoded($1))" }.joined(separator: "&")
        var components = try serverComponents(settings)
        _ = URLCredentials.take(from: &components)
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        components.percentEncodedPath = path + "/ingest"
        components.percentEncodedQuery = query
        components.fragment = nil
        guard let url = components.url else { throw PyroscopeRequestError.unusableServerURL(settings.serverURLForLogs) }
        return url
    }

    private static func serverComponents(_ settings: PyroscopeSettings) throws -> URLComponents {
        guard let components = URLComponents(url: settings.serverURL, resolvingAgainstBaseURL: false) else {
            throw PyroscopeRequestError.unusableServerURL(settings.serverURLForLogs)
        }
        return components
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
