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
    /// Set when the file system ran short of files (inodes) rather than bytes.
    public var files: FileCounts? = nil

    /// How many files (inodes) can still be created, and how many the reserve keeps.
    public struct FileCounts: Equatable, Sendable {
        public var available: UInt64
        public var keptFree: UInt64
    }

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
}
