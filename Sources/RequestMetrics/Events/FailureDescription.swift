/// The REQ_META texts for a failed request: from the thrown error, or from a bare 5xx status.
struct FailureDescription: Sendable {
    var type: String
    var value: String
    var traceback: String

    init(error: (any Error)?, status: Int) {
        if let error {
            type = String(reflecting: Swift.type(of: error))
            value = String(describing: error)
            traceback = String(reflecting: error)
        } else {
            type = "HTTP \(status)"
            value = ""
            traceback = ""
        }
    }
}
