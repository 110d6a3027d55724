import Foundation
import Synchronization
import Testing

@testable import RequestMetrics

@Suite struct JSONLExporterTests {
    private func event(_ id: Int) -> MetricsEvent {
        // Routes of varying length and content so batches differ in size and need escaping.
        .request(
            RequestEvent(
                timestampNanoseconds: UInt64(id), traceID: TraceID.random(), spanID: SpanID(2), method: "GET",
                route: "/r/\(String(repeating: "x\"\n", count: id % 7))", status: 200, durationNanoseconds: 1))
    }

    /// `close()` frees the folder's lock, but a child process that another test (running in
    /// parallel) is spawning shares the lock's open file until its exec closes it (the lock is
    /// opened O_CLOEXEC): for that moment the folder still reads as held. The take-over after a
    /// close is tried again for up to a second.
    private func afterHandover(_ body: () throws -> Void) throws {
        for _ in 0..<100 {
            do { return try body() } catch let error as ExporterIOError where error.code == EWOULDBLOCK {
                usleep(10_000)
            }
        }
        try body()
    }

    private func rotatedFiles(_ directory: TemporaryDirectory) throws -> [String] {
        try directory.files().filter { $0.hasPrefix("events-") && $0.hasSuffix(".jsonl") && !$0.contains("active") }
    }

    /// Every line of every file parsed, and the ids (ts_ns) they carry.
    private func idsInFiles(_ directory: TemporaryDirectory) throws -> [Int] {
        var ids: [Int] = []
        for file in try directory.files() {
            let text = try directory.contents(of: file)
            #expect(text.isEmpty || text.hasSuffix("\n"), "\(file) ends inside a line")
            for object in try JSONLineParsing.objects(ofLines: text) {
                ids.append(try #require(object["ts_ns"] as? Int))
            }
        }
        return ids
    }

    @Test func concurrentWritersWhileRotatingBySizeAndAgeLoseAndTearNoLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock()
        // Every file kept (no retention): this is about lines, and it makes more than 100 files.
        let exporter = JSONLExporter(
            directory: directory.path, rotateBytes: 4_096, rotateSeconds: 60, keepFiles: 0, clock: { clock.now })
        let writers = 4, batchesPerWriter = 150, batchSize = 5
        DispatchQueue.concurrentPerform(iterations: writers + 1) { worker in
            if worker == writers {
                // The age side: time jumps past the rotation age while writers keep exporting.
                for _ in 0..<40 {
                    clock.advance(by: .seconds(61))
                    try? exporter.flush()
                }
                return
            }
            for batch in 0..<batchesPerWriter {
                let first = (worker * batchesPerWriter + batch) * batchSize
                try? exporter.export((first..<first + batchSize).map(event))
            }
        }
        exporter.close()

        let files = try directory.files()
        #expect(try rotatedFiles(directory) == files)  // the active file was finished by close
        #expect(files.count > 10)
        for file in files {
            let size = try FileManager.default.attributesOfItem(atPath: directory.path + "/" + file)[.size] as? Int ?? 0
            #expect(size <= 4_096, "\(file) has \(size) bytes")
        }
        #expect(try idsInFiles(directory).sorted() == Array(0..<writers * batchesPerWriter * batchSize))
    }

