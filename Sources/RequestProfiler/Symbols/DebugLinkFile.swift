import CLibdw
#if canImport(Glibc)
import Glibc
#endif

/// Finds an image's split debug file by its `.gnu_debuglink`, on this machine only, where
/// libdw's standard search cannot be used: with DEBUGINFOD_URLS set, that search ends by
/// asking the servers (see ``DwarfSymbolizer``), so only the build-ID folder was searched, and
/// a debug file shipped beside the image (`objcopy --only-keep-debug`, as a deploy ships it)
/// was never found: every frame of it without file and line.
///
/// The places are libdw's default debug-info path (`:.debug:/usr/lib/debug`): beside the
/// image, in `.debug/` beside it, and under `/usr/lib/debug` at the image's folder. A file is
/// taken only when its build ID is the image's, as libdw checks it.
enum DebugLinkFile {
    /// A descriptor (closed on exec) for the debug file of the image at `imagePath`, named by
    /// `debugLink` (nil: the image's file name with `.debug`), whose build ID is `buildID`;
    /// its path in `path`. -1 when none is found.
    static func open(imagePath: String, debugLink: String?, buildID: [UInt8], path: inout String?) -> Int32 {
        guard !buildID.isEmpty, let slash = imagePath.lastIndex(of: "/") else { return -1 }
        let folder = String(imagePath[..<slash])
        let name = debugLink ?? String(imagePath[imagePath.index(after: slash)...]) + ".debug"
        guard !name.isEmpty, !name.contains("/") || name.hasPrefix("/") else { return -1 }
        let candidates = name.hasPrefix("/") ? [name] : [folder + "/" + name, folder + "/.debug/" + name, "/usr/lib/debug" + folder + "/" + name]
        for candidate in candidates where candidate != imagePath {
            var status = stat()
            guard stat(candidate, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            let descriptor = Glibc.open(candidate, O_RDONLY | O_CLOEXEC)
            if descriptor < 0, DwarfSymbolizer.isPassing(errno) { return -1 }  // to be searched again later
            guard descriptor >= 0 else { continue }
            if LibraryFile.buildID(of: descriptor) == buildID {
                path = candidate
                return descriptor
            }
            close(descriptor)
        }
        return -1
    }
}
