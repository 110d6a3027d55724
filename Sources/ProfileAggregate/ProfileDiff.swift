import ProfileModel
import ProfileReports

/// A differential report: two sets of requests (before and after a change) and, per frame,
/// how its time per request moved. Rendered as the "after" aggregate's tree with the change
/// up front: html colors frames by their change, text lists frames by it, json adds a `diff`
/// object. Both sets share one frame table, so a function has one index in both.
public struct ProfileDiff: Sendable {
    /// The "after" requests merged; the frame table also holds frames seen only before.
    public let profile: Profile
    public let summary: DiffSummary

    /// The formats a diff renders to: those that can show a change.
    public static let formats: [ProfileFormat] = [.html, .text, .json]

    public init(before: [Profile], after: [Profile], noiseRule: NoiseRule = NoiseRule()) {
        var table = FrameTable()
        // Both sides' frames first: a frame's kind can change as the other side's come in (a
        // function seen only as inlined library code before is the user's after), and each
        // side measures its requests with the kinds the table has then. Measured with the
        // final kinds, a diff and its reverse are mirror images.
        for profile in before + after { _ = table.indices(for: profile) }
        let beforeSet = RequestSet(profiles: before, table: &table)
        let afterSet = RequestSet(profiles: after, table: &table)
        let frames = table.frames
        profile = Profile(frames: frames, samples: afterSet.merged.samples, metadata: afterSet.merged.metadata)
        let changes = frames.indices.compactMap { index -> FrameChange? in
            let kind = frames[index].kind
            guard kind != .profiler, kind != .await else { return nil }
            let beforeOwn = beforeSet.sampledTimes(of: index) { $0.own }
            let afterOwn = afterSet.sampledTimes(of: index) { $0.own }
            let appearsBefore = beforeSet.appearances(of: index), appearsAfter = afterSet.appearances(of: index)
            guard appearsBefore + appearsAfter > 0 else { return nil }
            return FrameChange(
                frame: index,
                name: frames[index].shortName,
                beforeNanosecondsPerRequest: UInt64(beforeOwn.values.mean.rounded()),
                afterNanosecondsPerRequest: UInt64(afterOwn.values.mean.rounded()),
                beforeTotalNanosecondsPerRequest: UInt64(beforeSet.values(of: index) { $0.total }.mean.rounded()),
                afterTotalNanosecondsPerRequest: UInt64(afterSet.values(of: index) { $0.total }.mean.rounded()),
                beforeRequestShare: Double(appearsBefore) / Double(max(before.count, 1)),
                afterRequestShare: Double(appearsAfter) / Double(max(after.count, 1)),
                noiseThresholdNanoseconds: noiseRule.threshold(before: beforeOwn, after: afterOwn)
            )
        }
        .sorted { ($0.changeNanosecondsPerRequest.magnitude, $1.frame) > ($1.changeNanosecondsPerRequest.magnitude, $0.frame) }
        summary = DiffSummary(before: beforeSet.summary, after: afterSet.summary, noiseRule: noiseRule.description, frames: changes)
    }

    public init(before: [LoadedReport], after: [LoadedReport], noiseRule: NoiseRule = NoiseRule()) {
        self.init(before: before.map(\.profile), after: after.map(\.profile), noiseRule: noiseRule)
    }

    /// Renders the diff in `format` (one of `formats`); `options.diff` is filled in.
    /// - Throws: `DiffFormatError` for speedscope, collapsed and pprof, which cannot show a
    ///   change; `ReportLoadError.tooLarge` for a json report larger than the loader reads (see
    ///   ``ReloadableJSON``).
    public func render(as format: ProfileFormat, options: RenderOptions = RenderOptions()) throws -> RenderedReport {
        try render(as: format, options: options, limits: .standard)
    }

    /// ``render(as:options:)`` with a json report held to `limits` (tests: small ones).
    func render(as format: ProfileFormat, options: RenderOptions, limits: ReportFileLimits) throws -> RenderedReport {
        guard Self.formats.contains(format) else { throw DiffFormatError(format: format) }
        var options = options
        options.diff = summary
        let reports = summary.before.requestCount + summary.after.requestCount
        return try ReloadableJSON.check(profile.render(as: format, options: options), reports: reports, kind: "a diff", limits: limits)
    }
}

/// A diff asked for in a format that has no way to show a change.
public struct DiffFormatError: Error, Sendable, CustomStringConvertible {
    public var format: ProfileFormat

    public var description: String {
        "A diff renders as html, text or json, not \(format.rawValue). For pprof, merge each set and compare them with `go tool pprof -diff_base before.pb.gz after.pb.gz`."
    }
}
