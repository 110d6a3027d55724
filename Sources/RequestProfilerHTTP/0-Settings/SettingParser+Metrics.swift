import RequestMetrics

extension SettingParser {
    /// A share between 0 and 1 inclusive (`0.25`, `1`).
    static func unitInterval(_ text: String, name: String) throws -> Double {
        guard let value = Double(text.trimmingWhitespace()), value.isFinite, (0...1).contains(value) else {
            throw ProfilingSettingsError(name: name, value: text, expected: "a number from 0 to 1, such as 0.1")
        }
        return value
    }

    /// A comma list of path patterns: `/static/*` (prefix), `/health` (exact), `re:^/api/v[0-9]+/` (regex).
    static func pathPatterns(_ text: String, name: String) throws -> [PathPattern] {
        try commaItems(text).map { item in try pathPattern(item, whole: text, name: name) }
    }

    /// A comma list of `pattern=rate`; the first matching pattern wins.
    static func rateOverrides(_ text: String, name: String) throws -> [RateOverride] {
        try commaItems(text).map { item in
            guard let equals = item.lastIndex(of: "=") else {
                throw ProfilingSettingsError(
                    name: name, value: text, expected: "a comma list of pattern=rate, such as /health=0,/api/*=0.5 (\"\(item)\" has no =)")
            }
            let pattern = try pathPattern(String(item[..<equals]).trimmingWhitespace(), whole: text, name: name)
            let rateText = String(item[item.index(after: equals)...])
            guard let rate = Double(rateText.trimmingWhitespace()), rate.isFinite, (0...1).contains(rate) else {
                throw ProfilingSettingsError(
                    name: name, value: text, expected: "a rate from 0 to 1 after each = (\"\(rateText)\" in \"\(item)\")")
            }
            return RateOverride(pattern: pattern, rate: rate)
        }
    }

    /// A URL path prefix such as `/_profiler`: starts with `/`, is more than `/`, and holds
    /// only ASCII letters, digits and `-._~/`. A trailing `/` is dropped.
    ///
    /// Both adapters compare the prefix with the request's path as sent, percent-encoded: a
    /// prefix with other characters (`/_profilé`) would never match, and one with `;` would
    /// cut the sign-in cookie's `Path` short (`Path=/a;b` is read as `/a`), sending the token
    /// to the app's routes under it.
    static func pathPrefix(_ text: String, name: String) throws -> String {
        var prefix = text.trimmingWhitespace()
        while prefix.count > 1 && prefix.hasSuffix("/") { prefix.removeLast() }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")
        // "//x" would never be reached: servers and clients read it as a host or fold it to "/x".
        guard prefix.hasPrefix("/"), prefix.count > 1, prefix.allSatisfy(allowed.contains), !prefix.contains("//"),
            !prefix.split(separator: "/").contains(where: { $0 == ".." || $0 == "." })
        else {
            throw ProfilingSettingsError(
                name: name, value: text, expected: "a path prefix such as /_profiler (ASCII letters, digits and -._~/)")
        }
        return prefix
    }

    private static func pathPattern(_ item: String, whole text: String, name: String) throws -> PathPattern {
        do {
            return try PathPattern(parsing: item)
        } catch {
            throw ProfilingSettingsError(
                name: name, value: text,
                expected: "path patterns such as /static/*, /health or re:^/api/ (\"\(item)\": \(error))")
        }
    }

    /// Non-empty, trimmed items of a comma list.
    private static func commaItems(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }
}
