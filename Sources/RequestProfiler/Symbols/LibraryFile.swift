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
        // What is mapped at a data file's or a device's first address is no ELF header: such
        // a module is read from its path as before, or not at all.
        let image = LoadedImage(at: base)
        if path == name {
            let descriptor = openRegularFile(path)
            if descriptor < 0, DwarfSymbolizer.isPassing(errno) { return -1 }
            if descriptor >= 0 {
                if let image, !isTheLoadedFile(descriptor, image, base) {
                    close(descriptor)
                } else {
                    return descriptor
                }
            }
        }
        guard let image else { return -1 }
        errno = 0
        if let mapping = ProcessMapping.starting(at: base) {
            let descriptor = Glibc.open(mapping.mappedFilePath, O_RDONLY | O_CLOEXEC)
            if descriptor >= 0 || DwarfSymbolizer.isPassing(errno) { return descriptor }
        } else if DwarfSymbolizer.isPassing(errno) {
            return -1  // maps could not be read
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

    /// Whether the open file is the one mapped at `base`: the same build ID when the image
    /// has one (a rebuilt library has another), else the same inode as the mapping's. Not the
    /// device too: on overlayfs, as containers run, /proc/self/maps can give the device of the
    /// layer the file lies in where stat gives the overlay's.
    private static func isTheLoadedFile(_ descriptor: Int32, _ image: LoadedImage, _ base: UInt) -> Bool {
        if let loaded = image.buildID {
            guard let elf = elf_begin(descriptor, ELF_C_READ_MMAP, nil) else { return false }
            defer { elf_end(elf) }
            var bits: UnsafeRawPointer?
            let length = dwelf_elf_gnu_build_id(elf, &bits)
            guard length > 0, let bits else { return false }
            return UnsafeRawBufferPointer(start: bits, count: length).elementsEqual(loaded)
        }
        var status = stat()
        guard let mapping = ProcessMapping.starting(at: base), fstat(descriptor, &status) == 0 else { return true }
        return UInt64(status.st_ino) == mapping.inode
    }
}
