#if canImport(Glibc)
import Glibc
#endif

/// One mapping of this process as /proc/self/maps lists it: its address range and the inode
/// of the file it maps. Read when a module's file has to be checked or reached another way
/// than by its path, so at most once per module.
struct ProcessMapping {
    var range: Range<UInt>
    var inode: UInt64

    /// The mapping that starts at `start`, read from /proc/self/maps now; nil when none does
    /// (or maps could not be read).
    static func starting(at start: UInt) -> ProcessMapping? {
        let descriptor = open("/proc/self/maps", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var text: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while case let count = read(descriptor, &buffer, buffer.count), count > 0 { text += buffer[0..<count] }
        close(descriptor)
        // "start-end perms offset major:minor inode path"
        func number(_ field: ArraySlice<UInt8>, radix: Int) -> UInt? { UInt(String(decoding: field, as: UTF8.self), radix: radix) }
        for line in text.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 5)
            let bounds = fields.first?.split(separator: UInt8(ascii: "-")) ?? []
            guard bounds.count == 2, number(bounds[0], radix: 16) == start else { continue }
            guard let high = number(bounds[1], radix: 16), high > start, fields.count >= 5, let inode = number(fields[4], radix: 10) else { return nil }
            return ProcessMapping(range: start..<high, inode: UInt64(inode))
        }
        return nil
    }

    /// Its entry in /proc/self/map_files, which opens the file it maps whatever became of the
    /// file's path (deleted, another file renamed over it). The kernel lets only a process
    /// with CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE open these, even its own: a server run as
    /// root outside a container, not one run as an ordinary user.
    var mappedFilePath: String {
        "/proc/self/map_files/\(String(range.lowerBound, radix: 16))-\(String(range.upperBound, radix: 16))"
    }
}
