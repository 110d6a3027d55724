/// Random and hostile values for everything a request controls: query strings (parameter names
/// and values), format names, intervals, tokens, header values, methods and the route paths
/// that end up in report file names.
///
/// Seeded, so a failure names an input that the next run reproduces; the hostile pieces (path
/// traversal, NUL, huge numbers, invalid UTF-8 escapes, very long values, unicode) are mixed
/// with random bytes and with valid spellings, so that inputs also reach the code behind the
/// checks (a valid format with a hostile interval, a valid request with a hostile route).
public struct HostileInput: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// SplitMix64: tiny, and identical on every platform.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Values an attacker would try first, as raw (decoded) text.
    public static let hostileValues: [String] = [
        "", "../", "../../../../etc/passwd", "..\\..\\windows", "/etc/passwd", "./.hidden", ".", "..",
        "a\0b", "\0", "html\0.sh", "%", "%2", "%zz", "%%", "\u{FFFD}", "ß", "µs", "１ms", "🙂", "\u{202E}lmth",
        "\r\nSet-Cookie: x=1", "<script>alert(1)</script>", "' OR 1=1 --", "${jndi:ldap://x}",
        "1e309", "-1", "0", "-0", "nan", "NaN", "inf", "-inf", "0x10", "1_000", " 1 ", "\t2ms\n",
        "99999999999999999999999999999", "9223372036854775807", "9223372036854775808ns",
        "18446744073709551616", "0.0000000001ms", "1e-300s", "100us", "99us", "100ms", "101ms",
        "0.1ms", "0.5", "1ms", "30s", "3600s", "3601s", "1µs", "1 ms", "ms", "s", "1ss", "1msms",
        "html", "HTML", "text", "json", "speedscope", "collapsed", "pprof", "pdf", "json/../../x",
        "1", "true", "TRUE", "yes", "on", "off", "no", "false", "2",
    ]

    /// Spellings that decode to invalid UTF-8, traversal or NUL (kept encoded in the query).
    public static let hostileEscapes: [String] = [
        "%2e%2e%2f", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "..%2f", "%2e%2e/", "%00", "%ff%fe", "%c0%af", "%e0%80%af",
        "%ed%a0%80", "%f4%90%80%80", "%80", "%c3", "%", "%4", "%g0", "%%32%65", "+", "++", "%20%20",
        "..%5c..%5c", "%252e%252e%252f", "profile%3D1%26profile_format%3Dhtml",
    ]

    public static let parameterNames: [String] = [
        "profile", "profile_format", "profile_interval", "profile_save", "profile_token", "route",
        "%70rofile", "profile%5fformat", "profile+", "profile_", "Profile", "", "=", "&",
    ]

    public mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &self)] }
    public mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &self) < percent }

    /// Random bytes (any value, NUL and invalid UTF-8 included) as a string decoded leniently,
    /// up to `maximum` bytes.
    public mutating func randomText(maximum: Int = 40) -> String {
        let count = Int.random(in: 0...maximum, using: &self)
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A value as decoded text: hostile, random, or (unless `short`) very long (up to 64 KB).
    public mutating func value(short: Bool = false) -> String {
        switch Int.random(in: 0..<(short ? 8 : 10), using: &self) {
        case 0..<6: return pick(Self.hostileValues)
        case 6..<8: return randomText()
        case 8: return String(repeating: pick(["9", "a", "../", "%", "\u{1F600}"]), count: Int.random(in: 1_000...16_384, using: &self))
        default: return pick(Self.hostileValues) + randomText(maximum: 8) + pick(Self.hostileValues)
        }
    }

    /// `text` percent-encoded except for unreserved characters, so any bytes (NUL, invalid
    /// UTF-8 after decoding) survive a URL.
    public static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(UnicodeScalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }

    /// A raw query string (URL-safe characters only): mostly `profile=1` plus hostile
    /// parameters, sometimes hundreds of parameters, sometimes hostile escapes written as is.
    public mutating func query() -> String {
        var pairs: [String] = []
        if chance(80) { pairs.append(pick(["profile=1", "profile", "profile=true", "profile=", "%70rofile=1", "profile=0"])) }
        let count = chance(5) ? Int.random(in: 100...1_000, using: &self) : Int.random(in: 0...4, using: &self)
        for _ in 0..<count {
            let name = chance(70) ? pick(Self.parameterNames) : Self.percentEncoded(randomText(maximum: 12))
            let value = chance(25) ? pick(Self.hostileEscapes) : Self.percentEncoded(value(short: count > 4))
            pairs.append(chance(10) ? name : name + "=" + value)
        }
        if chance(20) { pairs.shuffle(using: &self) }
        return pairs.joined(separator: pick(["&", "&", "&", "&&"]))
    }

    /// A request path (URL-safe characters only) whose segments try to climb out of a directory.
    public mutating func path() -> String {
        let segments = (0..<Int.random(in: 1...6, using: &self)).map { _ -> String in
            switch Int.random(in: 0..<4, using: &self) {
            case 0: return pick(["..", ".", "%2e%2e", "..%2f..", "%00", "%2F", "~root", ".git"])
            case 1: return pick(Self.hostileEscapes)
            default: return Self.percentEncoded(value().prefix(64).description)
            }
        }
        return segments.joined(separator: "/")
    }

    /// A route template, method or header value as the framework would hand it over: any text.
    public mutating func freeText() -> String { chance(50) ? value() : randomText(maximum: 200) }
}
