import Mustache

/// The html escaping of every report and dashboard template: `<`, `>`, `&`, `"` and `'`
/// replaced wherever they occur, scalar by scalar.
///
/// swift-mustache's own `HTML` content type looks each grapheme cluster up in a table of those
/// five characters. A `<` joined into one cluster with a neighbour (U+0600, a "prepend" mark,
/// before it; U+0301, a combining accent, after it) is a different `Character`, misses the
/// table and is written raw: an error message or a request path of `"\u{600}<img src=x
/// onerror=…>"` put live markup into the dashboard and the report. Those strings come from
/// clients and from the application's errors.
public struct ScalarHTMLEscaping: MustacheContentType {
    /// The name templates select it by (`{{% CONTENT_TYPE: REQUEST_PROFILER_HTML}}`).
    public static let name = "REQUEST_PROFILER_HTML"

    /// Registers it with swift-mustache once per process; templates that name it must be
    /// parsed after this (the parser looks the name up).
    public static let registered: Void = MustacheContentTypes.register(ScalarHTMLEscaping(), named: name)

    /// `text` with the pragma that selects this escaping in front, on a line of its own (a
    /// standalone tag's line renders as nothing, so the output keeps its first line as it
    /// was). A `CONTENT_TYPE` pragma later in `text` (a user's template) still wins.
    public static func selected(in text: String) -> String {
        _ = registered
        return "{{% CONTENT_TYPE: \(name)}}\n" + text
    }

    public func escapeText(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: Self.needsEscaping) else { return text }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "<"): escaped.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): escaped.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "&"): escaped.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "\""): escaped.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): escaped.append(contentsOf: "&#39;".utf8)
            default: escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    /// The five are ASCII, and in UTF-8 an ASCII byte is always that character (never part
    /// of a longer sequence), so escaping byte by byte is escaping scalar by scalar.
    private static func needsEscaping(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}
