import Foundation

/// Where and how captured profiles are sent to Grafana Pyroscope.
///
/// From the environment (`PyroscopeSettings(environment:)`):
/// - `PROFILING_PYROSCOPE_URL`: the Pyroscope server, e.g. `http://pyroscope:4040` (a path
///   prefix is kept: `https://host/pyroscope` posts to `https://host/pyroscope/ingest`).
///   Unset or empty: no export.
/// - `PROFILING_APP_NAME`: the application name profiles are filed under (letters, digits,
///   `.`, `-`, `_`), e.g. `shop-api`. Required with the URL.
/// - `PROFILING_PYROSCOPE_AUTH_HEADER`: optional, one whole HTTP header as `Name: value`,
///   e.g. `Authorization: Bearer glc_xxx` or `Authorization: Basic dXNlcjpwYXNz` (Grafana
///   Cloud's user:token in base64), or `X-Scope-OrgID: tenant-1`.
public struct PyroscopeSettings: Sendable, Hashable {
    public var serverURL: URL
    public var applicationName: String
    /// One extra header sent with every request (authentication, tenant).
    public var authHeader: HTTPHeader?
    /// Profiles waiting to be sent; a profile submitted while it is full is dropped (counted).
    public var queueCapacity: Int
    /// Tries per profile, the first included, before it is given up (counted as failed).
    public var maximumAttempts: Int
    /// Wait before the first retry; doubled for each further retry.
    public var initialBackoff: Duration
    /// Longest wait for one request.
    public var requestTimeout: Duration

    public struct HTTPHeader: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(
        serverURL: URL,
        applicationName: String,
        authHeader: HTTPHeader? = nil,
        queueCapacity: Int = 64,
        maximumAttempts: Int = 4,
        initialBackoff: Duration = .milliseconds(500),
        requestTimeout: Duration = .seconds(10)
    ) {
        self.serverURL = serverURL
        self.applicationName = applicationName
        self.authHeader = authHeader
        self.queueCapacity = queueCapacity
        self.maximumAttempts = maximumAttempts
        self.initialBackoff = initialBackoff
        self.requestTimeout = requestTimeout
    }

    /// The settings the environment gives, or nil when `PROFILING_PYROSCOPE_URL` is unset or
    /// empty (export off).
    /// - Throws: `PyroscopeSettingsError` naming the variable whose value is unusable.
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment) throws(PyroscopeSettingsError) {
        guard let urlText = environment[Self.urlVariable]?.trimmingCharacters(in: .whitespaces), !urlText.isEmpty else { return nil }
        guard let url = URL(string: urlText), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty
        else {
            throw PyroscopeSettingsError(variable: Self.urlVariable, value: urlText, expected: "an http or https URL such as http://pyroscope:4040")
        }
        let name = environment[Self.appNameVariable]?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !name.isEmpty, name.unicodeScalars.allSatisfy(Self.isNameCharacter) else {
            throw PyroscopeSettingsError(variable: Self.appNameVariable, value: name, expected: "an application name of letters, digits, '.', '-' and '_', such as shop-api")
        }
        var header: HTTPHeader?
        if let headerText = environment[Self.authHeaderVariable], !headerText.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let colon = headerText.firstIndex(of: ":") else {
                throw PyroscopeSettingsError(variable: Self.authHeaderVariable, value: "(hidden)", expected: "one header as 'Name: value', such as 'Authorization: Bearer <token>'")
            }
            let headerName = headerText[..<colon].trimmingCharacters(in: .whitespaces)
            let value = headerText[headerText.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !headerName.isEmpty, !value.isEmpty, headerName.unicodeScalars.allSatisfy(Self.isTokenCharacter) else {
                throw PyroscopeSettingsError(variable: Self.authHeaderVariable, value: "(hidden)", expected: "one header as 'Name: value', such as 'Authorization: Bearer <token>'")
            }
            header = HTTPHeader(name: headerName, value: value)
        }
        self.init(serverURL: url, applicationName: name, authHeader: header)
    }

    public static let urlVariable = "PROFILING_PYROSCOPE_URL"
    public static let appNameVariable = "PROFILING_APP_NAME"
    public static let authHeaderVariable = "PROFILING_PYROSCOPE_AUTH_HEADER"

    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ".-_".unicodeScalars.contains(scalar))
    }

    /// RFC 9110 token characters, what a header name may hold.
    static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
    }
}

/// An environment variable whose value cannot be used. The message names the variable and
/// what it should hold; an auth header's value is never repeated (it is a secret).
public struct PyroscopeSettingsError: Error, Sendable, Hashable, CustomStringConvertible {
    public var variable: String
    public var value: String
    public var expected: String

    public var description: String {
        "\(variable)=\(value.isEmpty ? "(empty)" : value) is not usable: expected \(expected)."
    }
}
