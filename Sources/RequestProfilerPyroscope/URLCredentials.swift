import Foundation

/// The user and password of a server URL (`https://user:token@host`, Grafana Cloud's form),
/// taken out of it and sent as an `Authorization: Basic` header instead.
///
/// Both ways of giving settings go through here: `PROFILING_PYROSCOPE_URL`, and a
/// ``PyroscopeSettings/serverURL`` set in code. The latter's credentials were copied into every
/// ingest URL, and from there into the `URLError` of a failed try (its `userInfo` holds the
/// whole URL), which the exporter logged: the README promises they never appear in a log.
enum URLCredentials {
    /// Removes the user and password from `components`; returns the header they make, or nil
    /// when there were none. Percent-escapes in them are decoded first (`glc_a%2Fb` is sent
    /// as `glc_a/b`), as a browser or curl would.
    static func take(from components: inout URLComponents) -> PyroscopeSettings.HTTPHeader? {
        guard components.user != nil || components.password != nil else { return nil }
        let pair = (components.user ?? "") + ":" + (components.password ?? "")
        components.user = nil
        components.password = nil
        return PyroscopeSettings.HTTPHeader(name: "Authorization", value: "Basic " + Data(pair.utf8).base64EncodedString())
    }
}
