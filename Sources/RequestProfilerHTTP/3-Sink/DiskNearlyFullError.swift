/// A report refused because writing it would leave its folder's file system with less free
/// space, or fewer free files (inodes), than ``DiskReserve`` keeps (`PROFILING_OUTPUT_KEEP_FREE`).
public struct DiskNearlyFullError: Error, Equatable, CustomStringConvertible {
    /// The reports folder.
    public var directory: String
    /// Bytes free for unprivileged writers when the report was about to be written.
    public var availableBytes: UInt64
    /// The report's size.
    public var reportBytes: UInt64
    /// Bytes the reserve keeps free on this file system.
    public var keptFreeBytes: UInt64
    /// The reserve as configured.
    public var reserve: DiskReserve
    /// Set when the file system ran short of files (inodes) rather than bytes: how many can
    /// still be created, and how many the reserve keeps.
    public var files: (available: UInt64, keptFree: UInt64)? = nil

    public var description: String {
        if let files {
            return "only \(files.available) more files can be created on the file system of \(directory) (its inodes), "
                + "which keeps \(files.keptFree) free (\(reserve)); the report was not written "
                + "(PROFILING_OUTPUT_KEEP_FREE sets the reserve, 0 turns it off)"
        }
        return "only \(ByteCountText.text(availableBytes)) free on the file system of \(directory), which keeps "
            + "\(reserve) (\(ByteCountText.text(keptFreeBytes))) free; the report (\(ByteCountText.text(reportBytes))) "
            + "was not written (PROFILING_OUTPUT_KEEP_FREE sets the reserve, 0 turns it off)"
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.directory == rhs.directory && lhs.availableBytes == rhs.availableBytes && lhs.reportBytes == rhs.reportBytes
            && lhs.keptFreeBytes == rhs.keptFreeBytes && lhs.reserve == rhs.reserve
            && lhs.files?.available == rhs.files?.available && lhs.files?.keptFree == rhs.files?.keptFree
    }
}