    @Test func rotatesByAgeOnlyOnceTheFirstLineIsOldEnough() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock()
        let exporter = JSONLExporter(directory: directory.path, rotateSeconds: 3600, clock: { clock.now })
        clock.advance(by: .seconds(7200))
        try exporter.flush()
        #expect(try rotatedFiles(directory).isEmpty)  // an empty file is never rotated
        try exporter.export([event(1)])
        clock.advance(by: .seconds(3599))
        try exporter.flush()
        #expect(try rotatedFiles(directory).isEmpty)
        clock.advance(by: .seconds(1))
        try exporter.flush()
        let rotated = try rotatedFiles(directory)
        #expect(rotated.count == 1)
        #expect(rotated.first?.hasPrefix("events-2027") == true)  // named by rotation time, UTC
        try exporter.export([event(2)])
        exporter.close()
        #expect(try idsInFiles(directory).sorted() == [1, 2])
        #expect(try rotatedFiles(directory).count == 2)
    }

    /// A wall clock stepped back past the file's first line leaves the file's age unknown: it is
    /// rotated then, not kept open until the clock has caught up (an hour, for a one-hour step).
    @Test func aClockSteppedBackRotatesInsteadOfWaitingToCatchUp() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = SteppingClock()
        let exporter = JSONLExporter(directory: directory.path, rotateSeconds: 3600, clock: { clock.now })
        try exporter.export([event(1)])
        clock.step(by: -3_600_000_000_000)
        try exporter.flush()
        #expect(try rotatedFiles(directory).count == 1)
        try exporter.export([event(2)])
        exporter.close()
        #expect(try idsInFiles(directory).sorted() == [1, 2])
    }

    /// Retention deletes the oldest files by name: a file rotated after the clock was stepped
    /// back, named by the clock alone, sorted first and was deleted at once with its lines.
    @Test func aFileRotatedAfterTheClockWentBackIsKeptAsTheNewest() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let line = event(0).jsonLine.utf8.count
        let clock = SteppingClock()
        let exporter = JSONLExporter(directory: directory.path, rotateBytes: line, keepFiles: 2, clock: { clock.now })
        for id in 1...3 { try exporter.export([event(0).withID(id)]) }
        clock.step(by: -3_600_000_000_000)
        for id in 4...5 { try exporter.export([event(0).withID(id)]) }
        exporter.close()
        #expect(try idsInFiles(directory).sorted() == [4, 5], "the newest lines are the ones kept")
        // Names still sort in the order the files were written.
        let names = try rotatedFiles(directory).compactMap { RotatedFileName($0, prefix: "events") }.sorted()
        #expect(try names.map { try JSONLineParsing.objects(ofLines: directory.contents(of: $0.name)).first?["ts_ns"] as? Int } == [4, 5])
    }

    /// A new process's files come after the last one's, even within the same second (its
    /// sequence starts again at 1).
    @Test func aNewExporterNamesItsFilesAfterTheFolderNewest() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let line = event(0).jsonLine.utf8.count
        let clock = ManualClock()
        let first = JSONLExporter(directory: directory.path, rotateBytes: line, keepFiles: 3, clock: { clock.now })
        for id in 1...12 { try first.export([event(0).withID(id)]) }
        first.close()
        let second = JSONLExporter(directory: directory.path, rotateBytes: line, keepFiles: 3, clock: { clock.now })
        for id in 13...14 { try second.export([event(0).withID(id)]) }
        second.close()
        #expect(try idsInFiles(directory).sorted() == [12, 13, 14])
    }

    /// A garbled name with the largest sequence made the count on from it overflow and trap;
    /// such a file is no rotated file of ours (nine digits at most) and is left alone.
    @Test func aGarbledRotatedNameNeitherTrapsNorIsDeleted() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let garbled = "events-99991231T235959Z-9223372036854775807.jsonl"
        try Data(#"{"ts_ns":0}"#.utf8 + [0x0A]).write(to: URL(fileURLWithPath: directory.path + "/" + garbled))
        let line = event(0).jsonLine.utf8.count
        let exporter = JSONLExporter(directory: directory.path, rotateBytes: line, keepFiles: 2, clock: { 0 })
        for id in 1...4 { try exporter.export([event(0).withID(id)]) }
        exporter.close()
        #expect(try directory.files().contains(garbled))
        #expect(try idsInFiles(directory).sorted() == [0, 3, 4])
    }

    /// An age limit whose nanoseconds do not fit in 64 bits once crashed the collector thread;
    /// it must mean "never by age".
    @Test func anAgeLimitOfCenturiesNeverRotatesAndNeverOverflows() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock()
        let exporter = JSONLExporter(directory: directory.path, rotateSeconds: .max, clock: { clock.now })
        try exporter.export([event(1)])
        clock.advance(by: .seconds(100 * 365 * 24 * 3600))
        try exporter.export([event(2)])
        try exporter.flush()
        #expect(try rotatedFiles(directory).isEmpty)
        exporter.close()
        #expect(try idsInFiles(directory).sorted() == [1, 2])
    }

    @Test func rotatesBySizeBeforeALineWouldCrossTheLimit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let line = event(0).jsonLine.utf8.count
        let exporter = JSONLExporter(directory: directory.path, rotateBytes: line * 3, clock: { 0 })
        for id in 0..<7 { try exporter.export([event(0).withID(id)]) }
        exporter.close()
        let sizes = try directory.files().map { try directory.contents(of: $0).utf8.count }
        #expect(sizes == [line * 3, line * 3, line])
        #expect(try idsInFiles(directory).sorted() == Array(0..<7))
    }

    @Test func leftoverActiveFileFromAnEarlierRunIsRotatedFirst() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = JSONLExporter(directory: directory.path, clock: { 0 })
        try first.export([event(1)])
        // As if the process died before closing: its lines stay under the active name (the lock
        // dies with the process; close() here only frees it). A new exporter must not append to them.
        first.close()
        let leftover = try #require(try rotatedFiles(directory).first)
        #expect(rename(directory.path + "/" + leftover, first.activePath) == 0)
        #expect(try rotatedFiles(directory).isEmpty)
        let second = JSONLExporter(directory: directory.path, clock: { 0 })
        try afterHandover { try second.export([event(2)]) }
        #expect(try rotatedFiles(directory).count == 1)
        #expect(try directory.contents(of: "events-active.jsonl").split(separator: "\n").count == 1)
        second.close()
        #expect(try rotatedFiles(directory).count == 2)
        #expect(try idsInFiles(directory).sorted() == [1, 2])
        #expect(throws: ExporterIOError.self) { try second.export([event(3)]) }
    }

    /// Retention: the newest `keepFiles` rotated files stay (sorted by time, then sequence:
    /// `-10` is newer than `-9`), earlier runs' count too, and no other file is touched.
    @Test func keepsTheNewestRotatedFilesAndTouchesNothingElse() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bystanders = [
            "notes.txt", "events-20200101T000000Z-1.jsonl.gz", "events-2020-1.jsonl", "other-20200101T000000Z-1.jsonl",
            "events-20200101T000000Z-x.jsonl",
        ]
        for name in bystanders + ["events-20200101T000000Z-1.jsonl"] {
            try Data("{}\n".utf8).write(to: URL(fileURLWithPath: directory.path + "/" + name))
        }
        let line = event(0).jsonLine.utf8.count
        let clock = ManualClock()
        let exporter = JSONLExporter(directory: directory.path, rotateBytes: line, keepFiles: 3, clock: { clock.now })
        for id in 0..<12 { try exporter.export([event(0).withID(id)]) }
        exporter.close()
        let kept = try rotatedFiles(directory).filter { !bystanders.contains($0) }
        #expect(kept.count == 3, "\(kept)")
        #expect(Set(try directory.files()) == Set(kept + bystanders), "another file was deleted or left behind")
        #expect(try kept.flatMap { try JSONLineParsing.objects(ofLines: directory.contents(of: $0)) }
            .compactMap { $0["ts_ns"] as? Int }.sorted() == [9, 10, 11], "the newest lines are the ones kept")
        #expect(kept.contains { $0.hasSuffix("-10.jsonl") } && kept.contains { $0.hasSuffix("-12.jsonl") })
    }

    @Test func keepFilesZeroKeepsEveryFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let line = event(0).jsonLine.utf8.count
        let exporter = JSONLExporter(directory: directory.path, rotateBytes: line, keepFiles: 0, clock: { 0 })
        for id in 0..<150 { try exporter.export([event(0).withID(id)]) }
        exporter.close()
        #expect(try rotatedFiles(directory).count == 150)
    }

    @Test func rotatedNamesAreParsedStrictly() {
        #expect(RotatedFileName("events-20261206T031903Z-7.jsonl", prefix: "events")?.sequence == 7)
        for name in ["events-20261206T031903Z-.jsonl", "events-20261206T0319030Z-1.jsonl", "events-20261206X031903Z-1.jsonl",
                     "events-active.jsonl", "events-20261206T031903Z-1-2.jsonl", "eventsx-20261206T031903Z-1.jsonl",
                     "events-20261206T031903Z-+5.jsonl", "events-20261206T031903Z-٣.jsonl"] {
            #expect(RotatedFileName(name, prefix: "events") == nil, "\(name)")
        }
        let nine = RotatedFileName("events-20261206T031903Z-9.jsonl", prefix: "events")!
        let ten = RotatedFileName("events-20261206T031903Z-10.jsonl", prefix: "events")!
        let later = RotatedFileName("events-20261206T031904Z-1.jsonl", prefix: "events")!
        #expect(nine < ten && ten < later)
    }

    /// A rotation whose rename fails (here: a folder made immutable, where the open file can
    /// still be written but no entry renamed) loses no line: the batch goes into the active
    /// file, whose size the exporter keeps counting (taken for an empty file, a failed write was
    /// cut back to nothing, wiping the lines before it), and the rotation is tried again at the
    /// next flush. The batch used to be thrown away although the file could take it.
    @Test(.enabled(if: ImmutableFolder.isSupported, "needs chattr +i: root on ext4"))
    func aFailedRenameLosesNoLineAndIsTriedAgainAtTheNextFlush() throws {
        let directory = try TemporaryDirectory()
        defer { ImmutableFolder.set(directory.path, false); directory.remove() }
        let line = event(0).jsonLine.utf8.count
        let exporter = JSONLExporter(directory: directory.path, rotateBytes: line * 2, clock: { 0 })
        try exporter.export([event(0).withID(1), event(0).withID(2)])
        #expect(ImmutableFolder.set(directory.path, true))
        try exporter.export([event(0).withID(3)])  // a rotation is due, its rename fails
        try exporter.export([event(0).withID(4)])
        try exporter.flush()  // tried again, fails again: nothing to report to the collector
        #expect(try rotatedFiles(directory).isEmpty)
        #expect(ImmutableFolder.set(directory.path, false))
        try exporter.flush()  // now the rotation goes through
        try exporter.export([event(0).withID(5)])
        exporter.close()
        let files = try rotatedFiles(directory)
        #expect(try files.map { try JSONLineParsing.objects(ofLines: directory.contents(of: $0)).compactMap { $0["ts_ns"] as? Int } } == [[1, 2, 3, 4], [5]])
    }

    /// While the rotation cannot rename, the active file keeps the lines up to twice its
    /// rotation size, then refuses batches: a folder that lost its write permission still lets
    /// the file grow, and without a bound it grew until the disk was full.
    @Test(.enabled(if: ImmutableFolder.isSupported, "needs chattr +i: root on ext4"))
    func keptLinesAreBoundedWhileTheRenameFails() throws {
        let directory = try TemporaryDirectory()
        defer { ImmutableFolder.set(directory.path, false); directory.remove() }
        let line = event(0).jsonLine.utf8.count
        let exporter = JSONLExporter(directory: directory.path, rotateBytes: line * 4, clock: { 0 })
        try exporter.export([event(0).withID(1)])
        #expect(ImmutableFolder.set(directory.path, true))
        var refused = 0
        for id in 2...40 {
            do { try exporter.export([event(0).withID(id)]) } catch { refused += 1 }
        }
        let active = try #require(try FileManager.default.contentsOfDirectory(atPath: directory.path).first { $0.contains("active") })
        let size = try #require(try FileManager.default.attributesOfItem(atPath: directory.path + "/" + active)[.size] as? Int)
        #expect(size <= line * 8, "the active file grew to \(size) bytes, rotation size \(line * 4)")
        #expect(refused >= 30, "batches past twice the rotation size are refused: \(refused)")
        #expect(ImmutableFolder.set(directory.path, false))
        try exporter.flush()
        try exporter.export([event(0).withID(41)])
        exporter.close()
        #expect(try idsInFiles(directory).contains(41), "taken again once the rotation goes through")
    }

    /// An empty folder path is no folder: it wrote the lock and the active file into `/`.
    @Test func anEmptyFolderPathIsAStartFailure() throws {
        let exporter = JSONLExporter(directory: "", clock: { 0 })
        #expect(exporter.startFailure != nil)
        #expect(throws: ExporterIOError.self) { try exporter.export([event(0).withID(1)]) }
        exporter.close()
        #expect(!FileManager.default.fileExists(atPath: "/events-active.jsonl"))
    }

    /// A folder that cannot be written when the exporter is made (read-only until a volume is
    /// mounted or an owner fixed) is said as its start failure, and taken by the first export
    /// after it can be written: JSONL was off for the life of the process.
    @Test(.enabled(if: ImmutableFolder.isSupported, "needs chattr +i: root on ext4"))
    func aFolderNotWritableAtStartIsTakenOnceItIs() throws {
        let directory = try TemporaryDirectory()
        defer { ImmutableFolder.set(directory.path, false); directory.remove() }
        #expect(ImmutableFolder.set(directory.path, true))
        let exporter = JSONLExporter(directory: directory.path, clock: { 0 })
        #expect(exporter.startFailure != nil)
        #expect(throws: ExporterIOError.self) { try exporter.export([event(0).withID(1)]) }
        #expect(ImmutableFolder.set(directory.path, false))
        try exporter.export([event(0).withID(2)])
        #expect(exporter.startFailure == nil)
        exporter.close()
        #expect(try idsInFiles(directory) == [2])
    }

    /// The clock is read under the exporter's lock. Read before it, a caller that waited for
    /// the lock brought a time older than the first line written meanwhile, which reads as a
    /// clock stepped back and rotated the file at once. Here the first caller's reading stalls
    /// until the second caller's export is done (at most 250 ms, which is all it waits when
    /// the reading is under the lock, since the second caller then waits for the first).
    @Test func theClockIsReadUnderTheLock() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = StallingClock()
        let exporter = JSONLExporter(directory: directory.path, clock: clock.read)
        let first = DispatchGroup()
        DispatchQueue.global().async(group: first) { try? exporter.export([event(0).withID(1)]) }
        clock.waitUntilStalled()
        try exporter.export([event(0).withID(2)])
        clock.release()
        first.wait()
        #expect(try rotatedFiles(directory).isEmpty, "rotated for a clock that seemed to go back")
        exporter.close()
        #expect(try idsInFiles(directory).sorted() == [1, 2])
    }

    /// Two exporters on one folder (an overlapping restart, two processes given the same
    /// folder): the second touches nothing until the first closes, then takes over; no line of
    /// either is renamed, cut or deleted by the other.
    @Test func aSecondExporterWaitsForTheFolderThenTakesOver() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = JSONLExporter(directory: directory.path, clock: { 0 })
        try first.export([event(0).withID(1)])
        let second = JSONLExporter(directory: directory.path, clock: { 0 })
        #expect(try rotatedFiles(directory).isEmpty, "the first's active file was not rotated away")
        #expect(throws: ExporterIOError.self) { try second.export([event(0).withID(2)]) }
        try second.flush()
        try first.export([event(0).withID(3)])
        #expect(try directory.contents(of: "events-active.jsonl").split(separator: "\n").count == 2)
        first.close()
        try afterHandover { try second.export([event(0).withID(4)]) }
        second.close()
        #expect(try idsInFiles(directory).sorted() == [1, 3, 4], "2 was refused, never written")
        #expect(try rotatedFiles(directory).count == 2)
        #expect(FileManager.default.fileExists(atPath: second.lockPath))
    }

    /// An exporter that wrote line 1, whose lock file a cleanup job then deleted.
    private func holderWithItsLockDeleted(
        in directory: TemporaryDirectory, clock: @escaping @Sendable () -> UInt64 = { 0 }
    ) throws -> JSONLExporter {
        let holder = JSONLExporter(directory: directory.path, clock: clock)
        try holder.export([event(0).withID(1)])
        #expect(unlink(holder.lockPath) == 0)
        return holder
    }

    private func lineCount(of file: String, in directory: TemporaryDirectory) throws -> Int {
        try JSONLineParsing.objects(ofLines: directory.contents(of: file)).count
    }

    /// A cleanup job deleting the hidden lock file (`find -mtime +7 -delete`) freed the folder:
    /// the next process made a new lock, took it and rotated the running exporter's active
    /// file, which went on appending to the rotated file. The holder makes it again at its
    /// next flush (every half second in the collector), so the newcomer still waits.
    @Test func aDeletedLockFileIsMadeAgainBeforeANewcomerCanTakeTheFolder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try holderWithItsLockDeleted(in: directory)
        try first.flush()
        #expect(FileManager.default.fileExists(atPath: first.lockPath))
        let second = JSONLExporter(directory: directory.path, clock: { 0 })
        #expect(try rotatedFiles(directory).isEmpty, "the newcomer rotated the holder's active file")
        #expect(throws: ExporterIOError.self) { try second.export([event(0).withID(2)]) }
        try first.export([event(0).withID(3)])
        first.close()
        try afterHandover { try second.export([event(0).withID(4)]) }
        second.close()
        #expect(try idsInFiles(directory).sorted() == [1, 3, 4])
    }

    /// When the newcomer came first (the lock deleted and a second process started before the
    /// holder's next flush), the holder lets go instead of writing into the file the newcomer
    /// rotated: a reader of rotated files must never see it grow.
    @Test func anExporterWhoseLockWasTakenOverStopsWriting() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try holderWithItsLockDeleted(in: directory)
        let second = JSONLExporter(directory: directory.path, clock: { 0 })
        let rotated = try #require(try rotatedFiles(directory).first)
        #expect(throws: ExporterIOError.self) { try first.export([event(0).withID(2)]) }
        #expect(try lineCount(of: rotated, in: directory) == 1, "the holder wrote into a rotated file")
        try second.export([event(0).withID(3)])
        first.close()
        second.close()
        #expect(try idsInFiles(directory).sorted() == [1, 3])
    }

    /// A newcomer that took the folder, rotated the holder's file and left again before the
    /// holder's next batch: the holder locks the folder again, and its lines go to a new active
    /// file, not into the one that was rotated.
    @Test func aHolderRelockingAfterANewcomerLeftWritesANewFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try holderWithItsLockDeleted(in: directory)
        let second = JSONLExporter(directory: directory.path, clock: { 0 })
        second.close()
        let rotated = try #require(try rotatedFiles(directory).first)
        try afterHandover { try first.export([event(0).withID(2)]) }
        #expect(try lineCount(of: rotated, in: directory) == 1, "the holder wrote into a rotated file")
        first.close()
        #expect(try idsInFiles(directory).sorted() == [1, 2])
    }

    /// A newcomer that took the folder, rotated the holder's file and was killed in the middle
    /// of a write leaves its active file with lines and a torn last one: the holder locks the
    /// folder again and writes there. The torn line was kept, the holder's next line appended
    /// to it, and the file's age counted from nothing (then from the holder's first line), so
    /// that an idle holder never rotated it. The torn line is now cut as on a first take, and
    /// the file's age is its first line's.
    @Test func aHolderRelockingAfterANewcomerWasKilledCutsItsTornLineAndKeepsItsAge() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock()
        let start = Int(clock.now)
        let first = try holderWithItsLockDeleted(in: directory, clock: { clock.now })
        // What the killed newcomer left: its lock file (unlocked now), the holder's file
        // rotated, and an active file of its own.
        #expect(FileManager.default.createFile(atPath: first.lockPath, contents: nil))
        #expect(rename(first.activePath, directory.path + "/" + first.rotatedFileName(at: clock.now, sequence: 1)) == 0)
        let torn = String(event(0).withID(9).jsonLine.prefix(20))
        try (event(0).withID(start).jsonLine + torn).write(toFile: first.activePath, atomically: false, encoding: .utf8)
        clock.advance(by: .seconds(1800))
        try first.flush()  // locks the folder again
        try first.export([event(0).withID(3)])
        clock.advance(by: .seconds(1799))
        try first.flush()
        #expect(try rotatedFiles(directory).count == 1, "rotated before its first line was an hour old")
        clock.advance(by: .seconds(1))
        try first.flush()
        #expect(try rotatedFiles(directory).count == 2, "an hour after its first line, the file was not rotated")
        first.close()
        #expect(try idsInFiles(directory).sorted() == [1, 3, start])
    }

    /// Rotations move the lock file's time, so a cleanup of week-old files leaves it alone.
    @Test func theLockFileIsTouchedAtEachRotation() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let exporter = JSONLExporter(directory: directory.path, rotateBytes: 1, clock: { 0 })
        defer { exporter.close() }
        var weekOld = [timeval(tv_sec: time(nil) - 8 * 86_400, tv_usec: 0), timeval(tv_sec: time(nil) - 8 * 86_400, tv_usec: 0)]
        #expect(utimes(exporter.lockPath, &weekOld) == 0)
        try exporter.export([event(1)])
        try exporter.export([event(2)])  // rotates the first line's file
        var info = stat()
        #expect(stat(exporter.lockPath, &info) == 0)
        #expect(Int(info.st_mtim.tv_sec) > time(nil) - 3600)
    }

    /// A process killed during a batch's write leaves a torn last line in its active file: the
    /// next run cuts it before rotating the file, so rotated files hold whole lines only.
    @Test func aTornLastLineLeftByAKilledRunIsCutBeforeRotation() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let whole = event(0).withID(1).jsonLine
        let torn = String(event(0).withID(2).jsonLine.prefix(20))
        try (whole + torn).write(toFile: directory.path + "/events-active.jsonl", atomically: false, encoding: .utf8)
        let exporter = JSONLExporter(directory: directory.path, clock: { 0 })
        try exporter.export([event(0).withID(3)])
        exporter.close()
        #expect(try idsInFiles(directory).sorted() == [1, 3])
        // Nothing but a torn line: the file is emptied, not left with half a line.
        try torn.write(toFile: directory.path + "/events-active.jsonl", atomically: false, encoding: .utf8)
        let next = JSONLExporter(directory: directory.path, clock: { 0 })
        next.close()
        #expect(try idsInFiles(directory).sorted() == [1, 3])
    }

    /// The folder deleted under a running exporter (a cleanup job, an operator): the lines
    /// already in the deleted file are gone with it, but writing resumes in a new folder and
    /// file, between rotations and across one, instead of failing for good.
    @Test func writingResumesAfterTheFolderIsDeleted() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let line = event(0).jsonLine.utf8.count
        let exporter = JSONLExporter(directory: directory.path, rotateBytes: line * 3, clock: { 0 })
        try exporter.export([event(0).withID(1)])
        directory.remove()
        try exporter.export([event(0).withID(2)])  // no rotation due: the deleted file is noticed
        #expect(try idsInFiles(directory) == [2])
        try exporter.export([event(0).withID(3)])
        directory.remove()
        try exporter.export([event(0).withID(4), event(0).withID(5)])  // a rotation is due
        try exporter.export([event(0).withID(6)])
        exporter.close()
        #expect(try idsInFiles(directory).sorted() == [4, 5, 6])
    }
}

extension MetricsEvent {
    fileprivate func withID(_ id: Int) -> MetricsEvent {
        guard case .request(var request) = self else { return self }
        request.timestampNanoseconds = UInt64(id)
        return .request(request)
    }
}

/// `chattr +i` on a folder: its entries can no longer be created, renamed or removed, while a
/// file already open in it can still be written. Needs root and a file system that has the
/// flag (ext4); tests that need it are skipped elsewhere.
enum ImmutableFolder {
    static let isSupported: Bool = {
        guard let probe = try? TemporaryDirectory() else { return false }
        defer { set(probe.path, false); probe.remove() }
        return set(probe.path, true) && set(probe.path, false)
    }()

    @discardableResult
    static func set(_ path: String, _ immutable: Bool) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        process.arguments = [immutable ? "+i" : "-i", path]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

/// A wall clock that can be stepped either way, as NTP may do.
private final class SteppingClock: Sendable {
    private let nanoseconds = Mutex<UInt64>(1_800_000_000_000_000_000)
    var now: UInt64 { nanoseconds.withLock { $0 } }
    func step(by delta: Int64) { nanoseconds.withLock { $0 = UInt64(Int64($0) + delta) } }
}
