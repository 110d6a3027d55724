import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes events as JSON lines into a folder, rotating by size and by age.
///
/// Lines go to `<prefix>-active.jsonl` with whole-batch appends (one `write` of complete
/// lines, under the exporter's lock, to an `O_APPEND` file); a failed write is cut back to the
/// last whole line. Rotation closes the active file and renames it atomically to
/// `<prefix>-YYYYMMDDTHHMMSSZ-N.jsonl`, so a reader that only takes timestamped files never
/// sees a line being written, and no line is split between files. A rename that fails (a
/// folder made read-only, a full disk) leaves the file active: lines keep going into it while
/// it can be written, rather than being thrown away, and the rotation is tried again at each
/// flush (logged when it starts failing and when it works again). After each rotation the
/// oldest rotated files beyond ``keepFiles`` are deleted, so that metrics left on for months
/// cannot fill the disk the application needs. Safe to call from several threads.
///
/// One exporter per folder and prefix: it holds an advisory lock (`flock` on the hidden
/// `.<prefix>.lock`) while it writes there. A second one (another process, the next one of an
/// overlapping restart, a second middleware) touches nothing in the folder: its exports fail,
/// saying so, until the first one closes or its process ends, and then it takes over. Without
/// this the second renamed the first's active file at its start, and either could rename,
/// delete or cut back the other's lines.
///
/// A folder that cannot be written at start (a volume not mounted yet, a wrong owner) does not
/// end JSONL for the life of the process: the exporter reports it as ``startFailure`` (the
/// collector then lists it as disabled) and takes the folder with the first export that can.
public final class JSONLExporter: EventExporter {
    public let name = "jsonl"
    public let directory: String
    public let rotateBytes: Int
    public let rotateSeconds: Int
    public let filePrefix: String
    /// How many rotated files are kept, newest first; 0 keeps them all.
    public let keepFiles: Int
    /// `rotateSeconds` in nanoseconds, saturated: an age limit of centuries must mean "never",
    /// not an arithmetic overflow on the collector thread.
    private let rotateNanoseconds: UInt64
    private let clock: @Sendable () -> UInt64
    private let logger: Logger
    private let state: Mutex<FileState>

    private struct FileState {
        var descriptor: Int32 = -1
        var size = 0
        /// Wall clock of the first line in the active file; nil while it is empty.
        var firstLineAt: UInt64?
        var sequence = 0
        /// The newest rotated file of the folder, once listed (``renameActive(_:)``).
        var newestRotated: RotatedFileName?
        var listedRotated = false
        var closed = false
        /// The lock file's descriptor (-1 before it is opened) and whether the lock is held.
        var lockDescriptor: Int32 = -1
        var holdsFolder = false
        /// Why the folder could not be taken at start; nil once it is.
        var startFailure: ExporterIOError?
        /// A rotation is due but its rename failed: the active file takes the lines meanwhile,
        /// and the next flush tries the rotation again.
        var rotationPending = false
        /// Reused for every batch: steady-state exports allocate nothing.
        var scratch: [UInt8] = []
    }

    /// The file being written; rotated files are named by ``rotatedFileName(at:sequence:)``.
    public var activePath: String { directory + "/" + filePrefix + "-active.jsonl" }
    /// The advisory lock that makes one exporter at a time the folder's writer.
    public var lockPath: String { directory + "/." + filePrefix + ".lock" }

    /// Creates the folder if needed. A non-empty active file left by a previous run is rotated
    /// first, so this run's files never mix with it. When another exporter holds the folder,
    /// nothing in it is touched until this one takes it over (see the type's notes). When the
    /// folder cannot be made or written, ``startFailure`` says why and each export tries again
    /// (failing until it can), so that JSONL starts once the folder is fixed.
    ///
    /// - Parameters:
    ///   - keepFiles: rotated files kept (earlier runs' included, only names of this
    ///     `filePrefix`: no other file in the folder is touched); 0 keeps every file.
    ///   - logger: told when a rotation's rename fails (the lines stay in the active file) and
    ///     when it works again; failed exports are the collector's to log.
    public init(
        directory: String, rotateBytes: Int = 10_000_000, rotateSeconds: Int = 3600, filePrefix: String = "events",
        keepFiles: Int = 100, clock: @escaping @Sendable () -> UInt64 = MetricsClock.system.wallNanoseconds,
        logger: Logger = Logger(label: "request-profiler")
    ) {
        self.directory = directory
        self.keepFiles = max(0, keepFiles)
        self.rotateBytes = max(1, rotateBytes)
        self.rotateSeconds = max(1, rotateSeconds)
        let (nanoseconds, overflowed) = UInt64(self.rotateSeconds).multipliedReportingOverflow(by: 1_000_000_000)
        rotateNanoseconds = overflowed ? .max : nanoseconds
        self.filePrefix = filePrefix
        self.clock = clock
        self.logger = logger
        state = Mutex(FileState())
        state.withLock { state in
            do throws(ExporterIOError) {
                _ = try takeFolder(&state)
            } catch {
                state.startFailure = error
            }
        }
    }

