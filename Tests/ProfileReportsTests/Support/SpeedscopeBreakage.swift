import Foundation
import Testing

/// One way to break a valid speedscope file, for showing that ``SpeedscopeDocument`` rejects
/// it (a validator that accepts everything would pass every other test).
struct SpeedscopeBreakage: Sendable, CustomTestStringConvertible {
    /// What the validator must answer: a type error from decoding, or a named violation.
    enum Verdict: Sendable { case undecodable, violation(SpeedscopeViolation) }

    var name: String
    var verdict: Verdict
    /// Edits the file's top-level JSON object.
    var edit: @Sendable (inout [String: Any]) -> Void

    var testDescription: String { name }

    /// Edits the first profile.
    static func profile(_ name: String, _ verdict: Verdict, _ edit: @escaping @Sendable (inout [String: Any]) -> Void) -> SpeedscopeBreakage {
        SpeedscopeBreakage(name: name, verdict: verdict) { file in
            var profiles = file["profiles"] as! [[String: Any]]
            edit(&profiles[0])
            file["profiles"] = profiles
        }
    }

    static let all: [SpeedscopeBreakage] = [
        SpeedscopeBreakage(name: "no $schema", verdict: .undecodable) { $0["$schema"] = nil },
        SpeedscopeBreakage(name: "another $schema", verdict: .violation(.wrongSchemaURL("https://example.com/schema.json"))) { $0["$schema"] = "https://example.com/schema.json" },
        SpeedscopeBreakage(name: "no shared frames", verdict: .undecodable) { $0["shared"] = [String: Any]() },
        SpeedscopeBreakage(name: "frame without a name", verdict: .undecodable) { file in
            var shared = file["shared"] as! [String: Any]
            var frames = shared["frames"] as! [[String: Any]]
            frames[0]["name"] = nil
            shared["frames"] = frames
            file["shared"] = shared
        },
        SpeedscopeBreakage(name: "exporter is a number", verdict: .undecodable) { $0["exporter"] = 7 },
        SpeedscopeBreakage(name: "no profiles", verdict: .violation(.noProfiles)) { $0["profiles"] = [Any]() },
        SpeedscopeBreakage(name: "active profile out of range", verdict: .violation(.activeProfileOutOfRange(3))) { $0["activeProfileIndex"] = 3 },
        profile("unknown unit", .undecodable) { $0["unit"] = "ticks" },
        profile("unknown profile type", .undecodable) { $0["type"] = "sampledx" },
        profile("no weights", .undecodable) { $0["weights"] = nil },
        profile("a stack that is not an array", .undecodable) { $0["samples"] = [1, 2] },
        profile("one weight too many", .violation(.weightCountMismatch(profile: 0, samples: 17, weights: 18))) { profile in
            profile["weights"] = (profile["weights"] as! [Int]) + [1]
        },
        profile("negative weight", .violation(.negativeWeight(profile: 0, weight: -5))) { profile in
            var weights = profile["weights"] as! [Int]
            weights[0] = -5
            profile["weights"] = weights
        },
        profile("frame index past the end", .violation(.frameIndexOutOfRange(profile: 0, index: 13))) { profile in
            var samples = profile["samples"] as! [[Int]]
            samples[0].append(13)
            profile["samples"] = samples
        },
        profile("fractional frame index", .violation(.frameIndexOutOfRange(profile: 0, index: 0.5))) { profile in
            var samples = profile["samples"] as! [[Any]]
            samples[0][0] = 0.5
            profile["samples"] = samples
        },
        profile("start after end", .violation(.startAfterEnd(profile: 0, start: 200_000_000, end: 100_000_000))) { $0["startValue"] = 200_000_000 },
    ]
}
