/// A report refused because writing it would leave its folder's file system with less free
/// space than ``DiskReserve`` keeps (`PROFILING_OUTPUT_KEEP_FREE`).
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

    public var description: String {
        "only \(ByteCountText.text(availableBytes)) free on the file system of \(directory), which keeps "
            + "\(reserve) (\(ByteCountText.text(keptFreeBytes))) free; the report (\(ByteCountText.text(reportBytes))) "
            + "was not written (PROFILING_OUTPUT_KEEP_FREE sets the reserve, 0 turns it off)"
    }
}
