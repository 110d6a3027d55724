import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The privilege to open one's own mappings through /proc/self/map_files (CAP_SYS_ADMIN or
/// CAP_CHECKPOINT_RESTORE, effective): a test run as root has it, a server run as an ordinary
/// user has not. Tests take it away to see what such a server gets.
enum MappedFilesPrivilege {
    private typealias CapabilityCall = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Int32

    /// Runs `body` on this thread with neither capability effective. Capabilities belong to
    /// the thread, and only the effective set is lowered (the permitted set keeps them), so
    /// they are back when `body` returns. Without them to begin with, `body` just runs.
    static func withoutIt<T>(_ body: () throws -> T) throws -> T {
        guard let get = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "capget"),
              let set = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "capset") else { return try body() }
        let capget = unsafeBitCast(get, to: CapabilityCall.self)
        let capset = unsafeBitCast(set, to: CapabilityCall.self)
        // _LINUX_CAPABILITY_VERSION_3: two words of each set, as effective, permitted,
        // inheritable for capabilities 0-31 and then for 32-63.
        var header: (version: UInt32, pid: Int32) = (0x2008_0522, 0)
        func call(_ function: CapabilityCall, _ sets: inout [UInt32]) -> Int32 {
            withUnsafeMutableBytes(of: &header) { header in sets.withUnsafeMutableBytes { function(header.baseAddress!, $0.baseAddress!) } }
        }
        var held = [UInt32](repeating: 0, count: 6)
        guard call(capget, &held) == 0 else { return try body() }
        var lowered = held
        lowered[0] &= ~(UInt32(1) << 21)  // CAP_SYS_ADMIN
        lowered[3] &= ~(UInt32(1) << (40 - 32))  // CAP_CHECKPOINT_RESTORE
        _ = call(capset, &lowered)
        defer { _ = call(capset, &held) }
        return try body()
    }

    /// Whether this thread may open the file mapped from `path` through map_files now.
    static func opensTheMapping(of path: String) -> Bool {
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8),
              let line = maps.split(separator: "\n").first(where: { $0.contains(path) }) else { return false }
        let descriptor = open("/proc/self/map_files/\(line.prefix { $0 != " " })", O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 { close(descriptor) }
        return descriptor >= 0
    }
}
