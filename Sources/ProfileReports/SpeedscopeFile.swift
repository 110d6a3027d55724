/// speedscope's file format (https://www.speedscope.app/file-format-schema.json), the part
/// a sampled profile needs. Field names are the schema's.
struct SpeedscopeFile: Encodable {
    static let schemaURL = "https://www.speedscope.app/file-format-schema.json"

    struct Frame: Encodable {
        var name: String
        var file: String?
        var line: Int?
    }

    struct Shared: Encodable {
        var frames: [Frame]
    }

    /// A `sampled` profile: one stack (frame indices, root first) and one weight per sample.
    struct SampledProfile: Encodable {
        var type = "sampled"
        var name: String
        var unit = "nanoseconds"
        var startValue: UInt64
        var endValue: UInt64
        var samples: [[Int]]
        var weights: [UInt64]
    }

    var schema = SpeedscopeFile.schemaURL
    var exporter: String
    var name: String
    var activeProfileIndex = 0
    var shared: Shared
    var profiles: [SampledProfile]

    private enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case exporter, name, activeProfileIndex, shared, profiles
    }
}
