/// Text from a profile made safe to print in a terminal.
///
/// A frame name, a request path or a note comes from a saved report too, which anyone may have
/// written: an escape sequence in it (`ESC ] 0 ;` retitles the window, `ESC [ 2 J` clears the
/// screen) would act on the terminal of whoever runs `request-profiler render --format text`,
/// and a line break would add lines that look like the report's own. The text report shows
/// every control character (C0, DEL, C1) as U+FFFD instead; its own colours are added after.
/// The command-line tool's summary, notes and errors, which quote reports and file names, too.
public enum TerminalSafeText {
    public static func make(_ text: String) -> String {
        // C1 controls are encoded as 0xC2 0x80...0x9F: 0xC2 only says "look closer".
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let isControl = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            scalars.append(isControl ? "\u{FFFD}" : scalar)
        }
        return String(scalars)
    }
}
