/// Requests counted in one wall-clock second, for the sparkline.
struct SecondCounter: Sendable {
    var second: UInt64 = .max
    var count = 0
}
