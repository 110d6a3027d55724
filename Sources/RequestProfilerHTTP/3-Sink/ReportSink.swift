import Foundation
import Logging
import RequestMetrics
import RequestProfiler

/// The last stage: renders a request's profile and sends it where the plan says (in place of
/// the response, or into the reports directory), and prints the text report when asked.
///
/// A report that cannot be rendered or saved is logged as an error and the original response
/// is returned with an `X-Profile-Skipped` header: profiling must never break the request.
public struct ReportSink: Sendable {
    public let logger: Logger
    /// Free space a saved report must leave on its folder's file system.
    public let reserve: DiskReserve
    /// Failed saves are logged once a minute at most, with a count: at the reserve, a stream of
    /// `profile_save=1` requests logged an error each (each request still gets its
    /// `X-Profile-Skipped`), and the log, on the same disk as often as not, ate what the
    /// reserve keeps.
    private let saveFailures = ThrottledWarning()

    public init(logger: Logger, keepingFree reserve: DiskReserve = .standard) {
        self.logger = logger
        self.reserve = reserve
    }

    public func deliver<Response>(_ recording: RequestRecording<Response>, plan: ProfilingPlan) -> ProfilingOutcome<Response> {
        let profile = recording.profile
        if plan.printsReport { print(profile) }
        let report: RenderedReport
        do {
            report = try profile.render(as: plan.format)
        } catch {
            logger.error("request profiler: could not render the \(plan.format.rawValue) report: \(error)")
            return .original(recording.result, headers: [skipped("the report could not be rendered (see the server log)")])
        }
        let fileName = Self.fileName(for: profile, fileExtension: report.fileExtension)
        let samples = HTTPHeaderField(ProfilingParameter.samplesHeader, String(profile.sampleCount))
        switch plan.delivery {
        case .replaceResponse:
            var headers = [
                HTTPHeaderField("Content-Type", report.contentType),
                HTTPHeaderField("Content-Disposition", "inline; filename=\"\(fileName)\""),
                samples,
            ] + ReportIsolation.headers
            if let status = profile.metadata.request?.status {
                headers.append(HTTPHeaderField(ProfilingParameter.originalStatusHeader, String(status)))
            }
            return .replaced(ProfilingResponse(status: 200, headers: headers, body: Array(report.bytes)))
        case .save(let directory):
            do {
                let saved = try ReportWriter(directory: directory, keepingFree: reserve).write(Array(report.bytes), as: fileName)
                logger.info("request profiler: saved \(directory)/\(saved)")
                return .original(recording.result, headers: [HTTPHeaderField(ProfilingParameter.reportHeader, saved), samples])
            } catch let error as DiskNearlyFullError {
                logSaveFailure(": \(error)")
                return .original(recording.result, headers: [skipped("the report could not be saved: the disk of the reports folder is nearly full (see the server log)")])
            } catch {
                logSaveFailure(" in \(directory): \(Self.reason(error))")
                return .original(recording.result, headers: [skipped("the report could not be saved (see the server log)")])
            }
        }
    }

    private func logSaveFailure(_ reason: String) {
        guard let leftOut = saveFailures.shouldLog(at: MetricsClock.system.monotonicNanoseconds()) else { return }
        logger.error(
            "request profiler: could not save the report\(reason)\(ThrottledWarning.leftOutNote(leftOut)); said at most once a minute")
    }

    /// `<timestamp>-<method>-<route>-<duration>.<ext>` for this profile.
    /// - Parameter durationNanoseconds: the duration the name shows; nil: the profile's.
    static func fileName(for profile: Profile, fileExtension: String, durationNanoseconds: UInt64? = nil) -> String {
        let request = profile.metadata.request
        return ReportFileName.make(
            startTime: profile.metadata.startTime,
            method: request?.method ?? "UNKNOWN",
            route: request?.route,
            durationNanoseconds: durationNanoseconds ?? profile.metadata.durationNanoseconds,
            fileExtension: fileExtension)
    }

    /// Writes the text report to the log (PROFILING_PRINT).
    private func print(_ profile: Profile) {
        do {
            let text = try profile.render(as: .text)
            logger.info("request profiler report\n\(String(decoding: text.bytes, as: UTF8.self))")
        } catch {
            logger.error("request profiler: could not render the text report: \(error)")
        }
    }

    /// The innermost reason of a Foundation file error ("Not a directory", "Permission
    /// denied"), which says more than the wrapping Cocoa error code.
    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? any Error {
            return reason(underlying)
        }
        if nsError.domain == NSPOSIXErrorDomain, let message = strerror(Int32(nsError.code)) {
            return String(cString: message)
        }
        return "\(error)"
    }

    private func skipped(_ reason: String) -> HTTPHeaderField {
        HTTPHeaderField(ProfilingParameter.skippedHeader, reason)
    }
}
