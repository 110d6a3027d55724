import Foundation
import Logging
import ProfileAggregate

/// Serves `PREFIX/profiles/FILE`: a saved report, read from the reports directory.
///
/// Only a plain file name can be served (no `/`, `\`, `..`, NUL, leading dot, and no `%`
/// left after one round of percent-decoding, which stops double-encoded tricks), with the
/// shape of a saved report's name (``ReportFileName/isSavedReportName(_:)``), and only a
/// regular file directly inside the directory whose real path, symlinks resolved, is still
/// inside it and has a saved report's name too. Anything else is a 404 that does not say
/// why. A FIFO or a device under a report's name is refused without being opened for a
/// blocking read. A report that is there but cannot be read (more than 256 MB, permissions,
/// no file descriptor left) is a 500 that says why: a bare 404 for a report the page lists
/// left its owner guessing.
///
/// Served with ``ReportIsolation``'s headers: a report's own script runs, but in an origin of
/// its own, so an html file someone put in the folder cannot act as the application (read the
/// dashboard with its cookie, call the app's routes), and nothing is left in caches.
///
/// Loading and answering are separate steps (``load(_:)``, ``response(for:)``) so that other
/// renderings of a saved json report (e.g. `?format=html`) can be added between them.
struct SavedReportServer: Sendable {
    /// A report file read from the directory.
    struct SavedReport {
        var name: String
        var bytes: [UInt8]
    }

    let directory: String

    /// Why ``load(_:)`` found no report.
    enum Refusal: Error {
        /// No servable file by that name.
        case notFound
        /// The file is there but could not be read, for `reason`.
        case unreadable(name: String, reason: String)

        /// A 404, or a 500 that says why (and is logged).
        func response(logger: Logger) -> ProfilingResponse {
            switch self {
            case .notFound: return Dashboard.plain(404, "not found\n")
            case .unreadable(let name, let reason):
                logger.error("request profiler: the dashboard could not read the saved report \(name): \(reason)")
                return Dashboard.plain(500, "the report \(name) could not be read: \(reason)\n")
            }
        }
    }

    /// The report named by the raw (still percent-encoded) last path component.
    func load(_ rawName: String) -> Result<SavedReport, Refusal> {
        guard let name = Self.plainFileName(rawName), let path = containedPath(of: name) else { return .failure(.notFound) }
        do {
            return .success(SavedReport(name: name, bytes: Array(try RegularFileReader.read(path, followsSymlinks: false))))
        } catch .missing, .notRegular {
            return .failure(.notFound)
        } catch {
            return .failure(.unreadable(name: name, reason: error.description))
        }
    }

    /// The real path of the plain file name `name` in the directory, symlinks resolved, when
    /// it is still directly inside the directory and still has a saved report's name; else nil.
    /// (A symlink named like a report that leads to `config.json` beside it serves nothing.)
    func containedPath(of name: String) -> String? {
        containedPaths(of: [name]).first
    }

    /// ``containedPath(of:)`` for many names, the directory resolved once (a route's listing
    /// may name a thousand reports).
    func containedPaths(of names: [String]) -> [String] {
        let base = URL(fileURLWithPath: resolvedDirectory, isDirectory: true)
        return names.compactMap { name in
            let file = base.appendingPathComponent(name).resolvingSymlinksInPath().standardizedFileURL
            let isReportInFolder = file.deletingLastPathComponent().path == base.path
                && ReportFileName.isSavedReportName(file.lastPathComponent)
            return isReportInFolder ? file.path : nil
        }
    }

    /// The directory's real path: absolute, symlinks resolved.
    var resolvedDirectory: String {
        URL(fileURLWithPath: directory, isDirectory: true).resolvingSymlinksInPath().standardizedFileURL.path
    }

    /// The report as saved, with the content type of its extension.
    func response(for report: SavedReport) -> ProfilingResponse {
        ProfilingResponse(
            status: 200,
            headers: [
                HTTPHeaderField("Content-Type", Self.contentType(forFileName: report.name)),
                HTTPHeaderField("Content-Disposition", "inline; filename=\"\(report.name)\""),
            ] + ReportIsolation.headers,
            body: report.bytes)
    }

    /// The decoded name if it is a plain file name, else nil.
    static func plainFileName(_ rawName: String) -> String? {
        guard !rawName.isEmpty, rawName.utf8.count <= 255 else { return nil }
        var raw = rawName
        let decoded = raw.withUTF8 { QueryString.decode($0) }
        guard ReportWriter.isPlainFileName(decoded), !decoded.contains("%"), !decoded.contains(".."),
            decoded.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }),
            ReportFileName.isSavedReportName(decoded)
        else { return nil }
        return decoded
    }

    /// By extension: the formats the reports are saved in.
    static func contentType(forFileName name: String) -> String {
        let lowered = name.lowercased()
        if lowered.hasSuffix(".html") { return "text/html; charset=utf-8" }
        if lowered.hasSuffix(".json") { return "application/json" }
        if lowered.hasSuffix(".txt") { return "text/plain; charset=utf-8" }
        return "application/octet-stream"
    }
}
