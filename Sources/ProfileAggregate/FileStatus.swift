import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat` says of a path (symlinks followed): which file it leads to, and whether that is
/// a folder; or why it could not say (the errno, not a guess). Package-wide: the command-line
/// tool tells its output from the reports it read the same way.
package struct FileStatus {
    /// Device and inode: one file, whatever name leads to it. File names compared as Swift
    /// Strings are equal when canonically equivalent (`café.json` composed and decomposed),
    /// yet ext4 holds them as two files; and a symlink or a second path leads to the same one.
    package struct Identity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    /// Why `stat` failed, as its errno.
    package struct Failure: Error, Hashable {
        let code: Int32

        /// `strerror`'s words (`Permission denied`, `Not a directory`); "no such file or
        /// folder" for ENOENT.
        var reason: String {
            code == ENOENT ? "no such file or folder" : String(cString: strerror(code))
        }
    }

    package let identity: Identity
    let isDirectory: Bool

    package init(_ path: String) throws(Failure) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw Failure(code: errno) }
        identity = Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Why `path` leads nowhere when it is a symbolic link whose target is missing (`lstat`
    /// finds the link, `stat` no file), naming the target; nil for anything else. `stat`'s
    /// ENOENT alone cannot tell such a link from a file deleted since its folder was listed.
    static func danglingLinkReason(_ path: String) -> String? {
        var link = stat(), target = stat()
        guard lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK,
              stat(path, &target) != 0, errno == ENOENT || errno == ENOTDIR
        else { return nil }
        let destination = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { " \($0)" } ?? ""
        return "a symbolic link to a missing file\(destination)"
    }
}
