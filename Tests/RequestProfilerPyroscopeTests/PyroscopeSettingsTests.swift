import Foundation
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
    ])
    func bad(_ example: BadCase) {
        do {
            _ = try PyroscopeSettings(environment: example.environment)
            Issue.record("accepted")
        } catch {
            #expect(error.variable == example.variable)
            #expect(error.description.hasPrefix(example.variable + "="))
            #expect(!error.description.contains("secret-token"))
        }
    }
}
