import Foundation
import Mustache
import ReportTemplates

/// The Mustache templates the html and text reports are rendered from: the built-in ones
/// from `Templates/`, optionally overridden by name from a user directory.
struct TemplateLibrary: Sendable {
    let library: MustacheLibrary

    /// The built-in templates, parsed once per process.
    static let builtIn: Result<MustacheLibrary, TemplateError> = Result { () throws(TemplateError) -> MustacheLibrary in
        var library = MustacheLibrary()
        for (name, text) in ReportTemplates.all.sorted(by: { $0.key < $1.key }) {
            try register(text, named: name, in: &library)
        }
        return library
    }

    /// The built-in templates with those of `directory` (if any) registered over them.
    init(overridesIn directory: String?) throws(TemplateError) {
        var library = try Self.builtIn.get()
        if let directory {
            for (name, text) in try Self.userTemplates(in: directory) {
                try Self.register(text, named: name, in: &library)
            }
        }
        self.library = library
    }

    /// Renders `context` with the template `name`.
    func render(_ context: Any, template name: String) throws(TemplateError) -> String {
        guard let output = library.render(context, withTemplate: name) else {
            throw TemplateError.missingTemplate(name)
        }
        return output
    }

    /// An html template (`html/…`) is parsed with ``ScalarHTMLEscaping`` selected, so a user's
    /// own html template gets it too without having to name it.
    private static func register(_ text: String, named name: String, in library: inout MustacheLibrary) throws(TemplateError) {
        do {
            try library.register(name.hasPrefix("html/") ? ScalarHTMLEscaping.selected(in: text) : text, named: name)
        } catch {
            throw TemplateError.invalidTemplate(name: name, reason: String(describing: error))
        }
    }

    /// Every `.mustache` file under `directory`, named by its relative path without the
    /// extension (`html/page.mustache` -> `html/page`), as swift-mustache's own loader names them.
    static func userTemplates(in directory: String) throws(TemplateError) -> [(name: String, text: String)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TemplateError.directoryNotFound(directory)
        }
        let root = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        let relativePaths = (FileManager.default.subpaths(atPath: root.path) ?? [])
            .filter { $0.hasSuffix(".mustache") }
            .sorted()
        var templates: [(name: String, text: String)] = []
        for relativePath in relativePaths {
            let name = String(relativePath.dropLast(".mustache".count))
            do {
                let text = try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
                templates.append((name, text))
            } catch {
                throw TemplateError.invalidTemplate(name: name, reason: String(describing: error))
            }
        }
        return templates
    }
}
