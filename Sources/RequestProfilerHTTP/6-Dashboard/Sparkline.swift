/// The 60-point requests-per-second history as the `points` of an inline SVG polyline, so
/// the page draws it without a script or a chart library.
struct Sparkline {
    let values: [Int]
    let width = 240
    let height = 40

    init(points: [Int]) {
        values = points
    }

    var peak: Int { values.max() ?? 0 }

    /// `x,y` pairs, oldest left; y grows downwards, the peak touches the top (1 px margin).
    var polylinePoints: String {
        guard !values.isEmpty else { return "" }
        let step = values.count > 1 ? Double(width) / Double(values.count - 1) : 0
        let scale = peak > 0 ? Double(height - 2) / Double(peak) : 0
        return values.enumerated().map { index, value in
            let x = (Double(index) * step * 10).rounded() / 10
            let y = (Double(height - 1) - Double(value) * scale).rounded()
            return "\(x),\(Int(y))"
        }.joined(separator: " ")
    }
}
