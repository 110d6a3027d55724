/// How much free space a saved report must leave on the file system of the reports folder
/// (`PROFILING_OUTPUT_KEEP_FREE`).
///
/// Reports saved with `profile_save=1` are never deleted by the profiler (they are what a user
/// asked for), so without a floor a stream of them, or one client hammering a server that has
/// no `PROFILING_TOKEN`, could fill the disk the server's database and logs live on. A report
/// that would cross the floor is refused instead: the request is served as usual, with an
/// `X-Profile-Skipped` header and a logged error. The default follows the "flood stage" of
/// disk-watching servers (Elasticsearch stops writing at 95% full), capped at 1 GB so that a
/// large disk still takes reports until it is truly nearly full.
public struct DiskReserve: Sendable, Equatable, CustomStringConvertible {
    /// A share of the file system's size, from 0 to 1: a value set outside it is taken as the
    /// nearest end, NaN as 0 (unchecked, a negative or NaN share trapped on every save).
    public var fraction: Double? {
        get { share }
        set { share = newValue.map { $0.isNaN ? 0 : min(max($0, 0), 1) } }
    }
    private var share: Double?
    /// A number of bytes.
    public var bytes: UInt64?

    /// When both are set, the smaller one is kept free.
    public init(fraction: Double? = nil, bytes: UInt64? = nil) {
        self.bytes = bytes
        self.fraction = fraction
    }

    /// 5% of the file system, at most 1 GB.
    public static let standard = DiskReserve(fraction: 0.05, bytes: 1_000_000_000)
    /// No floor: reports are written until the disk is full (the write then fails, logged).
    public static let none = DiskReserve()

    /// The bytes to keep free on a file system of `size` bytes.
    public func bytesToKeepFree(onFileSystemOf size: UInt64) -> UInt64 {
        let share = fraction.map { UInt64(min((Double(size) * $0).rounded(.up), Double(UInt64.max / 2))) }
        switch (share, bytes) {
        case (let share?, let bytes?): return min(share, bytes)
        case (let share?, nil): return share
        case (nil, let bytes?): return bytes
        case (nil, nil): return 0
        }
    }

    public var description: String {
        let percent = fraction.map { "\(Self.percentText($0))% of the file system" }
        let size = bytes.map { ByteCountText.text($0) }
        switch (percent, size) {
        case (let percent?, let size?): return "\(percent), at most \(size)"
        case (let percent?, nil): return percent
        case (nil, let size?): return size
        case (nil, nil): return "nothing"
        }
    }

    private static func percentText(_ fraction: Double) -> String {
        let percent = (fraction * 100_000).rounded() / 1_000
        return percent == percent.rounded() ? String(Int(percent)) : String(percent)
    }
}