    /// Why the folder could not be taken when the exporter was made, nil once it has been.
    public var startFailure: (any Error)? { state.withLock { $0.startFailure } }

    /// An exporter let go of without ``close()`` still finishes its file and frees the folder,
    /// instead of holding both until exit.
    deinit { close() }

    public func export(_ batch: [MetricsEvent]) throws {
        guard !batch.isEmpty else { return }
        try state.withLock { state throws(ExporterIOError) in
            guard !state.closed else { throw ExporterIOError(operation: "export after close", path: activePath, code: EBADF) }
            // Encoded under the lock into the reused buffer: the collector's one thread is the
            // only caller in practice, so the lock is uncontended.
            var bytes = state.scratch
            state.scratch = []
            defer {
                bytes.removeAll(keepingCapacity: true)
                state.scratch = bytes
            }
            guard try takeFolder(&state) else {
                throw ExporterIOError(
                    operation: "take the folder (another exporter writes there: give each process its own folder)",
                    path: lockPath, code: EWOULDBLOCK)
            }
            // Read under the lock: read before it, a caller that waited for the lock brought a
            // time older than the first line another caller wrote meanwhile, which reads as a
            // clock stepped back (see isOld) and rotated the file at once.
            let now = clock()
            batch.appendJSONLines(to: &bytes)
            try reopenIfNeeded(&state)
            // While a rotation's rename fails, the flushes try it again, not every batch (each
            // try lists the folder).
            if state.size > 0 && !state.rotationPending && (state.size + bytes.count > rotateBytes || isOld(state, now: now)) {
                try rotate(&state)
            }
            // Kept lines are bounded all the same: a folder that lost its write permission still
            // lets the active file grow, and retention (``keepFiles``) only runs on a rotation,
            // so past twice its size the batch is refused (the collector counts and logs it, as
            // any failed export) rather than filling the disk the application needs.
            if state.rotationPending, state.size + bytes.count > (rotateBytes > Int.max / 2 ? Int.max : rotateBytes * 2) {
                try rotate(&state)
                if state.rotationPending {
                    throw ExporterIOError(
                        operation: "rotate (the active file is twice its rotation size and cannot be renamed)",
                        path: activePath, code: EFBIG)
                }
            }
            do throws(ExporterIOError) {
                try FileDescriptorOutput.writeAll(bytes, to: state.descriptor, path: activePath)
            } catch {
                // Cut a partial write back so the file ends with a whole line.
                _ = ftruncate(state.descriptor, off_t(state.size))
                throw error
            }
            state.size += bytes.count
            if state.firstLineAt == nil { state.firstLineAt = now }
        }
    }

    /// Rotates an idle file that has grown old, so age rotation happens without new events, and
    /// tries again a rotation whose rename failed.
    public func flush() throws {
        try state.withLock { state throws(ExporterIOError) in
            let now = clock()
            guard !state.closed, state.holdsFolder else { return }
            // A deleted lock file is made again within a flush interval, before a newcomer
            // could take the folder (see takeFolder).
            guard try takeFolder(&state) else {
                throw ExporterIOError(
                    operation: "keep the folder (its lock file was deleted and another exporter took it)",
                    path: lockPath, code: EWOULDBLOCK)
            }
            guard state.size > 0, state.rotationPending || isOld(state, now: now) else { return }
            try rotate(&state)
        }
    }

