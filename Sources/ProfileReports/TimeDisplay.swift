/// How the text report prints times: absolute seconds (pyinstrument's default) or each
/// frame's share of the whole request, which compares better across requests.
public enum TimeDisplay: String, Sendable, Hashable, CaseIterable {
    case seconds
    case percent
}
