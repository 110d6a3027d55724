import CLibdw
#if canImport(Glibc)
import Glibc
#endif

/// Opens the file libdwfl reads a shared library's symbols from (its find_elf step for every
/// module named by a path, but the main program's): the file the loader mapped, which is not
/// always the one at its path. `apt upgrade` renames new libraries over the old ones while
/// the server runs, and a deploy may replace or delete a library a running server loaded;
/// /proc/self/maps then names the old path with " (deleted)", which libdwfl refused (every
/// libc or libssl frame unnamed), or, for a module reported before the change, with no mark
/// at all, and the new file was read for the old one's addresses (wrong names).
///
/// The file at the path is used when it is the loaded one (its build ID, or without one its
/// inode, is the mapping's). Otherwise the mapping itself is opened through
/// /proc/self/map_files, which only a privileged process may do; failing that the image is
/// read from memory (``LoadedImage``), which has the dynamic symbol table and the build ID
/// that leads to a debug file, though not the local symbols a file's `.symtab` has.
enum LibraryFile {
    /// A descriptor (closed on exec) for the file mapped as the module `name` whose first
    /// address is `base`; -1 when there is none to open, with errno saying why. An open that
    /// fails for a reason that passes (`DwarfSymbolizer.isPassing`: no descriptor free) ends
    /// the search there, to be made again as a whole later rather than settle for less.
    static func open(moduleNamed name: String, at base: UInt) -> Int32 {
        let path = DwarfSymbolizer.withoutDeletedMark(name)
        errno = 0
        let mapping = ProcessMapping.starting(at: base)
        if mapping == nil, DwarfSymbolizer.isPassing(errno) { return -1 }  // maps could not be read
        // The file at the path, when it is the mapped one: the same inode, the common case,
        // decided without reading the image's memory.
        var image: LoadedImage?
        if path == name {
            let descriptor = openRegularFile(path)
            if descriptor < 0, DwarfSymbolizer.isPassing(errno) { return -1 }
            if descriptor >= 0 {
                if let mapping, Self.inode(of: descriptor) == mapping.inode { return descriptor }
                // What is mapped at a data file's or a device's first address is no ELF
                // header: such a module is read from its path as before.
                image = LoadedImage(at: base)
                guard let loaded = image, mapping != nil else { return descriptor }
                if let buildID = loaded.buildID, Self.buildID(of: descriptor) == buildID { return descriptor }
                close(descriptor)
            }
        }
        guard let image = image ?? LoadedImage(at: base) else { return -1 }
        errno = 0
        if let mapping {
            let descriptor = Glibc.open(mapping.mappedFilePath, O_RDONLY | O_CLOEXEC)
            if descriptor >= 0 || DwarfSymbolizer.isPassing(errno) { return descriptor }
        }
        let label = String(decoding: (path.split(separator: "/").last ?? "image").utf8.prefix(200), as: UTF8.self)
        return image.copiedIntoMemoryFile(named: label)
    }

    /// Only a regular file is opened: a mapped device might block or act on being opened.
    private static func openRegularFile(_ path: String) -> Int32 {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return -1 }
        return Glibc.open(path, O_RDONLY | O_CLOEXEC)
    }

    /// The open file's inode. Compared with the mapping's, not with its device too: on
    /// overlayfs, as containers run, /proc/self/maps can give the device of the layer the file
    /// lies in where stat gives the overlay's.
    private static func inode(of descriptor: Int32) -> UInt64? {
        var status = stat()
        return fstat(descriptor, &status) == 0 ? UInt64(status.st_ino) : nil
    }

    /// The GNU build ID of the open file; nil when it has none or cannot be read. A file with
    /// another inode but the loaded image's build ID (the same package installed again) is
    /// the loaded file's twin, as good to read; a debug file with the image's is the image's
    /// (``DebugLinkFile``).
    static func buildID(of descriptor: Int32) -> [UInt8]? {
        guard let elf = elf_begin(descriptor, ELF_C_READ_MMAP, nil) else { return nil }
        defer { elf_end(elf) }
        var bits: UnsafeRawPointer?
        let length = dwelf_elf_gnu_build_id(elf, &bits)
        guard length > 0, let bits else { return nil }
        return Array(UnsafeRawBufferPointer(start: bits, count: length))
    }
}
