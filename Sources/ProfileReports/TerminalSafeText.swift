/// Text from a profile made safe to print in a terminal.
///
/// A frame name, a request path or a note comes from a saved report too, which anyone may have
/// written: an escape sequence in it (`ESC ] 0 ;` retitles the window, `ESC [ 2 J` clears the
/// screen) would act on the terminal of whoever runs `request-profiler render --format text`,
/// and a line break would add lines that look like the report's own. The text report shows
/// every control character (C0, DEL, C1) as U+FFFD instead; its own colours are added after.
/// So too the invisible characters that reorder or hide text where bidi is applied (terminals,
/// log viewers): the bidi embeddings, overrides and isolates, the zero-width characters and
/// marks (the Arabic letter mark too), the line and paragraph separators and the byte order mark. A name that shows as
/// `admin` could otherwise be another one read backwards.
/// The command-line tool's summary, notes and errors, which quote reports and file names, too.
public enum TerminalSafeText {
    public static func make(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || mayLeadUnsafe($0) }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(isUnsafe(scalar) ? "\u{FFFD}" : scalar)
        }
        return String(scalars)
    }

    /// Whether a UTF-8 byte may lead an unsafe character of two or three bytes: C1 controls
    /// are encoded as 0xC2 0x80...0x9F, the Arabic letter mark as 0xD8 0x9C, the other invisible
    /// characters as 0xE2 ... and 0xEF 0xBB 0xBF. Such a byte only says "look closer".
    @inline(__always)
    public static func mayLeadUnsafe(_ byte: UInt8) -> Bool {
        byte == 0xC2 || byte == 0xD8 || byte == 0xE2 || byte == 0xEF
    }

    /// A control character, or an invisible one that changes how the text around it shows.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F: true
        case 0x061C, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2069, 0xFEFF: true
        default: false
        }
    }
}
