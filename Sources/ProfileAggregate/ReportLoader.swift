import Foundation
import ProfileReports

/// Reads saved json reports from files and folders, checking each is one of ours and that
/// they all share one schema version before anything is combined.
public enum ReportLoader {
    static let schemaName = JSONReport.schemaName
    static let supportedVersion = JSONReport.currentSchemaVersion
    /// Most values a report file may hold (see ``JSONValueCount``): a report of the largest
    /// size read (256 MB) holds about 10 million; decoding 16 million takes about 800 MB.
    static let mostJSONValues = 16_000_000

    /// Loads every report `paths` name: a file is read as a report; a folder contributes every
    /// `*.json` file directly in it (speedscope's `*.speedscope.json`, hidden files such as
    /// macOS's `._name.json`, and subfolders excepted), sorted by name. A file named twice (a
    /// folder and a file in it, a link to it) is read once. A file listed from a folder and
    /// gone when it is read is passed over: a live server's auto-capture deletes a route's
    /// oldest reports as it saves new ones. A symbolic link to a missing file is not gone (it
    /// is still listed) and is an error naming it.
    /// - Throws: `ReportLoadError` naming the first file that is unreadable, not a report, of
    ///   another schema version than the others, or malformed; `.tooLarge` as soon as the
    ///   reports read so far are together more than one report may hold (see
    ///   ``checkCombinable(_:)``): the files after that one are not read.
    public static func load(_ paths: [String]) throws(ReportLoadError) -> [LoadedReport] {
        try load(paths, keeping: { _ in true }).kept
    }

    /// ``load(_:)``, keeping only the reports `keep` accepts: the others are read and checked
    /// (a malformed file is an error all the same) but not held, nor counted against what the
    /// kept ones may hold together. Picking one route of an auto-capture folder shared by many
    /// was refused as "too many to combine" for the size of the routes left out.
    /// - Throws: as ``load(_:)``, except that no report kept is not an error here.
    public static func load(_ paths: [String], keeping keep: (JSONReport) -> Bool) throws(ReportLoadError) -> SelectedReports {
        try load(files: try expand(paths), keeping: keep)
    }

    /// ``load(_:keeping:)`` of the files `expand` made of its paths.
    static func load(files: [(path: String, isListed: Bool)], keeping keep: (JSONReport) -> Bool) throws(ReportLoadError) -> SelectedReports {
        var selected = SelectedReports(kept: [], paths: [], leftOut: [])
        var combined = CombinedReportSize()
        var first: (path: String, version: Int)?
        for file in files {
            let data: Data
            do {
                data = try RegularFileReader.read(file.path, followsSymlinks: true)
            } catch {
                // A dangling link was passed over as deleted, and a folder of nothing else
                // said "no reports given".
                let dangling = error == .missing ? FileStatus.danglingLinkReason(file.path) : nil
                if file.isListed, error == .missing, dangling == nil { continue }
                throw .unreadable(path: file.path, reason: dangling ?? error.description)
            }
            let version = try schemaVersion(of: data, path: file.path)
            if let first, first.version != version {
                throw .mixedVersions(path: file.path, version: version, otherPath: first.path, otherVersion: first.version)
            }
            first = first ?? (file.path, version)
            // Decoded at once, so that only one file's bytes are held at a time.
            let report = try decode(data, path: file.path, version: version)
            selected.paths.append(file.path)
            if keep(report.report) {
                // Checked now, before the next file is read: summed at the end, a folder of
                // many large reports was read and held whole before it was refused.
                try combined.add(report)
                selected.kept.append(report)
            } else {
                selected.leftOut.append(report.report.metadata.request)
            }
        }
        guard !selected.paths.isEmpty else { throw .noReports }
        return selected
    }

    /// Whether `reports` can be combined into one report that can itself be loaded again: the
    /// sums an aggregate or a diff side writes and rebuilds (times, samples and their frames,
    /// the frames of the distinct stacks, sampler counters) stay within what one report may
    /// hold (``JSONReport/largestNanoseconds``, 13 days of profiled time;
    /// ``JSONReport/mostRebuiltSamples``, ``JSONReport/mostRebuiltFrames``,
    /// ``JSONReport/mostStackFrames``: reports of different stacks merge into a tree that holds
    /// them all). Beyond that a merge wrote a report that no later command would read, and
    /// 1,024 extreme reports overflowed its sums.
    /// - Throws: `ReportLoadError.tooLarge`, counting the reports up to the first that crosses
    ///   a limit.
    public static func checkCombinable(_ reports: [LoadedReport]) throws(ReportLoadError) {
        var size = CombinedReportSize()
        for report in reports { try size.add(report) }
    }

