/// One entry of `profiles.json`, and one line of the registry's index (``SavedProfileIndex``):
/// the same shape, so the file a restarted server reads is what the dashboard served.
extension CapturedProfile: Codable {
    enum CodingKeys: String, CodingKey {
        case file, method, route, status, durationMs = "duration_ms", tsNs = "ts_ns", trigger
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let milliseconds = try container.decode(Double.self, forKey: .durationMs)
        guard milliseconds.isFinite, milliseconds >= 0, milliseconds < 1e12 else {
            throw DecodingError.dataCorruptedError(forKey: .durationMs, in: container, debugDescription: "not a duration")
        }
        self.init(
            file: try container.decode(String.self, forKey: .file),
            method: try container.decode(String.self, forKey: .method),
            route: try container.decode(String.self, forKey: .route),
            status: try container.decode(Int.self, forKey: .status),
            durationNanoseconds: UInt64((milliseconds * 1e6).rounded()),
            timestampNanoseconds: try container.decode(UInt64.self, forKey: .tsNs),
            trigger: try container.decode(Trigger.self, forKey: .trigger))
    }

    /// The duration in milliseconds with three decimals: a microsecond is precise enough to read.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(method, forKey: .method)
        try container.encode(route, forKey: .route)
        try container.encode(status, forKey: .status)
        try container.encode((Double(durationNanoseconds) / 1e3).rounded() / 1e3, forKey: .durationMs)
        try container.encode(timestampNanoseconds, forKey: .tsNs)
        try container.encode(trigger, forKey: .trigger)
    }
}

extension CapturedProfile.Trigger: Codable {}
