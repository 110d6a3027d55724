import ProfileModel

/// The report formats a profile renders to.
public enum ProfileFormat: String, Sendable, CaseIterable {
    case html, text, json, speedscope, collapsed, pprof
}