    /// The report files `paths` stand for, folders expanded; `isListed` marks a file found in a
    /// folder rather than named.
    ///
    /// A file is told by its device and inode (``FileStatus/Identity``), not by its name: names
    /// compared as Strings merged `café.json` composed and decomposed, two files on ext4, and
    /// one report was passed over without a word. A path that cannot be looked at is refused
    /// with `stat`'s reason (a folder the user may not search: "Permission denied", not "no
    /// such file").
    static func expand(_ paths: [String]) throws(ReportLoadError) -> [(path: String, isListed: Bool)] {
        var files: [(path: String, isListed: Bool)] = []
        var seen = Set<FileStatus.Identity>()
        for path in paths {
            let status: FileStatus
            do {
                status = try FileStatus(path)
            } catch {
                throw .unreadable(path: path, reason: FileStatus.danglingLinkReason(path) ?? error.reason)
            }
            guard status.isDirectory else {
                if seen.insert(status.identity).inserted { files.append((path, false)) }
                continue
            }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: path)
            } catch {
                throw .unreadable(path: path, reason: error.localizedDescription)
            }
            var reports: [(path: String, identity: FileStatus.Identity?)] = []
            // Names are bytes to the file system: a hidden name is one whose first byte is a
            // `.` (`hasPrefix(".")` missed `.` + U+0301, one Character), and canonically
            // equivalent names, equal Strings, are ordered by their bytes, not as listed.
            let listed = names.filter { isJSONReportName($0) && $0.utf8.first != UInt8(ascii: ".") }
                .sorted { $0 == $1 ? $0.utf8.lexicographicallyPrecedes($1.utf8) : $0 < $1 }
            for name in listed {
                let file = URL(fileURLWithPath: path).appendingPathComponent(name).path
                // Subfolders are not read, even one named like a report (`archive.json`). A
                // file gone since it was listed is kept: reading passes it over (and refuses
                // a link to a missing file).
                let status = try? FileStatus(file)
                if status?.isDirectory == true { continue }
                reports.append((file, status?.identity))
            }
            guard !reports.isEmpty else { throw .unreadable(path: path, reason: "the folder holds no .json reports") }
            for report in reports where report.identity.map({ seen.insert($0).inserted }) ?? true {
                files.append((report.path, true))
            }
        }
        return files
    }

    /// Whether a file's name says it holds a json report (`profile_format=json`): the only
    /// format that keeps the data to aggregate, diff or render again. A speedscope file ends
    /// in `.json` too (`.speedscope.json`) but holds another schema.
    ///
    /// Compared byte by byte, as the file system names files: `hasSuffix` compares Characters,
    /// and a `.` after a prepended mark (U+0600) is one Character with it, so
    /// `x\u{600}.speedscope.json` did not end in `.speedscope.json` and was read as a report.
    public static func isJSONReportName(_ name: String) -> Bool {
        func endsWith(_ suffix: String) -> Bool { name.utf8.reversed().starts(with: suffix.utf8.reversed()) }
        return endsWith(".json") && !endsWith(".speedscope.json")
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
    private static func schemaVersion(of data: Data, path: String, limits: ReportFileLimits = .standard) throws(ReportLoadError) -> Int {
        guard !JSONValueCount.exceeds(limits.jsonValues, in: data) else {
            throw .malformed(path: path, reason: "more than \(limits.jsonValuesText) JSON values, more than a report of its size holds")
        }
        let header: ReportHeader
        do {
            header = try JSONDecoder().decode(ReportHeader.self, from: data)
        } catch {
            throw .notJSON(path: path, reason: Self.reason(error))
        }
        guard header.schema == schemaName else { throw .notAReport(path: path, found: header.schema) }
        guard let version = header.schemaVersion else { throw .malformed(path: path, reason: "missing field schemaVersion") }
        return version
    }

    /// Checks and decodes the bytes of one report; `path` names it in errors.
    public static func decode(_ data: Data, path: String) throws(ReportLoadError) -> LoadedReport {
        try decode(data, path: path, limits: .standard)
    }

    /// ``decode(_:path:)`` held to `limits`' count of JSON values (tests: small ones).
    static func decode(_ data: Data, path: String, limits: ReportFileLimits) throws(ReportLoadError) -> LoadedReport {
        try decode(data, path: path, version: try schemaVersion(of: data, path: path, limits: limits))
    }

    /// ``decode(_:path:)`` of bytes whose schema version has been read.
    private static func decode(_ data: Data, path: String, version: Int) throws(ReportLoadError) -> LoadedReport {
        guard version == supportedVersion else { throw .unsupportedVersion(path: path, version: version) }
        let report: JSONReport
        do {
            report = try JSONDecoder().decode(JSONReport.self, from: data)
        } catch {
            throw .malformed(path: path, reason: Self.reason(error))
        }
        // Values the decoder lets through but the rebuild and the renderers could not survive.
        let check = report.check
        if let problem = check.problem { throw .malformed(path: path, reason: problem) }
        return LoadedReport(path: path, report: report, rebuilt: check.rebuilt)
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
