/// Why a decoded speedscope file would not load, or would load wrong, in speedscope.
enum SpeedscopeViolation: Error, Equatable, CustomStringConvertible {
    case wrongSchemaURL(String)
    case noProfiles
    case activeProfileOutOfRange(Double)
    case frameIndexOutOfRange(profile: Int, index: Double)
    case weightCountMismatch(profile: Int, samples: Int, weights: Int)
    case negativeWeight(profile: Int, weight: Double)
    case startAfterEnd(profile: Int, start: Double, end: Double)
    case eventOutOfOrder(profile: Int, at: Double)
    case unbalancedEvents(profile: Int)

    var description: String {
        switch self {
        case .wrongSchemaURL(let url): "$schema is \(url), not \(SpeedscopeDocument.schemaURL)"
        case .noProfiles: "the file has no profiles"
        case .activeProfileOutOfRange(let index): "activeProfileIndex \(index) names no profile"
        case .frameIndexOutOfRange(let profile, let index): "profile \(profile): \(index) is not an index into shared.frames"
        case .weightCountMismatch(let profile, let samples, let weights): "profile \(profile): \(samples) samples but \(weights) weights"
        case .negativeWeight(let profile, let weight): "profile \(profile): negative weight \(weight)"
        case .startAfterEnd(let profile, let start, let end): "profile \(profile): startValue \(start) after endValue \(end)"
        case .eventOutOfOrder(let profile, let at): "profile \(profile): event at \(at) is out of order or outside startValue...endValue"
        case .unbalancedEvents(let profile): "profile \(profile): a close event does not match the innermost open frame, or a frame is left open"
        }
    }
}
