/// A profile that cannot become an ingest request. Captured profiles never meet these; one
/// built in code may.
public enum PyroscopeRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A start time (unix seconds) that is not a number, negative, or past the year 33,000.
    case unusableTime(Double)
    /// A server URL that gives no ingest URL.
    case unusableServerURL(String)

    public var description: String {
        switch self {
        case .unusableTime(let start): "the profile's start time \(start) is not a usable unix time"
        case .unusableServerURL(let url): "no ingest URL can be made from the server URL \(url)"
        }
    }
}
