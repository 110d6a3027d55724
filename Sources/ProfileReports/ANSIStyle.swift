/// The escape codes the text report colours with, or empty strings when colour is off, so
/// the template is the same either way and a file or a browser never sees stray escapes.
struct ANSIStyle: Sendable {
    let enabled: Bool

    var reset: String { code("0") }
    var bold: String { code("1") }
    var faint: String { code("2") }
    var red: String { code("31") }
    var yellow: String { code("33") }
    var green: String { code("32") }
    var cyan: String { code("36") }

    /// pyinstrument's scale: the hotter a frame, the louder its time.
    func timeColor(fraction: Double) -> String {
        if fraction > 0.6 { return red }
        if fraction > 0.2 { return yellow }
        if fraction > 0.05 { return green }
        return faint
    }

    private func code(_ parameters: String) -> String {
        enabled ? "\u{1B}[\(parameters)m" : ""
    }
}
