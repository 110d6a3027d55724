import ProfileModel
import ProfileReports
import Testing

/// A profile passed to a parameterized test under a short name: Swift Testing prints every
/// argument, and a whole `Profile` printed is megabytes of output.
struct ProfileCase: Sendable, CustomTestStringConvertible {
    var name: String
    var profile: Profile

    var testDescription: String { name }

    static let request = ProfileCase(name: "request fixture", profile: Fixtures.request)
    static let empty = ProfileCase(name: "empty profile", profile: Fixtures.empty)
    static func synthetic(samples: Int, depth: Int) -> ProfileCase {
        ProfileCase(name: "synthetic, \(samples) samples \(depth) deep", profile: .synthetic(samples: samples, depth: depth))
    }
}