    /// Finishes the active file (renamed like a rotation when it holds lines, removed when empty).
    public func close() {
        state.withLock { state in
            guard !state.closed else { return }
            state.closed = true
            // Closing the lock's descriptor releases the lock, last: the active file is
            // finished before the next exporter may take the folder.
            defer { if state.lockDescriptor >= 0 { FileDescriptorOutput.close(state.lockDescriptor) } }
            guard state.holdsFolder else { return }
            FileDescriptorOutput.close(state.descriptor)
            state.descriptor = -1
            if state.size > 0 {
                try? renameActive(&state)
            } else {
                unlink(activePath)
            }
        }
    }

    /// `<prefix>-YYYYMMDDTHHMMSSZ-N.jsonl` in UTC: names sort by rotation time.
    public func rotatedFileName(at wallNanoseconds: UInt64, sequence: Int) -> String {
        var seconds = time_t(wallNanoseconds / 1_000_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let stamp =
            "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
        return "\(filePrefix)-\(stamp)-\(sequence).jsonl"
    }

    /// A file is old once its first line is `rotateSeconds` old; also when the wall clock went
    /// back past that line (NTP stepped it): its age is then unknown, and waiting for the clock
    /// to catch up would keep one file open for as long as the step.
    private func isOld(_ state: FileState, now: UInt64) -> Bool {
        guard let first = state.firstLineAt else { return false }
        return now < first || now - first >= rotateNanoseconds
    }

    /// Renames the active file away and opens a new one. When the rename fails (a folder made
    /// read-only, ENOSPC, a quota) the file stays active and takes the lines that follow: it
    /// can often still be written, and throwing the batch away lost lines that had somewhere
    /// to go. ``flush()`` tries the rotation again.
    private func rotate(_ state: inout FileState) throws(ExporterIOError) {
        FileDescriptorOutput.close(state.descriptor)
        state.descriptor = -1
        let renamed = Result { () throws(ExporterIOError) in try renameActive(&state) }
        // An active file deleted from under us (its lines are gone with it) is no reason to
        // lose this batch too: it goes into the new file.
        if case .failure(let error) = renamed, error.code != ENOENT {
            if !state.rotationPending {
                logger.warning(
                    "metrics: a JSONL file could not be rotated; its lines stay in the active file, rotation tried again at each flush",
                    metadata: ["path": "\(activePath)", "error": "\(error)"])
            }
            state.rotationPending = true
            // Writing continues into the same file, whose size the reopen reads back: taken
            // for empty, the next batch's failed write was cut back to nothing, wiping the
            // lines before it, and rotation by size waited for a whole new file's worth.
            try reopenIfNeeded(&state)
            return
        }
        if state.rotationPending {
            logger.notice("metrics: the JSONL file is rotated again", metadata: ["path": "\(activePath)"])
        }
        state.rotationPending = false
        state.size = 0
        state.firstLineAt = nil
        try reopenIfNeeded(&state)
    }

    /// Opens the active file when it is not open: a failed open (the folder was deleted, or
    /// is not writable for a while) is retried on every export, the folder made again, so
    /// writing resumes as soon as it can instead of failing for good.
    /// An open active file that was deleted (alone or with its folder) is let go of too, so
    /// that lines stop going where no reader can find them (one `fstat` per batch).
    private func reopenIfNeeded(_ state: inout FileState) throws(ExporterIOError) {
        if state.descriptor >= 0 {
            var info = stat()
            guard fstat(state.descriptor, &info) == 0, info.st_nlink == 0 else { return }
            FileDescriptorOutput.close(state.descriptor)
            state.descriptor = -1
            state.firstLineAt = nil
            state.rotationPending = false
        }
        if access(directory, F_OK) != 0 {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        try openActive(&state)
    }

    /// Names the finished file so that it sorts after every rotated file already in the folder:
    /// retention deletes by that order, and readers read in it. Named by the clock alone, a
    /// file rotated after the wall clock was stepped back (or by a new process in the same
    /// second as the last one's `-57`) sorted first, and retention deleted it at once.
    ///
    /// The folder is listed at each rotation when retention needs it (``keepFiles`` above 0);
    /// else once, then the newest name is remembered (one writer at a time holds the folder):
    /// a folder that keeps every file grows for good, and listing it at every rotation with it.
    private func renameActive(_ state: inout FileState) throws(ExporterIOError) {
        let existing: [RotatedFileName]
        if keepFiles > 0 || !state.listedRotated {
            existing = rotatedFiles()
            state.listedRotated = true
        } else {
            existing = state.newestRotated.map { [$0] } ?? []
        }
        var target: String
        var finished: RotatedFileName?
        var bump = 0
        repeat {
            state.sequence += 1
            var name = rotatedFileName(at: clock(), sequence: state.sequence)
            if let newest = existing.last, let named = RotatedFileName(name, prefix: filePrefix), named <= newest {
                bump += 1
                let after = "\(filePrefix)-\(newest.stamp)-\(newest.sequence + bump).jsonl"
                if RotatedFileName(after, prefix: filePrefix) != nil { name = after }
            }
            target = directory + "/" + name
            finished = RotatedFileName(name, prefix: filePrefix)
        } while access(target, F_OK) == 0
        guard rename(activePath, target) == 0 else {
            throw ExporterIOError(operation: "rename to \(target)", path: activePath, code: errno)
        }
        // The lock file's time moves with each rotation, so that a cleanup of files not
        // modified for days (which would free the folder for a second writer) passes it by.
        if state.lockDescriptor >= 0 { _ = futimens(state.lockDescriptor, nil) }
        if let finished { state.newestRotated = finished }
        deleteOldestRotatedFiles(existing + (finished.map { [$0] } ?? []))
    }

    /// The folder's rotated files, oldest first (one listing).
    private func rotatedFiles() -> [RotatedFileName] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.compactMap { RotatedFileName($0, prefix: filePrefix) }.sorted()
    }

    /// Keeps the newest ``keepFiles`` rotated files; a file that cannot be deleted is tried
    /// again at the next rotation.
    private func deleteOldestRotatedFiles(_ rotated: [RotatedFileName]) {
        guard keepFiles > 0 else { return }
        for old in rotated.dropLast(keepFiles) { unlink(directory + "/" + old.name) }
    }

    /// Takes the folder's lock if no other exporter holds it; the first time, rotates the
    /// active file an earlier run left and opens this one's, making the folder if needed. False
    /// while another holds it. An unwritable folder (the lock file cannot be made) throws.
    ///
    /// A lock is only as good as its file: one deleted (a cleanup job, `find -mtime +7
    /// -delete`) no longer keeps a newcomer out, who makes a new one, locks it and rotates
    /// this exporter's active file away. So the holder checks, with each batch and each flush,
    /// that the lock file is still the one it locked (one `stat`): a missing one is made and
    /// locked again, and when a newcomer got there first, the folder is its now and this
    /// exporter stops writing there (its lines would go into a file already rotated).
    private func takeFolder(_ state: inout FileState) throws(ExporterIOError) -> Bool {
        if state.holdsFolder {
            if lockFileIsCurrent(state.lockDescriptor) { return true }
            // Gone with its folder, maybe: writing resumes in a new one (see reopenIfNeeded).
            if access(directory, F_OK) != 0 {
                try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            if let relocked = try lockCurrentFile() {
                FileDescriptorOutput.close(state.lockDescriptor)
                state.lockDescriptor = relocked
                // A newcomer may have come and gone meanwhile, rotating the active file away:
                // the lines that follow go to a new one, not into a finished file (the
                // newcomer's own, if it was killed: see openActive).
                if !descriptorIsActiveFile(state.descriptor) {
                    FileDescriptorOutput.close(state.descriptor)
                    state.descriptor = -1
                    state.firstLineAt = nil
                    state.rotationPending = false
                    try openActive(&state)
                }
                return true
            }
            FileDescriptorOutput.close(state.descriptor)
            state.descriptor = -1
            FileDescriptorOutput.close(state.lockDescriptor)
            state.lockDescriptor = -1
            state.holdsFolder = false
            state.listedRotated = false  // another writer's files may come meanwhile
            state.size = 0
            state.firstLineAt = nil
            state.rotationPending = false
            return false
        }
        // Made here, not only at start: a folder that could not be made then (a parent not
        // mounted yet, a wrong owner) is taken with the first export after it is fixed.
        if access(directory, F_OK) != 0 { try FolderCreation.make(directory) }
        if state.lockDescriptor >= 0 && !lockFileIsCurrent(state.lockDescriptor) {
            // Waiting on a lock file that was deleted or replaced: a lock won on it would
            // guard nothing.
            FileDescriptorOutput.close(state.lockDescriptor)
            state.lockDescriptor = -1
        }
        if state.lockDescriptor < 0 {
            let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw ExporterIOError(operation: "open", path: lockPath, code: errno) }
            state.lockDescriptor = descriptor
        }
        guard flock(state.lockDescriptor, LOCK_EX | LOCK_NB) == 0 else {
            if errno == EWOULDBLOCK { return false }
            throw ExporterIOError(operation: "lock", path: lockPath, code: errno)
        }
        // Deleted between its open and the lock: another exporter may hold the new one.
        guard lockFileIsCurrent(state.lockDescriptor) else {
            FileDescriptorOutput.close(state.lockDescriptor)
            state.lockDescriptor = -1
            return false
        }
        // Held from here on (flock again on the same descriptor succeeds), but the folder counts
        // as taken only once the leftover is rotated: a failed rename is tried again with the
        // next batch rather than leaving this run's lines appended to the earlier run's file.
        // A process killed in the middle of a write leaves a torn last line: cut it, so that a
        // rotated file holds whole lines only.
        LeftoverActiveFile.cutToLastWholeLine(activePath)
        var existing = stat()
        if stat(activePath, &existing) == 0, existing.st_size > 0 {
            try renameActive(&state)
        }
        try openActive(&state)
        state.holdsFolder = true
        state.startFailure = nil
        return true
    }

    /// Whether `descriptor` is still the file at ``lockPath``. Only a lock file that is gone
    /// or replaced counts as lost: a `stat` that fails otherwise (a network file system's
    /// ESTALE for a moment) says nothing, and a second lock taken on the same file would
    /// conflict with this exporter's own.
    private func lockFileIsCurrent(_ descriptor: Int32) -> Bool {
        switch Self.isFile(descriptor, at: lockPath) {
        case .same: true
        case .other: false
        case .unknown(let code): code != ENOENT
        }
    }

    /// Whether `descriptor` is the file now at ``activePath``.
    private func descriptorIsActiveFile(_ descriptor: Int32) -> Bool {
        Self.isFile(descriptor, at: activePath) == .same
    }

    private enum FileMatch: Equatable {
        case same, other
        /// `path` could not be looked at: its errno.
        case unknown(Int32)
    }

    /// Whether the open `descriptor` and the file at `path` are one file (device and inode).
    private static func isFile(_ descriptor: Int32, at path: String) -> FileMatch {
        var open = stat()
        var named = stat()
        guard descriptor >= 0, fstat(descriptor, &open) == 0 else { return .other }
        guard stat(path, &named) == 0 else { return .unknown(errno) }
        return open.st_dev == named.st_dev && open.st_ino == named.st_ino ? .same : .other
    }

    /// Opens (making it if needed) and locks the file now at ``lockPath``; nil when another
    /// exporter holds it.
    private func lockCurrentFile() throws(ExporterIOError) -> Int32? {
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ExporterIOError(operation: "open", path: lockPath, code: errno) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0, lockFileIsCurrent(descriptor) else {
            FileDescriptorOutput.close(descriptor)
            return nil
        }
        return descriptor
    }

    /// Opens the active file for appending, its size read back. A file that already holds lines
    /// this exporter did not write (no first line's time known: a newcomer took the folder
    /// meanwhile and was killed, see ``takeFolder(_:)``) is taken over as a leftover is on a
    /// first take: a torn last line is cut, so that the next line does not continue it. Its age
    /// is its first line's `ts_ns`, or its modification time when that cannot be read: counted
    /// from nothing, or from this exporter's first line, a file left idle was never rotated.
    private func openActive(_ state: inout FileState) throws(ExporterIOError) {
        let descriptor = open(activePath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ExporterIOError(operation: "open", path: activePath, code: errno) }
        var info = stat()
        state.size = fstat(descriptor, &info) == 0 ? Int(info.st_size) : 0
        state.descriptor = descriptor
        guard state.size > 0, state.firstLineAt == nil else { return }
        LeftoverActiveFile.cutToLastWholeLine(activePath)
        guard fstat(descriptor, &info) == 0 else { return }
        state.size = Int(info.st_size)
        guard state.size > 0 else { return }
        state.firstLineAt = LeftoverActiveFile.firstLineTime(activePath) ?? Self.modificationTime(info)
    }

    /// When a file was last written, in nanoseconds since 1970.
    private static func modificationTime(_ info: stat) -> UInt64 {
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return UInt64(max(0, time.tv_sec)) &* 1_000_000_000 &+ UInt64(max(0, time.tv_nsec))
    }
}
