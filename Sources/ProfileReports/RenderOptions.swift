import ProfileModel

/// Settings for rendering one report. Every field has a default that suits a person looking
/// at their own endpoint, so `RenderOptions()` is what a `?profile=1` request gets.
///
/// The frame filters (`showAllFrames`, `hidePatterns`, `showPatterns`) and `threshold` shape
/// the call-tree formats (html, text, json). The interchange formats (speedscope, collapsed,
/// pprof) always carry every recorded frame: their viewers have their own filters.
public struct RenderOptions: Sendable, Hashable {
    /// Keep library, runtime and executor frames instead of collapsing them into
    /// "[N frames hidden]".
    public var showAllFrames: Bool
    /// Regular expressions (or plain substrings) of frame names to hide.
    public var hidePatterns: [String]
    /// Regular expressions (or plain substrings) of frame names to always show.
    public var showPatterns: [String]
    /// Text report: seconds or percent of the total.
    public var timeDisplay: TimeDisplay
    /// Text report: colour with ANSI escape codes (for a terminal, not for a file or a browser).
    public var ansiColor: Bool
    /// Frames whose total time is below this fraction of the whole (0.01 = 1%) are folded
    /// into their caller. `nil` uses the format's default: text 1%, html 0.1%, json 0 (all).
    public var threshold: Double?
    /// A directory of the user's own `.mustache` templates. A file there replaces the
    /// built-in template of the same name (`html/page.mustache` replaces `html/page`);
    /// any other file is available as a partial.
    public var templateDirectory: String?
    /// Set for a report of many requests (module `ProfileAggregate`): html and text show the
    /// request count, time range and a per-frame table up front, json adds an `aggregate`
    /// object. The interchange formats ignore it.
    public var aggregate: AggregateSummary?
    /// Set for a differential report (module `ProfileAggregate`): html colors frames by their
    /// change, text lists frames by their change, json adds a `diff` object.
    public var diff: DiffSummary?

    public init(
        showAllFrames: Bool = false,
        hidePatterns: [String] = [],
        showPatterns: [String] = [],
        timeDisplay: TimeDisplay = .seconds,
        ansiColor: Bool = false,
        threshold: Double? = nil,
        templateDirectory: String? = nil,
        aggregate: AggregateSummary? = nil,
        diff: DiffSummary? = nil
    ) {
        self.showAllFrames = showAllFrames
        self.hidePatterns = hidePatterns
        self.showPatterns = showPatterns
        self.timeDisplay = timeDisplay
        self.ansiColor = ansiColor
        self.threshold = threshold
        self.templateDirectory = templateDirectory
        self.aggregate = aggregate
        self.diff = diff
    }

    /// The call-tree options these render options stand for.
    public var callTreeOptions: CallTreeOptions {
        CallTreeOptions(showAllFrames: showAllFrames, hidePatterns: hidePatterns, showPatterns: showPatterns)
    }

    /// The threshold to fold with, given the format's own default.
    func threshold(default defaultValue: Double) -> Double {
        threshold ?? defaultValue
    }

    /// The call tree of `profile` as these options shape it, with frames below the threshold
    /// folded into their callers.
    func callTree(of profile: Profile, defaultThreshold: Double) -> CallTree {
        let tree = profile.callTree(options: callTreeOptions)
        let fraction = threshold(default: defaultThreshold)
        return fraction > 0 ? tree.pruned(minimumFraction: fraction) : tree
    }
}
