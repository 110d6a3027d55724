import Foundation

/// Where and how captured profiles are sent to Grafana Pyroscope.
///
/// From the environment (`PyroscopeSettings(environment:)`):
/// - `PROFILING_PYROSCOPE_URL`: the Pyroscope server, e.g. `http://pyroscope:4040` (a path
///   prefix is kept: `https://host/pyroscope` posts to `https://host/pyroscope/ingest`).
///   Unset or empty: no export. Credentials in it (`https://user:token@host`, Grafana Cloud's
///   form) become an `Authorization: Basic` header and leave the URL, so logs never show them;
///   with an auth header of another name (`X-Scope-OrgID`) they stay in ``serverURL``, which
///   sends them as that header all the same, and the other goes beside them.
/// - `PROFILING_APP_NAME`: the application name profiles are filed under (letters, digits,
///   `.`, `-`, `_`), e.g. `shop-api`. Required with the URL.
/// - `PROFILING_PYROSCOPE_AUTH_HEADER`: optional, one whole HTTP header as `Name: value`,
///   e.g. `Authorization: Bearer glc_xxx` or `Authorization: Basic dXNlcjpwYXNz` (Grafana
///   Cloud's user:token in base64), or `X-Scope-OrgID: tenant-1`. An `Authorization` header
///   with credentials in the URL is refused: it would replace them.
public struct PyroscopeSettings: Sendable, Hashable {
    /// The Pyroscope server. Credentials in a URL set in code (`https://user:token@host`) are
    /// sent as an `Authorization: Basic` header, never in the request's URL, as the
    /// environment's are; an ``authHeader`` named `Authorization` too is sent in their place.
    public var serverURL: URL
    /// The application name profiles are filed under; sent as ``usableApplicationName``.
    public var applicationName: String
    /// One extra header sent with every request (authentication, tenant).
    public var authHeader: HTTPHeader?
    /// Profiles waiting to be sent; a profile submitted while it is full is dropped (counted).
    public var queueCapacity: Int
    /// Tries per profile, the first included, before it is given up (counted as failed); at
    /// most ``mostAttempts``.
    public var maximumAttempts: Int
    /// Wait before the first retry; doubled for each further retry, up to ``longestBackoff``.
    public var initialBackoff: Duration
    /// Longest wait for one request; used as ``usableRequestTimeout``.
    public var requestTimeout: Duration

    public struct HTTPHeader: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The most tries per profile: with the server down, a profile then takes at most about
    /// five minutes of the sending task (the tries' timeouts and waits) before the next.
    public static let mostAttempts = 10
    /// The longest wait between two tries (a doubling without a cap reached centuries, or
    /// trapped on overflow, after some 40 tries).
    public static let longestBackoff: Duration = .seconds(30)

    /// The longest ``requestTimeout`` used.
    public static let longestRequestTimeout: Duration = .seconds(300)

    /// ``requestTimeout`` in whole seconds (rounded up), from 1 to ``longestRequestTimeout``.
    /// URLSession on Linux converts the timeout with `Int(...)`: a huge value trapped inside it,
    /// on a queue of its own, which ended the server.
    public var usableRequestTimeout: Duration {
        guard requestTimeout > .zero else { return .seconds(1) }
        guard requestTimeout < Self.longestRequestTimeout else { return Self.longestRequestTimeout }
        let (seconds, attoseconds) = requestTimeout.components
        return .seconds(attoseconds > 0 ? seconds + 1 : seconds)
    }

    /// ``applicationName`` as Pyroscope's series name can hold it: surrounding whitespace
    /// trimmed, every character the environment refuses (anything but ASCII letters, digits,
    /// `.`, `-`, `_`) replaced by `_`, and `_` for an empty name. A name set in code is not
    /// parsed, and went into the series name as it was: `shop{env=prod` gave the profiles a
    /// label of its choosing, and `shop api` or an empty name had Pyroscope answer 400 (final,
    /// not retried) to every profile. The exporter logs a warning when this differs.
    public var usableApplicationName: String { Self.usableApplicationName(applicationName) }

