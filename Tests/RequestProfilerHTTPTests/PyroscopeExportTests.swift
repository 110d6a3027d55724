import Foundation
import RequestProfilerPyroscope
import Synchronization
import Testing
@testable import RequestProfilerHTTP

/// Captured profiles reach Pyroscope through the core: every `?profile=1` profile and the
/// automatic profiles that were kept, never the automatic ones thrown away as fast.
@Suite("Pyroscope export from the HTTP core")
struct PyroscopeExportTests {
    /// Records the ingest requests instead of sending them.
    final class RecordingTransport: PyroscopeTransport {
        let requests = Mutex<[PyroscopeIngestRequest]>([])

        func send(_ request: PyroscopeIngestRequest, timeout: Duration) async throws -> Int {
            requests.withLock { $0.append(request) }
            return 200
        }
    }

    private static let server = PyroscopeSettings(serverURL: URL(string: "http://127.0.0.1:4040")!, applicationName: "shop-api")

    @Test func capturedProfilesAreSentWithTheirRouteLabels() async throws {
        let reports = try ScratchDirectory("pyroscope-core")
        defer { reports.remove() }
        let transport = RecordingTransport()
        let exporter = PyroscopeExporter(settings: Self.server, transport: transport)
        let core = RequestProfilingCore(
            settings: ProfilingSettings(
                isEnabled: true, outputDirectory: reports.path,
                autoCapture: AutoCaptureSettings(rate: 1, slowerThan: .milliseconds(40)),
                pyroscope: Self.server, random: .seeded(7)),
            pyroscope: exporter)

        let asked = try await CoreRequest(path: "/users/1", query: "profile=1&profile_format=text")
            .response(from: core) { "\(busy(for: .milliseconds(5)))" }
        #expect(asked.header(ProfilingParameter.reportHeader) != nil, "saved in the output directory")
        _ = try await CoreRequest(path: "/fast").response(from: core) { "fast" }  // profiled, dropped: fast
        _ = try await CoreRequest(path: "/slow").response(from: core) { "\(busy(for: .milliseconds(60)))" }
        await core.shutdown()

        let sent = transport.requests.withLock { $0 }
        #expect(sent.count == 2, "the on-demand profile and the kept automatic one")
        let names = sent.map { request in
            URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "name" }?.value ?? ""
        }
        #expect(names.contains("shop-api{route=/users/:id,method=GET,status=200}"), "\(names)")
        #expect(names.contains("shop-api{route=/slow,method=GET,status=200}"), "\(names)")
        #expect(sent.allSatisfy { $0.url.path == "/ingest" && $0.body.starts(with: [0x1f, 0x8b]) }, "gzipped pprof bodies")
        #expect(exporter.statistics.sent == 2 && exporter.statistics.dropped == 0)
    }

    /// A profile that could not be saved (here: the disk reserve refuses it) still reaches
    /// Pyroscope: the two are separate destinations, and a full disk is no reason to lose both.
    @Test func profilesThatCouldNotBeSavedAreStillSent() async throws {
        let reports = try ScratchDirectory("pyroscope-full-disk")
        defer { reports.remove() }
        let transport = RecordingTransport()
        let exporter = PyroscopeExporter(settings: Self.server, transport: transport)
        let core = RequestProfilingCore(
            settings: ProfilingSettings(
                isEnabled: true, outputDirectory: reports.path, reportsKeepFree: DiskReserve(bytes: UInt64.max / 4),
                autoCapture: AutoCaptureSettings(rate: 1, slowerThan: .milliseconds(1)),
                pyroscope: Self.server, random: .seeded(7)),
            pyroscope: exporter)
        let asked = try await CoreRequest(path: "/users/1", query: "profile=1&profile_format=json")
            .response(from: core) { "\(busy(for: .milliseconds(5)))" }
        #expect(asked.header(ProfilingParameter.skippedHeader)?.contains("nearly full") == true)
        _ = try await CoreRequest(path: "/slow").response(from: core) { "\(busy(for: .milliseconds(20)))" }
        await core.shutdown()
        #expect(reports.files().isEmpty)
        #expect(transport.requests.withLock { $0.count } == 2, "the on-demand profile and the automatic one, neither saved")
    }

    @Test func environmentTurnsExportOnAndNamesABadVariable() throws {
        let settings = try ProfilingSettings(environment: [
            "PROFILING_PYROSCOPE_URL": "http://127.0.0.1:4040", "PROFILING_APP_NAME": "shop-api",
        ])
        #expect(settings.pyroscope?.applicationName == "shop-api")
        #expect(try ProfilingSettings(environment: [:]).pyroscope == nil, "off unless set")
        #expect(throws: ProfilingSettingsError.self) {
            try ProfilingSettings(environment: ["PROFILING_PYROSCOPE_URL": "ftp://x", "PROFILING_APP_NAME": "a"])
        }
        do {
            _ = try ProfilingSettings(environment: ["PROFILING_PYROSCOPE_URL": "http://127.0.0.1:4040", "PROFILING_APP_NAME": "a b"])
            Issue.record("an app name with a space was accepted")
        } catch let error as ProfilingSettingsError {
            #expect(error.name == "PROFILING_APP_NAME")
        }
    }
}
