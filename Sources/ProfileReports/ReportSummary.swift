import Foundation
import Mustache
import ProfileModel

/// The facts a report header shows (request, duration, samples, sampler health), computed
/// once from the profile's metadata and handed to the html and text templates alike, so
/// both headers always agree.
struct ReportSummary: Sendable {
    private(set) var title: String
    private(set) var method: String?
    private(set) var route: String?
    private(set) var path: String?
    let status: Int?
    let recorded: String
    let duration: String
    let cpu: String
    let cpuPercent: String
    let samples: Int
    let interval: String
    let missedSamples: Int
    let droppedSamples: Int
    let truncated: Bool
    private(set) var notes: [String]

    init(profile: Profile) {
        let metadata = profile.metadata
        let request = metadata.request
        method = request?.method
        route = request?.route
        path = request?.path
        status = request?.status
        title = Self.title(of: profile)
        recorded = Date(timeIntervalSince1970: metadata.startTime).formatted(.iso8601)
        let duration = metadata.durationNanoseconds > 0 ? metadata.durationNanoseconds : profile.totalWallNanoseconds
        self.duration = TimeText.readable(duration)
        cpu = TimeText.readable(metadata.cpuNanoseconds)
        cpuPercent = TimeText.percent(metadata.cpuNanoseconds, of: duration)
        samples = profile.sampleCount
        interval = TimeText.readable(metadata.intervalNanoseconds)
        missedSamples = metadata.missedSamples
        droppedSamples = metadata.droppedSamples
        truncated = metadata.truncated
        notes = metadata.notes
    }

    /// `GET /users/:id` (the route template when known, else the path), or "Profile" for
    /// work that was not a request.
    static func title(of profile: Profile) -> String {
        guard let request = profile.metadata.request else { return "Profile" }
        return "\(request.method) \(request.route ?? request.path)"
    }

    /// The summary with every text that came from the profile made printable
    /// (``TerminalSafeText``), for the text report.
    func safeForTerminal() -> ReportSummary {
        var safe = self
        safe.title = TerminalSafeText.make(title)
        safe.method = method.map(TerminalSafeText.make)
        safe.route = route.map(TerminalSafeText.make)
        safe.path = path.map(TerminalSafeText.make)
        safe.notes = notes.map(TerminalSafeText.make)
        return safe
    }

    /// True when every timer tick was recorded: no overruns, no full buffer, no early stop.
    var healthy: Bool { missedSamples == 0 && droppedSamples == 0 && !truncated }
}

extension ReportSummary: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "method": method
        case "route": route
        case "path": path
        case "status": status
        // What follows the method: an unmatched request (no route) shows its path once, not
        // the title, which holds the method again.
        case "heading": route ?? path ?? title
        // Shown beside the route only when it adds something (without a route the heading is
        // the path already).
        case "showPath": route != nil && path != nil && path != route
        case "recorded": recorded
        case "duration": duration
        case "cpu": cpu
        case "cpuPercent": cpuPercent
        case "samples": samples
        case "interval": interval
        case "missedSamples": missedSamples
        case "droppedSamples": droppedSamples
        case "truncated": truncated
        case "healthy": healthy
        case "notes": notes
        case "exporter": ExporterInfo.nameAndVersion
        default: nil
        }
    }
}