    /// `name` as ``usableApplicationName`` makes it.
    static func usableApplicationName(_ name: String) -> String {
        var usable = String.UnicodeScalarView()
        for scalar in name.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars {
            usable.append(isNameCharacter(scalar) ? scalar : "_")
        }
        return usable.isEmpty ? "_" : String(usable)
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
        guard let urlText = environment[Self.urlVariable]?.trimmingCharacters(in: .whitespacesAndNewlines), !urlText.isEmpty else { return nil }
        let shownURL = Self.hidingSecrets(urlText)
        guard let url = URL(string: urlText), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        else {
            throw PyroscopeSettingsError(variable: Self.urlVariable, value: shownURL, expected: "an http or https URL such as http://pyroscope:4040")
        }
        let withCredentials = components
        let urlCredentials = URLCredentials.take(from: &components)
        // Pyroscope's ingest URL gets a path and a query of its own: a query or fragment here
        // (`http://pyroscope:4040/?orgId=1`) would have carried `/ingest` inside it.
        guard components.query == nil, components.fragment == nil else {
            throw PyroscopeSettingsError(
                variable: Self.urlVariable, value: shownURL,
                expected: "a server URL without a ?query or #fragment, such as http://pyroscope:4040 or https://host/pyroscope")
        }
        guard let serverURL = components.url else {
            throw PyroscopeSettingsError(variable: Self.urlVariable, value: shownURL, expected: "an http or https URL such as http://pyroscope:4040")
        }
        let name = environment[Self.appNameVariable]?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !name.isEmpty, name.unicodeScalars.allSatisfy(Self.isNameCharacter) else {
            throw PyroscopeSettingsError(variable: Self.appNameVariable, value: name, expected: "an application name of letters, digits, '.', '-' and '_', such as shop-api")
        }
        var header: HTTPHeader?
        // A secret read from a file (a Kubernetes secret made with --from-file) ends in a newline.
        if let headerText = environment[Self.authHeaderVariable]?.trimmingCharacters(in: .whitespacesAndNewlines), !headerText.isEmpty {
            let expected = "one header as 'Name: value', such as 'Authorization: Bearer <token>'"
            guard let colon = headerText.firstIndex(of: ":") else {
                throw PyroscopeSettingsError(variable: Self.authHeaderVariable, value: "(hidden)", expected: expected)
            }
            let headerName = headerText[..<colon].trimmingCharacters(in: .whitespaces)
            let value = headerText[headerText.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !headerName.isEmpty, !value.isEmpty, headerName.unicodeScalars.allSatisfy(Self.isTokenCharacter) else {
                throw PyroscopeSettingsError(variable: Self.authHeaderVariable, value: "(hidden)", expected: expected)
            }
            // A line break inside would end the header early or add one of the sender's choosing.
            guard value.unicodeScalars.allSatisfy(Self.isHeaderValueCharacter) else {
                throw PyroscopeSettingsError(variable: Self.authHeaderVariable, value: "(hidden)", expected: expected + " on one line, without control characters")
            }
            header = HTTPHeader(name: headerName, value: value)
        }
        // The URL's credentials are an Authorization header: one in the variable too would
        // replace them. A header of another name (a tenant's X-Scope-OrgID) goes beside them:
        // they then stay in the server URL, which sends them as the header all the same.
        var sentURL = serverURL
        if let urlCredentials, let header {
            guard header.name.caseInsensitiveCompare(urlCredentials.name) != .orderedSame else {
                throw PyroscopeSettingsError(
                    variable: Self.urlVariable, value: shownURL,
                    expected: "credentials in the URL or an \(urlCredentials.name) header in \(Self.authHeaderVariable), not both")
            }
            sentURL = withCredentials.url ?? serverURL
        }
        self.init(serverURL: sentURL, applicationName: name, authHeader: header ?? urlCredentials)
    }

    public static let urlVariable = "PROFILING_PYROSCOPE_URL"
    public static let appNameVariable = "PROFILING_APP_NAME"
    public static let authHeaderVariable = "PROFILING_PYROSCOPE_AUTH_HEADER"

    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ".-_".unicodeScalars.contains(scalar))
    }

    /// A header value's characters: visible ones, spaces and tabs (RFC 9110), no line breaks.
    static func isHeaderValueCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || (scalar.value >= 0x20 && scalar.value != 0x7F)
    }

    /// `text` with the user and password of its authority (`scheme://user:password@host`)
    /// replaced by `***`, and whatever follows the first `?` or `#` after that too, for error
    /// messages and logs; any text, even one that is not a URL. A query or fragment is refused
    /// (and left out of ingest URLs), but it is where some servers take a key
    /// (`?api_key=…`): the error that refused it printed the key to the startup log.
    /// Everything up to the last `@` is hidden, `/`, `?` and `#` included: a password pasted
    /// raw may hold any of them, and the URL is then unparseable and shown in the error.
    /// Hiding too much of a URL whose path holds an `@` costs nothing. Searched scalar by
    /// scalar, as a URL parser reads it: an `@` followed by a combining mark is one Swift
    /// Character that equals no `@`, and the whole text, password included, was shown.
    static func hidingSecrets(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let authorityStart = scalars.firstRange(of: "://".unicodeScalars)?.upperBound ?? scalars.startIndex
        var shown = String.UnicodeScalarView(scalars[..<authorityStart])
        var rest = scalars[authorityStart...]
        if let at = rest.lastIndex(of: "@") {
            shown.append(contentsOf: "***".unicodeScalars)
            rest = rest[at...]
        }
        if let mark = rest.firstIndex(where: { $0 == "?" || $0 == "#" }), rest.index(after: mark) < rest.endIndex {
            shown.append(contentsOf: rest[...mark])
            shown.append(contentsOf: "***".unicodeScalars)
        } else {
            shown.append(contentsOf: rest)
        }
        return String(shown)
    }

    /// The server URL as logs show it: without credentials, query or fragment, should settings
    /// made in code have put any in it (ingest URLs leave the query and fragment out).
    public var serverURLForLogs: String { Self.hidingSecrets(serverURL.absoluteString) }

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
