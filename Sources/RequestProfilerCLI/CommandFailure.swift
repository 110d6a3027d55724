import ProfileReports

/// A command that could not do its work for a reason outside its arguments (a file that
/// cannot be written): printed as `Error: MESSAGE` with exit status 1, without the usage text
/// that ArgumentParser adds to a `ValidationError`. Control characters (from a report's route
/// or a file name) are shown as U+FFFD, as in ``TerminalSafeText``.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = TerminalSafeText.make(description)
    }
}
