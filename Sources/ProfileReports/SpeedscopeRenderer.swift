import ProfileModel

/// A speedscope file (https://www.speedscope.app): one sampled profile whose weights are the
/// samples' wall time in nanoseconds, frames with file and line, and the exporter's name and
/// version. Runs of consecutive identical stacks are written once with their weights summed:
/// speedscope's time-ordered view draws them the same, and the file shrinks a lot when a
/// request spends many ticks in one place.
///
/// Carries every recorded frame; no `RenderOptions` field applies.
public struct SpeedscopeRenderer: ProfileRenderer {
    public var format: ProfileFormat { .speedscope }

    public init() {}

    public func render(_ profile: Profile, options: RenderOptions) throws -> RenderedReport {
        var stacks: [[Int]] = []
        var weights: [UInt64] = []
        for sample in profile.samples {
            if let last = stacks.last, last == sample.stack {
                weights[weights.count - 1] += sample.wallNanoseconds
            } else {
                stacks.append(sample.stack)
                weights.append(sample.wallNanoseconds)
            }
        }
        let title = ReportSummary.title(of: profile)
        let file = SpeedscopeFile(
            exporter: ExporterInfo.nameAndVersion,
            name: title,
            shared: SpeedscopeFile.Shared(frames: profile.frames.map {
                SpeedscopeFile.Frame(name: $0.shortName, file: $0.file ?? $0.image, line: $0.line)
            }),
            profiles: [
                SpeedscopeFile.SampledProfile(
                    name: "\(title) (wall time)",
                    startValue: 0,
                    endValue: weights.reduce(0, +),
                    samples: stacks,
                    weights: weights
                ),
            ]
        )
        return RenderedReport(format: .speedscope, bytes: try CompactJSONEncoder().encode(file))
    }
}
