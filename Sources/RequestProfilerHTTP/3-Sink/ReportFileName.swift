import ProfileReports

/// Builds `<timestamp>-<method>-<route>-<duration>.<ext>` for a saved report.
///
/// Every part that comes from the request is reduced to `[A-Za-z0-9_-]`, so no route template,
/// path or query can put a `/`, `..`, a NUL or a leading dot into the name: the file always
/// lands directly inside the reports directory.
public enum ReportFileName {
    /// Longest route part kept, so that very long paths still give valid file names.
    static let maximumRouteLength = 80

    /// - Parameters:
    ///   - startTime: seconds since 1970 (UTC), as in `ProfileMetadata.startTime`.
    ///   - route: the route template, or nil for an unmatched request.
    public static func make(
        startTime: Double, method: String, route: String?, durationNanoseconds: UInt64, fileExtension: String
    ) -> String {
        let methodPart = sanitize(method, limit: 16).uppercased()
        let routePart = route.map { sanitize($0, limit: maximumRouteLength) } ?? "unmatched"
        let milliseconds = durationNanoseconds / 1_000_000
        let extensionPart = sanitizeExtension(fileExtension)
        return "\(timestamp(startTime))-\(methodPart.isEmpty ? "UNKNOWN" : methodPart)-\(routePart.isEmpty ? "root" : routePart)-\(milliseconds)ms.\(extensionPart)"
    }

    /// Whether `name` has the shape of a report this library saves:
    /// `<timestamp>-<method>-<route>-<duration>ms[-N].<a format's extension>`. The dashboard
    /// serves no other file of the reports folder: a folder shared with other files
    /// (`PROFILING_OUTPUT_DIR=.`) must not hand out `config.json` or `Package.resolved`.
    public static func isSavedReportName(_ name: String) -> Bool {
        guard let match = name.wholeMatch(of: savedReportShape) else { return false }
        return ProfileFormat.allCases.contains { $0.fileExtension == String(match.1) }
    }

    /// 9999-12-31T23:59:59Z, the last time four year digits hold.
    static let lastSecondOf9999: Double = 253_402_300_799

    private nonisolated(unsafe) static let savedReportShape =
        /[0-9]{8}-[0-9]{6}\.[0-9]{3}-[A-Za-z0-9_-]+-[0-9]+ms(?:-[0-9]+)?\.([a-z.]+)/

    /// `20261121T215700.123Z`-like, but without colons (invalid on some file systems):
    /// `20261121-215700.123`, UTC, so names sort by time.
    ///
    /// A time before 1970 or not a number reads as 1970, one past the year 9999 as its end
    /// (the public ``make`` takes any `Double`; converting those to an integer trapped).
    static func timestamp(_ secondsSince1970: Double) -> String {
        let seconds = secondsSince1970.isNaN ? 0 : min(max(secondsSince1970, 0), lastSecondOf9999)
        let totalMilliseconds = Int64((seconds * 1000).rounded(.down))
        let milliseconds = Int(totalMilliseconds % 1000)
        let totalSeconds = totalMilliseconds / 1000
        let days = totalSeconds / 86_400
        let secondsOfDay = Int(totalSeconds % 86_400)
        let (year, month, day) = civilDate(daysSince1970: days)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(width - text.count, 0)) + text
        }
        return pad(year, 4) + pad(month, 2) + pad(day, 2) + "-"
            + pad(secondsOfDay / 3600, 2) + pad(secondsOfDay / 60 % 60, 2) + pad(secondsOfDay % 60, 2)
            + "." + pad(milliseconds, 3)
    }

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar), so the name
    /// needs no date formatter on the request path.
    static func civilDate(daysSince1970: Int64) -> (year: Int, month: Int, day: Int) {
        let z = daysSince1970 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    /// Keeps ASCII letters and digits, `-` and `_`; every other run of characters becomes one
    /// `_`; leading and trailing `_` are dropped.
    static func sanitize(_ text: String, limit: Int) -> String {
        var result = ""
        var pendingSeparator = false
        for scalar in text.unicodeScalars {
            let isSafe = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_")
            if isSafe {
                if pendingSeparator && !result.isEmpty { result.append("_") }
                pendingSeparator = false
                result.unicodeScalars.append(scalar)
            } else {
                pendingSeparator = true
            }
            if result.count >= limit { break }
        }
        return String(result.prefix(limit)).trimmingUnderscores()
    }

    /// Longest extension kept, so that any extension still gives a name under NAME_MAX (255).
    static let maximumExtensionLength = 32

    /// An extension is one or more safe parts joined by single dots (`json`, `speedscope.json`),
    /// at most ``maximumExtensionLength`` characters.
    static func sanitizeExtension(_ text: String) -> String {
        let parts = text.split(separator: ".").map { sanitize(String($0), limit: 16) }.filter { !$0.isEmpty }
        let joined = String(parts.joined(separator: ".").prefix(maximumExtensionLength))
        let trimmed = String(joined.reversed().drop { $0 == "." }.reversed())
        return trimmed.isEmpty ? "txt" : trimmed
    }
}

extension String {
    fileprivate func trimmingUnderscores() -> String {
        String(drop(while: { $0 == "_" }).reversed().drop(while: { $0 == "_" }).reversed())
    }
}
