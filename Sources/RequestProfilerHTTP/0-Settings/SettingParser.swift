import RequestProfiler

/// Parses the text of one setting (an environment variable or a query parameter) into a
/// value, throwing a ``ProfilingSettingsError`` that names the setting. Shared by the
/// environment loader and the query trigger so both accept exactly the same spellings.
enum SettingParser {
    /// The sampler accepts intervals in this range; anything else is refused up front with a
    /// clear message instead of failing later inside the engine.
    static let intervalRange = Profiler.Configuration.intervalRange
    /// The sampler's buffers are sized for at most this long a profile.
    static let maximumDurationLimit: Duration = .seconds(3600)

    /// `1/0`, `true/false`, `yes/no`, `on/off`, any case.
    static func boolean(_ text: String, name: String) throws -> Bool {
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ProfilingSettingsError(name: name, value: text, expected: "one of 1, 0, true, false, yes, no, on, off")
        }
    }

    /// A positive duration: a number with an optional unit `ns`, `us`, `ms` or `s`; a bare
    /// number means milliseconds (`1`, `0.5ms`, `250us`, `30s`).
    static func duration(_ text: String, name: String) throws -> Duration {
        let trimmed = text.trimmingWhitespace()
        let units: [(suffix: String, nanoseconds: Double)] = [
            ("ns", 1), ("us", 1_000), ("µs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
        ]
        var number = Substring(trimmed)
        var scale = 1_000_000.0
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            number = trimmed.dropLast(unit.suffix.count)
            scale = unit.nanoseconds
            break
        }
        // At least 1 ns once rounded: `1e-300s` is above zero but would become a zero duration,
        // which the engine refuses only later, at every profiled request.
        guard let value = Double(number), value.isFinite, (value * scale).rounded() >= 1,
            value * scale < Double(Int64.max)
        else {
            throw ProfilingSettingsError(
                name: name, value: text, expected: "a positive duration such as 1ms, 500us or 30s (a bare number means milliseconds)")
        }
        return .nanoseconds(Int64((value * scale).rounded()))
    }

    /// A sampling interval: a ``duration(_:name:)`` inside ``intervalRange``.
    static func interval(_ text: String, name: String) throws -> Duration {
        let interval = try duration(text, name: name)
        guard intervalRange.contains(interval) else {
            throw ProfilingSettingsError(name: name, value: text, expected: "an interval between 100us and 100ms")
        }
        return interval
    }

    /// A report format by its query name (`html`, `text`, `json`, `speedscope`, `collapsed`, `pprof`).
    static func format(_ text: String, name: String) throws -> ProfileFormat {
        do {
            return try ProfileFormat(parsing: text)
        } catch {
            throw ProfilingSettingsError(
                name: name, value: text, expected: "one of \(ProfileFormatError.validNames.joined(separator: ", "))")
        }
    }

    /// A sampling time limit: a ``duration(_:name:)`` of at most an hour.
    static func maximumDuration(_ text: String, name: String) throws -> Duration {
        let duration = try duration(text, name: name)
        guard duration <= maximumDurationLimit else {
            throw ProfilingSettingsError(name: name, value: text, expected: "a duration of at most 3600s")
        }
        return duration
    }

    /// A whole number of at least 1.
    static func positiveInteger(_ text: String, name: String) throws -> Int {
        guard let value = Int(text.trimmingWhitespace()), value >= 1 else {
            throw ProfilingSettingsError(name: name, value: text, expected: "a whole number of at least 1")
        }
        return value
    }

    /// A whole number from 1 to `limit`: for sizes and ages whose absurd values would overflow
    /// arithmetic further on (seconds turned into nanoseconds) or mean "never".
    static func positiveInteger(_ text: String, name: String, atMost limit: Int) throws -> Int {
        guard let value = Int(text.trimmingWhitespace()), value >= 1, value <= limit else {
            throw ProfilingSettingsError(name: name, value: text, expected: "a whole number from 1 to \(limit)")
        }
        return value
    }

    /// A whole number from 0 to `limit`: a count where 0 means "no limit".
    static func count(_ text: String, name: String, atMost limit: Int) throws -> Int {
        guard let value = Int(text.trimmingWhitespace()), value >= 0, value <= limit else {
            throw ProfilingSettingsError(name: name, value: text, expected: "a whole number from 0 (no limit) to \(limit)")
        }
        return value
    }

    /// Free space to keep: a percentage of the file system (`5%`), a size in decimal units
    /// (`500MB`, `1.5GB`, `4096`: bytes when bare), or `0` for none.
    static func diskReserve(_ text: String, name: String) throws -> DiskReserve {
        let trimmed = text.trimmingWhitespace()
        let failure = ProfilingSettingsError(
            name: name, value: text, expected: "a share of the disk such as 5%, a size such as 500MB or 2GB, or 0 for none")
        if trimmed.hasSuffix("%") {
            guard let percent = Double(String(trimmed.dropLast()).trimmingWhitespace()), percent >= 0, percent <= 100 else { throw failure }
            // Only 0 turns the check off: a share too small to keep a byte of a petabyte
            // (1e-300%, or 1e-400% which reads as 0) is a typo, not a wish to fill the disk.
            guard percent >= 1e-13 || (percent == 0 && Self.isZero(trimmed.dropLast())) else { throw failure }
            return percent == 0 ? .none : DiskReserve(fraction: percent / 100)
        }
        let upper = trimmed.uppercased()
        var number = Substring(upper)
        var scale: UInt64 = 1
        for unit in ByteCountText.units where upper.hasSuffix(unit.name) {
            number = upper.dropLast(unit.name.count)
            scale = unit.size
            break
        }
        guard let value = Double(String(number).trimmingWhitespace()), value >= 0, value * Double(scale) < 1e18 else { throw failure }
        let bytes = UInt64((value * Double(scale)).rounded())
        // Only 0 turns the check off; `0.4` (bytes) would have rounded to it.
        guard bytes > 0 || Self.isZero(number) else { throw failure }
        return bytes == 0 ? .none : DiskReserve(bytes: bytes)
    }

    /// Whether `text` writes zero (`0`, `0.0`, `.0`, `0e0`, `+0`), not a number that reads as 0
    /// without being it (`1e-400`, whose digits are not all 0).
    private static func isZero(_ text: Substring) -> Bool {
        let number = String(text).trimmingWhitespace()
        let mantissa = number.prefix { $0 != "e" && $0 != "E" }
        return Double(number) == 0 && !mantissa.contains { ("1"..."9").contains($0) }
    }

    /// `serve` (serve unprofiled) or `reject` (429).
    static func overLimitPolicy(_ text: String, name: String) throws -> OverLimitPolicy {
        guard let policy = OverLimitPolicy(rawValue: text.lowercased()) else {
            throw ProfilingSettingsError(name: name, value: text, expected: "serve or reject")
        }
        return policy
    }
}

extension String {
    /// Leading and trailing spaces, tabs and newlines removed (no Foundation needed). Read
    /// scalar by scalar: a CRLF line end (a secret file written on Windows) is one Character,
    /// equal to neither "\r" nor "\n", and was kept: a token "secret\r\n" no header can
    /// carry, and a token "\r\n" taken for one set.
    func trimmingWhitespace() -> String {
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) }) ?? first
        return String(scalars[first...last])
    }
}
