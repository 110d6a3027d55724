import Foundation

/// A speedscope file as speedscope's file-format documentation defines it
/// (https://www.speedscope.app/file-format-schema.json, the `FileFormat` namespace of
/// speedscope's `file-format-spec.ts`), decoded strictly so a test can tell a file speedscope
/// would load from one it would reject, without anything outside the repository.
///
/// Decoding checks what the format's types say: required keys, each value's JSON type, the
/// `$schema` URL, a profile `type` of `sampled` or `evented`, a `unit` from the format's list.
/// ``check()`` (in `SpeedscopeDocument+Checks.swift`) adds what speedscope assumes when it
/// reads a file: frame indices in range, one weight per sample, and so on.
struct SpeedscopeDocument: Decodable {
    static let schemaURL = "https://www.speedscope.app/file-format-schema.json"

    /// `FileFormat.ValueUnit`.
    enum Unit: String, Decodable {
        case none, nanoseconds, microseconds, milliseconds, seconds, bytes
    }

    /// `FileFormat.Frame`: only `name` is required.
    struct Frame: Decodable {
        var name: String
        var file: String?
        var line: Double?
        var col: Double?
    }

    /// `FileFormat.SampledProfile`: `samples[i]` is a stack of frame indices (root first)
    /// weighted by `weights[i]`.
    struct SampledProfile: Decodable {
        var name: String
        var unit: Unit
        var startValue: Double
        var endValue: Double
        var samples: [[Double]]
        var weights: [Double]
    }

    /// `FileFormat.EventedProfile`: frames opened (`O`) and closed (`C`) at a value.
    struct EventedProfile: Decodable {
        struct Event: Decodable {
            enum Kind: String, Decodable { case open = "O", close = "C" }
            var type: Kind
            var at: Double
            var frame: Double
        }
        var name: String
        var unit: Unit
        var startValue: Double
        var endValue: Double
        var events: [Event]
    }

    /// `FileFormat.Profile`: the `type` key says which.
    enum Profile: Decodable {
        case sampled(SampledProfile)
        case evented(EventedProfile)

        private enum Kind: String, Decodable { case sampled, evented }
        private enum CodingKeys: String, CodingKey { case type }

        init(from decoder: any Decoder) throws {
            switch try decoder.container(keyedBy: CodingKeys.self).decode(Kind.self, forKey: .type) {
            case .sampled: self = .sampled(try SampledProfile(from: decoder))
            case .evented: self = .evented(try EventedProfile(from: decoder))
            }
        }
    }

    struct Shared: Decodable {
        var frames: [Frame]
    }

    var schema: String
    var exporter: String?
    var name: String?
    var activeProfileIndex: Double?
    var shared: Shared
    var profiles: [Profile]

    private enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case exporter, name, activeProfileIndex, shared, profiles
    }

    /// Decodes `bytes` and runs ``check()``: throws `DecodingError` or a
    /// ``SpeedscopeViolation`` naming the first problem.
    static func validated(_ bytes: [UInt8]) throws -> SpeedscopeDocument {
        let document = try JSONDecoder().decode(SpeedscopeDocument.self, from: Data(bytes))
        try document.check()
        return document
    }
}
