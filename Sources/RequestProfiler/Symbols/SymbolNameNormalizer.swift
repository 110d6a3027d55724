/// Cleans demangled names for reports.
enum SymbolNameNormalizer {
    /// `(1) await resume partial function for App.fetch() async -> ()` -> `App.fetch() async -> ()`,
    /// likewise `suspend resume partial function for`: a function's partials are one frame.
    static func normalize(_ name: String) -> String {
        guard name.hasPrefix("(") else { return name }
        for marker in [" await resume partial function for ", " suspend resume partial function for ", " resume partial function for "] {
            if let range = name.firstRange(of: marker), name[..<range.lowerBound].allSatisfy({ $0 == "(" || $0 == ")" || $0.isNumber }) {
                return String(name[range.upperBound...])
            }
        }
        return name
    }

    /// The compiler's helpers named after what they serve: a type (`outlined copy of
    /// App.Request`, `type metadata accessor for App.Foo`, `destroy value witness for App.Foo`)
    /// or a declaration (`variable initialization expression of App.x`, `default argument 0
    /// of App.f(x:)`). They are the module's of what they serve; read as no module, the user's
    /// own were hidden as system code. `outlined ` and `default argument ` go on to their `of `.
    private static let helperPrefixes = [
        "outlined ", "default argument ", "type metadata accessor for ", "type metadata completion function for ",
        "type metadata instantiation function for ", "variable initialization expression of ",
        "property wrapper backing initializer of ", "key path getter for ", "key path setter for ",
    ]

    /// The Swift module a demangled name belongs to (`closure #1 in App.handler()` -> `App`),
    /// or nil for C and C++ names.
    static func module(of name: String) -> String? {
        var rest = Substring(name)
        // Set once a context (`closure #1 in X`) was stripped: X is then a function, or for
        // top-level code (a `main.swift`'s closures) the module itself, without a dot.
        var inContext = false
        let prefixes = ["closure #", "implicit closure #", "partial apply for ", "partial apply forwarder for ", "specialized ", "merged ",
                        "protocol witness for ", "static ", "dispatch thunk of ", "reabstraction thunk helper from ",
                        "thunk for ", "lazy protocol witness table accessor for "] + helperPrefixes
        var changed = true
        while changed {
            changed = false
            for prefix in prefixes where rest.hasPrefix(prefix) {
                // A witness, and the accessor of a witness table, belong to the module that
                // declares the conformance, not the protocol's: `protocol witness for
                // Vapor.AsyncMiddleware.respond(...) in conformance App.Auth :
                // Vapor.AsyncMiddleware in App` is App's code.
                if prefix == "protocol witness for " || prefix == "lazy protocol witness table accessor for ",
                    rest.firstRange(of: " conformance ") != nil,
                    let lastIn = rest.ranges(of: " in ").last, let module = identifier(rest[lastIn.upperBound...]) {
                    return module
                }
                if prefix.hasSuffix("#") {
                    guard let inRange = rest.firstRange(of: " in ") else { return nil }
                    rest = rest[inRange.upperBound...]
                    inContext = true
                } else if prefix == "outlined " || prefix == "default argument " {
                    // `outlined copy of X`, `outlined variable #0 of X`, `default argument 0 of X`.
                    guard let of = rest.firstRange(of: " of ") else { return nil }
                    rest = rest[of.upperBound...]
                } else {
                    rest = rest.dropFirst(prefix.count)
                }
                if prefix == "lazy protocol witness table accessor for ", rest.hasPrefix("type ") { rest = rest.dropFirst("type ".count) }
                changed = true
            }
            // A value witness, `destroy value witness for App.Foo`, is its type's.
            if let witness = rest.firstRange(of: " value witness for "), identifier(rest[..<witness.lowerBound]) != nil {
                rest = rest[witness.upperBound...]
                changed = true
            }
            // A tuple's or an array's first element: `outlined copy of (App.Request, Swift.Int)`.
            if rest.hasPrefix("(") && !rest.hasPrefix("(extension in ") || rest.hasPrefix("[") {
                rest = rest.dropFirst()
                changed = true
            }
            // A local function or a defer body, `inner #1 () -> () in App.outer() -> ()`, belongs
            // to the function it is in.
            if let hash = rest.firstRange(of: " #"), rest[hash.upperBound...].first?.isNumber == true,
                !rest[..<hash.lowerBound].contains(where: { $0 == " " || $0 == "." }) {
                guard let inRange = rest.firstRange(of: " in ") else { return nil }
                rest = rest[inRange.upperBound...]
                inContext = true
                changed = true
            }
            if rest.hasPrefix("generic specialization <") || rest.hasPrefix("function signature specialization <") {
                guard let of = rest.firstRange(of: "> of ") else { return nil }
                rest = rest[of.upperBound...]
                changed = true
            }
        }
        if rest.hasPrefix("(extension in ") {
            let start = rest.index(rest.startIndex, offsetBy: "(extension in ".count)
            guard let close = rest[start...].firstIndex(of: ")") else { return nil }
            return String(rest[start..<close])
        }
        guard let dot = rest.firstIndex(of: ".") else { return inContext ? identifier(rest) : nil }
        return identifier(rest[..<dot])
    }

    /// `text` when it can be a module's name.
    private static func identifier(_ text: Substring) -> String? {
        guard !text.isEmpty, text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        return String(text)
    }
}
