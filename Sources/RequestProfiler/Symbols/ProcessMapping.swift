#if canImport(Glibc)
import Glibc
#endif

/// One mapping of this process as /proc/self/maps lists it: its address range and the device
/// and inode of the file it maps. Read when a module's file has to be checked or reached
/// another way than by its path, so at most once per module, and when the modules are
/// reported, to tell a library reloaded in place from the one that was there.
struct ProcessMapping {
    var range: Range<UInt>
    /// The device as maps gives it (`major:minor`, hex), as one number: major in the high half.
    var device: UInt64
    var inode: UInt64

    /// The mapping that starts at `start`, read from /proc/self/maps now; nil when none does
    /// (or maps could not be read).
    static func starting(at start: UInt) -> ProcessMapping? {
        all().first { $0.range.lowerBound == start }
    }

    /// Every mapping, read from /proc/self/maps now; none when it could not be read (errno
    /// says why).
    static func all() -> [ProcessMapping] {
        let descriptor = open("/proc/self/maps", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [] }
        var text: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while case let count = read(descriptor, &buffer, buffer.count), count > 0 { text += buffer[0..<count] }
        close(descriptor)
        // "start-end perms offset major:minor inode path"
        func number(_ field: ArraySlice<UInt8>, radix: Int) -> UInt? { UInt(String(decoding: field, as: UTF8.self), radix: radix) }
        return text.split(separator: UInt8(ascii: "\n")).compactMap { line in
            let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 5)
            let bounds = fields.first?.split(separator: UInt8(ascii: "-")) ?? []
            let device = fields.count >= 5 ? fields[3].split(separator: UInt8(ascii: ":")) : []
            guard bounds.count == 2, let low = number(bounds[0], radix: 16), let high = number(bounds[1], radix: 16), high > low,
                device.count == 2, let major = number(device[0], radix: 16), let minor = number(device[1], radix: 16),
                let inode = number(fields[4], radix: 10)
            else { return nil }
            return ProcessMapping(range: low..<high, device: UInt64(major) << 32 | UInt64(minor), inode: UInt64(inode))
        }
    }

    /// Whether it maps the same file as `other`: the same device and inode.
    func mapsTheSameFile(as other: ProcessMapping) -> Bool { device == other.device && inode == other.inode }

    /// Its entry in /proc/self/map_files, which opens the file it maps whatever became of the
    /// file's path (deleted, another file renamed over it). The kernel lets only a process
    /// with CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE open these, even its own: a server run as
    /// root outside a container, not one run as an ordinary user.
    var mappedFilePath: String {
        "/proc/self/map_files/\(String(range.lowerBound, radix: 16))-\(String(range.upperBound, radix: 16))"
    }
}
