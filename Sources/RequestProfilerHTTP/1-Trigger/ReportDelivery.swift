/// Where a report goes: in place of the response, or into a directory while the original
/// response is returned (with a header naming the file).
public enum ReportDelivery: Sendable, Equatable {
    case replaceResponse
    case save(directory: String)
}
