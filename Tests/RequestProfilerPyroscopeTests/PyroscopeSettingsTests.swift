import Foundation
import ProfileModel
import ProfileReports
import ReportTestSupport
import RequestProfilerPyroscope
import Testing

@Suite("Pyroscope settings from the environment")
struct PyroscopeSettingsTests {
    @Test("URL, application name and auth header")
    func complete() throws {
        let settings = try #require(try PyroscopeSettings(environment: [
            "PROFILING_PYROSCOPE_URL": "https://profiles.example.com/pyroscope/",
            "PROFILING_APP_NAME": "shop-api",
            "PROFILING_PYROSCOPE_AUTH_HEADER": "Authorization: Bearer abc:def",
        ]))
        #expect(settings.serverURL.absoluteString == "https://profiles.example.com/pyroscope/")
        #expect(settings.applicationName == "shop-api")
        #expect(settings.authHeader == .init(name: "Authorization", value: "Bearer abc:def"))
        let request = try PyroscopeIngestRequest(profile: .synthetic(samples: 10, depth: 12), settings: settings)
        #expect(request.url.absoluteString.hasPrefix("https://profiles.example.com/pyroscope/ingest?name=shop-api%7Broute%3D%2Freports%2F%3Aid%2Cmethod%3DGET%2Cstatus%3D200%7D&from="))
    }

    @Test("a header read from a file keeps no trailing newline")
    func trailingNewline() throws {
        let settings = try #require(try PyroscopeSettings(environment: [
            "PROFILING_PYROSCOPE_URL": "http://pyroscope:4040\n",
            "PROFILING_APP_NAME": "shop-api",
            "PROFILING_PYROSCOPE_AUTH_HEADER": "Authorization: Bearer glc_abc\n",
        ]))
        #expect(settings.authHeader == .init(name: "Authorization", value: "Bearer glc_abc"))
        #expect(settings.serverURL.absoluteString == "http://pyroscope:4040")
    }

    @Test("credentials in the URL become a Basic header and never reach the URL the logs show")
    func credentialsInTheURL() throws {
        let settings = try #require(try PyroscopeSettings(environment: [
            "PROFILING_PYROSCOPE_URL": "https://123456:glc_secret%2Ftoken@profiles.example.com/pyroscope",
            "PROFILING_APP_NAME": "shop-api",
        ]))
        #expect(settings.serverURL.absoluteString == "https://profiles.example.com/pyroscope")
        let basic = try #require(settings.authHeader)
        #expect(basic.name == "Authorization")
        #expect(basic.value == "Basic " + Data("123456:glc_secret/token".utf8).base64EncodedString())
        let request = try PyroscopeIngestRequest(profile: .synthetic(samples: 10, depth: 12), settings: settings)
        #expect(request.url.absoluteString.hasPrefix("https://profiles.example.com/pyroscope/ingest?"))
        #expect(request.headers.contains { $0.name == "Authorization" && $0.value == basic.value })

        // Settings made in code may still carry them: logs show the URL without.
        let inCode = PyroscopeSettings(serverURL: URL(string: "https://user:glc_secret@host:4040/p")!, applicationName: "a")
        #expect(inCode.serverURLForLogs == "https://***@host:4040/p")
        let withKey = PyroscopeSettings(serverURL: URL(string: "https://host:4040/p?api_key=glc_secret#glc_secret")!, applicationName: "a")
        #expect(withKey.serverURLForLogs == "https://host:4040/p?***")
    }

    /// A tenant header goes beside the URL's credentials, as the request sends them and the
    /// README lists it; only an Authorization header, which would replace them, is refused.
    @Test("credentials in the URL and a tenant header: both are sent; an Authorization header is refused")
    func credentialsInTheURLAndATenantHeader() throws {
        let settings = try #require(try PyroscopeSettings(environment: [
            "PROFILING_PYROSCOPE_URL": "https://123456:glc_secret%2Ftoken@profiles.example.com/pyroscope",
            "PROFILING_APP_NAME": "shop-api",
            "PROFILING_PYROSCOPE_AUTH_HEADER": "X-Scope-OrgID: t1",
        ]))
        #expect(settings.authHeader == .init(name: "X-Scope-OrgID", value: "t1"))
        #expect(!settings.serverURLForLogs.contains("glc_secret"), "\(settings.serverURLForLogs)")
        let request = try PyroscopeIngestRequest(profile: .synthetic(samples: 10, depth: 4), settings: settings)
        #expect(request.url.absoluteString.hasPrefix("https://profiles.example.com/pyroscope/ingest?"))
        let basic = "Basic " + Data("123456:glc_secret/token".utf8).base64EncodedString()
        #expect(request.headers.filter { $0.name != "Content-Type" }.map { "\($0.name): \($0.value)" } == ["Authorization: \(basic)", "X-Scope-OrgID: t1"])

        #expect(throws: PyroscopeSettingsError.self) {
            try PyroscopeSettings(environment: [
                "PROFILING_PYROSCOPE_URL": "https://123456:glc_secret@profiles.example.com",
                "PROFILING_APP_NAME": "shop-api",
                "PROFILING_PYROSCOPE_AUTH_HEADER": "authorization: Bearer glc_other",
            ])
        }
    }

    @Test("no URL: export is off")
    func off() throws {
        #expect(try PyroscopeSettings(environment: [:]) == nil)
        #expect(try PyroscopeSettings(environment: ["PROFILING_PYROSCOPE_URL": " ", "PROFILING_APP_NAME": "x"]) == nil)
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        let environment: [String: String]
        let variable: String
        var testDescription: String { variable + "=" + (environment[variable] ?? "(unset)") }
    }

    @Test("a bad value is named, secrets are not repeated", arguments: [
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "pyroscope:4040", "PROFILING_APP_NAME": "a"], variable: "PROFILING_PYROSCOPE_URL"),
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "ftp://host", "PROFILING_APP_NAME": "a"], variable: "PROFILING_PYROSCOPE_URL"),
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "http://host:4040"], variable: "PROFILING_APP_NAME"),
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "http://host:4040", "PROFILING_APP_NAME": "shop api{x}"], variable: "PROFILING_APP_NAME"),
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "http://host:4040", "PROFILING_APP_NAME": "a", "PROFILING_PYROSCOPE_AUTH_HEADER": "Bearer secret-token"], variable: "PROFILING_PYROSCOPE_AUTH_HEADER"),
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "http://host:4040", "PROFILING_APP_NAME": "a", "PROFILING_PYROSCOPE_AUTH_HEADER": "Bad Name: secret-token"], variable: "PROFILING_PYROSCOPE_AUTH_HEADER"),
        // A line break inside the value would end the header or smuggle in another one.
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "http://host:4040", "PROFILING_APP_NAME": "a", "PROFILING_PYROSCOPE_AUTH_HEADER": "Authorization: Bearer secret-token\r\nX-Evil: 1"], variable: "PROFILING_PYROSCOPE_AUTH_HEADER"),
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "https://user:secret-token@host:4040", "PROFILING_APP_NAME": "a", "PROFILING_PYROSCOPE_AUTH_HEADER": "AUTHORIZATION: Bearer secret-token"], variable: "PROFILING_PYROSCOPE_URL"),
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "https://user:secret-token@bad host/", "PROFILING_APP_NAME": "a"], variable: "PROFILING_PYROSCOPE_URL"),
        // The `@` and a combining mark after it are one Character: found scalar by scalar.
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "https://user:secret-token@\u{301}bad host/", "PROFILING_APP_NAME": "a"], variable: "PROFILING_PYROSCOPE_URL"),
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "https://123:glc_secret-token/x+y@host:4040/p", "PROFILING_APP_NAME": "a"], variable: "PROFILING_PYROSCOPE_URL"),
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "https://user:p#secret-token@host:4040", "PROFILING_APP_NAME": "a"], variable: "PROFILING_PYROSCOPE_URL"),
        // `/ingest` would have been appended to the query, or dropped with the fragment.
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "http://host:4040/?orgId=1", "PROFILING_APP_NAME": "a"], variable: "PROFILING_PYROSCOPE_URL"),
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "http://host:4040#x", "PROFILING_APP_NAME": "a"], variable: "PROFILING_PYROSCOPE_URL"),
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "http://host:4040/p?", "PROFILING_APP_NAME": "a"], variable: "PROFILING_PYROSCOPE_URL"),
        // Some servers take a key in the query: the error that refuses it does not print it.
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "http://host:4040/?api_key=secret-token", "PROFILING_APP_NAME": "a"], variable: "PROFILING_PYROSCOPE_URL"),
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "http://host:4040/p#key=secret-token", "PROFILING_APP_NAME": "a"], variable: "PROFILING_PYROSCOPE_URL"),
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "http://bad host/?api_key=secret-token", "PROFILING_APP_NAME": "a"], variable: "PROFILING_PYROSCOPE_URL"),
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "https://user:pass@host/?api_key=secret-token", "PROFILING_APP_NAME": "a"], variable: "PROFILING_PYROSCOPE_URL"),
        BadCase(environment: ["PROFILING_PYROSCOPE_URL": "https://host/?secret-token#x", "PROFILING_APP_NAME": "a"], variable: "PROFILING_PYROSCOPE_URL"),
    ])
    func bad(_ example: BadCase) {
        do {
            _ = try PyroscopeSettings(environment: example.environment)
            Issue.record("accepted")
        } catch {
            #expect(error.variable == example.variable)
            #expect(error.description.hasPrefix(example.variable + "="))
            #expect(!"\(error)".contains("secret-token"), "\(error)")
        }
    }

    /// A server URL set in code with a query or fragment still posts to its path + `/ingest`.
    @Test("the ingest URL is the server's path + /ingest, whatever query the server URL carries")
    func ingestPathIgnoresTheServerURLsQuery() throws {
        for (server, path) in [("http://host:4040/?orgId=1", "/ingest"), ("https://host/pyroscope/?a=b#frag", "/pyroscope/ingest"), ("http://host:4040", "/ingest")] {
            let settings = PyroscopeSettings(serverURL: try #require(URL(string: server)), applicationName: "shop-api")
            let request = try PyroscopeIngestRequest(profile: .synthetic(samples: 10, depth: 12), settings: settings)
            let components = try #require(URLComponents(url: request.url, resolvingAgainstBaseURL: false))
            #expect(components.path == path, "\(server) -> \(request.url)")
            #expect(components.queryItems?.first?.name == "name" && components.fragment == nil, "\(request.url)")
        }
    }

    /// The environment's rule for the name holds for one set in code: it went into the series
    /// name as it was, so `{` added a label and a space or an empty name had every profile
    /// refused (400, not retried). The exporter says what it sends instead.
    @Test("an application name set in code is sent as the environment would accept it", arguments: [
        ("shop{env=prod", "shop_env_prod"), ("shop api", "shop_api"), ("", "_"), (" shop-api\n", "shop-api"),
        ("caf\u{E9}", "caf_"), ("shop-api.v2_1", "shop-api.v2_1"),
    ])
    func applicationNameSetInCode(name: String, sent: String) async throws {
        let settings = PyroscopeSettings(serverURL: try #require(URL(string: "http://host:4040")), applicationName: name)
        #expect(settings.usableApplicationName == sent)
        let request = try PyroscopeIngestRequest(profile: .synthetic(samples: 10, depth: 4), settings: settings)
        let query = try #require(URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems)
        #expect(query.first { $0.name == "name" }?.value == sent + "{route=/reports/:id,method=GET,status=200}")
        #expect(PyroscopeIngestRequest.seriesName(for: ProfileMetadata(), applicationName: name) == sent)

        let log = LogCapture()
        let exporter = PyroscopeExporter(settings: settings, logger: log.logger)
        await exporter.shutdown()
        let warned = log.messages.contains { $0.contains("application name") && $0.contains("; \(sent) is used") }
        #expect(warned == (name != sent), "\(log.messages)")
    }

    /// A profile built in code with an impossible start time is refused with an error, where
    /// it trapped (in the exporter's task: the whole server).
    @Test("a start time that is no unix time is an error, not a crash", arguments: [Double.nan, .infinity, -5, 1e15])
    func unusableStartTime(start: Double) throws {
        var profile = Profile.synthetic(samples: 10, depth: 4)
        profile.metadata.startTime = start
        let settings = PyroscopeSettings(serverURL: try #require(URL(string: "http://host:4040")), applicationName: "a")
        #expect(throws: PyroscopeRequestError.self) {
            _ = try PyroscopeIngestRequest(profile: profile, settings: settings)
        }
    }

    /// URLSession on Linux keeps whole seconds of a timeout: it is rounded up, and bounded.
    @Test("request timeouts are whole seconds from 1 s to 300 s", arguments: [
        (Duration.milliseconds(800), Duration.seconds(1)), (.milliseconds(1_200), .seconds(2)), (.zero, .seconds(1)),
        (.seconds(-3), .seconds(1)), (.seconds(10), .seconds(10)), (.seconds(Int64.max), .seconds(300)),
    ])
    func usableTimeout(given: Duration, used: Duration) throws {
        var settings = PyroscopeSettings(serverURL: try #require(URL(string: "http://host:4040")), applicationName: "a")
        settings.requestTimeout = given
        #expect(settings.usableRequestTimeout == used)
    }
}
