import Foundation
import ProfileReports

/// Reads saved json reports from files and folders, checking each is one of ours and that
/// they all share one schema version before anything is combined.
public enum ReportLoader {
    static let schemaName = JSONReport.schemaName
    static let supportedVersion = JSONReport.currentSchemaVersion

    /// Loads every report `paths` name: a file is read as a report; a folder contributes every
    /// `*.json` file directly in it (speedscope's `*.speedscope.json` and hidden files, such
    /// as macOS's `._name.json`, excepted), sorted by name. A file named twice (a folder and a
    /// file in it) is read once.
    /// - Throws: `ReportLoadError` naming the first file that is unreadable, not a report, of
    ///   another schema version than the others, or malformed.
    public static func load(_ paths: [String]) throws(ReportLoadError) -> [LoadedReport] {
        var files: [(path: String, data: Data, version: Int)] = []
        for path in try expand(paths) {
            let data = try read(path, followsSymlinks: true)
            let version = try schemaVersion(of: data, path: path)
            if let first = files.first, first.version != version {
                throw .mixedVersions(path: path, version: version, otherPath: first.path, otherVersion: first.version)
            }
            files.append((path, data, version))
        }
        guard !files.isEmpty else { throw .noReports }
        var reports: [LoadedReport] = []
        for file in files {
            reports.append(try decode(file.data, path: file.path))
        }
        return reports
    }

    /// The report files `paths` stand for, folders expanded.
    static func expand(_ paths: [String]) throws(ReportLoadError) -> [String] {
        var files: [String] = []
        var seen = Set<String>()
        func add(_ file: String) {
            if seen.insert(URL(fileURLWithPath: file).resolvingSymlinksInPath().standardizedFileURL.path).inserted { files.append(file) }
        }
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .unreadable(path: path, reason: "no such file or folder")
            }
            guard isDirectory.boolValue else {
                add(path)
                continue
            }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: path)
            } catch {
                throw .unreadable(path: path, reason: error.localizedDescription)
            }
            let reports = names.filter { isJSONReportName($0) && !$0.hasPrefix(".") }.sorted()
            guard !reports.isEmpty else { throw .unreadable(path: path, reason: "the folder holds no .json reports") }
            reports.forEach { add(URL(fileURLWithPath: path).appendingPathComponent($0).path) }
        }
        return files
    }

    /// Whether a file's name says it holds a json report (`profile_format=json`): the only
    /// format that keeps the data to aggregate, diff or render again. A speedscope file ends
    /// in `.json` too (`.speedscope.json`) but holds another schema.
    public static func isJSONReportName(_ name: String) -> Bool {
        name.hasSuffix(".json") && !name.hasSuffix(".speedscope.json")
    }

    /// Reads and checks one report file.
    ///
    /// - Parameter followsSymlinks: false refuses a symlink as the file itself: a server reads
    ///   a path it has checked to be inside its reports folder, and a symlink put there after
    ///   the check must not lead it out.
    public static func load(file path: String, followsSymlinks: Bool = true) throws(ReportLoadError) -> LoadedReport {
        try decode(try read(path, followsSymlinks: followsSymlinks), path: path)
    }

    /// Only a regular file of at most ``RegularFileReader/largestReportBytes`` is read: a FIFO
    /// or a device named like a report is refused instead of blocking or exhausting memory.
    private static func read(_ path: String, followsSymlinks: Bool) throws(ReportLoadError) -> Data {
        do {
            return try RegularFileReader.read(path, followsSymlinks: followsSymlinks)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
    }

    /// The schema version of a report's bytes, once they are known to be one of our reports.
    private static func schemaVersion(of data: Data, path: String) throws(ReportLoadError) -> Int {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .notJSON(path: path, reason: Self.reason(error))
        }
        let header = object as? [String: Any]
        let schema = header?["schema"] as? String
        guard schema == schemaName else { throw .notAReport(path: path, found: schema) }
        guard let version = header?["schemaVersion"] as? Int else { throw .malformed(path: path, reason: "missing field schemaVersion") }
        return version
    }

    /// Checks and decodes the bytes of one report; `path` names it in errors.
    public static func decode(_ data: Data, path: String) throws(ReportLoadError) -> LoadedReport {
        let version = try schemaVersion(of: data, path: path)
        guard version == supportedVersion else { throw .unsupportedVersion(path: path, version: version) }
        let report: JSONReport
        do {
            report = try JSONDecoder().decode(JSONReport.self, from: data)
        } catch {
            throw .malformed(path: path, reason: Self.reason(error))
        }
        // Values the decoder lets through but the rebuild and the renderers could not survive.
        if let problem = report.problem { throw .malformed(path: path, reason: problem) }
        return LoadedReport(path: path, report: report)
    }

    /// A decoding error in one line: the field path and what was wrong.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing field \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context), DecodingError.dataCorrupted(let context):
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return field.isEmpty ? context.debugDescription : "field \(field): \(context.debugDescription)"
        default:
            return (error as NSError).localizedDescription
        }
    }
}
