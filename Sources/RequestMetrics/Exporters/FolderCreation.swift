#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes a folder and its missing parents, as `mkdir -p` does, failing with the errno of the
/// step that failed: Foundation's `createDirectory` throws an error whose text names no cause
/// a log reader can act on (a parent that is a file, a read-only mount, a missing permission).
enum FolderCreation {
    static func make(_ path: String) throws(ExporterIOError) {
        // An empty path names no folder (a setting read as ""): taken for one, the lock and the
        // active file went into `/`.
        guard !path.isEmpty else { throw ExporterIOError(operation: "create the folder (the path is empty)", path: path, code: ENOENT) }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o777) != 0 {
                let code = errno
                // EEXIST also for a file in the way: the next step (or the open) says ENOTDIR.
                guard code == EEXIST else { throw ExporterIOError(operation: "create the folder", path: prefix, code: code) }
            }
            prefix += "/"
        }
    }
}
