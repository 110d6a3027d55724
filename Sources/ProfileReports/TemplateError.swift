/// Why the html or text report could not be produced from its templates. Only user
/// templates can cause these: the built-in ones are parsed and rendered by the tests.
public enum TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `RenderOptions.templateDirectory` does not exist or is not a directory.
    case directoryNotFound(String)
    /// A template file could not be read or parsed.
    case invalidTemplate(name: String, reason: String)
    /// No template of this name, built in or user-supplied.
    case missingTemplate(String)

    public var description: String {
        switch self {
        case .directoryNotFound(let path): "Template directory not found: \(path)"
        case .invalidTemplate(let name, let reason): "Template \"\(name)\" is invalid: \(reason)"
        case .missingTemplate(let name): "No template named \"\(name)\""
        }
    }
}
