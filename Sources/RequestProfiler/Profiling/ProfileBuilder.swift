import ProfileModel
#if canImport(Glibc)
import Glibc
#endif

/// Turns what a session recorded (raw samples, await records) into a `Profile`.
///
/// - Weights: each sample stands for the wall time since the previous sample, so overruns
///   (missed ticks) lose no time, and for its share of the CPU time (`CPUTimeAttribution`);
///   `wall - cpu` is the waiting time.
/// - Idle samples (the task was suspended) take the async chain of the await that ended the
///   idle period (the one the thread woke for), plus an `[await]` leaf; idle time before the work started or after it ended
///   is not the work's and is left out.
/// - Frames are per function (name + image), so all addresses of a function share one frame;
///   an address holding inlined functions gives a frame for each (DWARF's inlined scopes).
struct ProfileBuilder {
    var symbolizer: any Symbolizer
    var resolvesLines: Bool

    func build(buffer: RawSampleBuffer, awaits: [AwaitRecorder.Record], intervalNanoseconds: UInt64, threadID: Int, startTime: Double, notes sessionNotes: [String] = []) -> Profile {
        var addresses = Set<UInt>()
        for sample in buffer.samples { addresses.formUnion(sample.lookupAddresses) }
        for record in awaits { addresses.formUnion(record.stack) }
        let symbols = symbolizer.symbolize(Array(addresses), resolvingLines: resolvesLines)
        // Any address of the executable finds the modules its debug info names (read only where lines
        // are: without them the debug info is not loaded at all).
        let inExecutable = resolvesLines ? symbols.first { $0.value.imagePath == Self.executablePath }?.key : nil
        let classifier = FrameClassifier(
            executablePath: Self.executablePath,
            projectModules: inExecutable.map { symbolizer.projectModules(ofImageContaining: $0) } ?? [])

        var table = FrameTable()
        let awaitFrame = table.index(forSynthetic: Frame(name: "[await]", image: "", kind: .await))
        // Each address is classified and entered into the table once; samples repeat them.
        // An address where functions were inlined stands for them all: the symbol's function,
        // then each inlined one (a release build's helper shows as the helper, called from
        // where it was inlined).
        var framesOfAddress: [UInt: [Int]] = [:]
        func stack(_ leafFirst: [UInt]) -> [Int] {
            var rootFirst: [Int] = []
            rootFirst.reserveCapacity(leafFirst.count)
            for address in leafFirst.reversed() {
                if let known = framesOfAddress[address] {
                    rootFirst.append(contentsOf: known)
                    continue
                }
                let symbol = symbols[address] ?? Symbol(name: String(format0x: address), imagePath: "?", isResolved: false)
                var frames = [table.index(for: symbol, address: address, kind: classifier.kind(of: symbol), isOwnSource: classifier.isOwnSource(symbol))]
                for function in symbol.inlinedFunctions {
                    let inlined = Symbol(name: function.name, imagePath: symbol.imagePath, file: function.file, line: function.line)
                    frames.append(table.index(for: inlined, address: address, kind: classifier.kind(of: inlined), isOwnSource: classifier.isOwnSource(inlined)))
                }
                framesOfAddress[address] = frames
                rootFirst.append(contentsOf: frames)
            }
            return rootFirst
        }

        var samples: [Sample] = []
        samples.reserveCapacity(buffer.samples.count)
        let weights = CPUTimeAttribution(
            samples: buffer.samples,
            startWall: buffer.startWallNanoseconds,
            startCPU: buffer.startCPUNanoseconds,
            stopCPU: buffer.stopCPUNanoseconds
        )
        var missed = 0
        var awaitCursor = 0
        for (index, raw) in buffer.samples.enumerated() {
            let wall = weights.wall[index]
            let cpu = weights.cpu[index]
            missed += Int(raw.overrun)
            let time = raw.wallNanoseconds &- buffer.startWallNanoseconds
            if !raw.isIdle {
                samples.append(Sample(stack: stack(raw.lookupAddresses), timeNanoseconds: time, wallNanoseconds: wall, cpuNanoseconds: cpu, state: .running))
                continue
            }
            // The await that ended this idle period is the first one the thread woke for after
            // the tick (not the first enqueued after it: between an enqueue and the wake-up the
            // thread is still idle). Before the first wake-up the work had not arrived on the
            // thread yet; after the last one it had finished: neither is the work's time.
            while awaitCursor < awaits.count, awaits[awaitCursor].resumedNanoseconds <= raw.wallNanoseconds { awaitCursor += 1 }
            guard awaitCursor > 0, awaitCursor < awaits.count else { continue }
            samples.append(Sample(stack: stack(awaits[awaitCursor].stack) + [awaitFrame], timeNanoseconds: time, wallNanoseconds: wall, cpuNanoseconds: cpu, state: .suspended))
        }

        var notes = sessionNotes
        if !buffer.unwinderAvailable {
            notes.append("libunwind is not available: callers of code without frame pointers (libc) may be missing")
        }
        if !AsyncResumeBoundary.isAvailable {
            notes.append("the Swift concurrency runtime's resume function was not found: async callers are not shown")
        }
        if buffer.truncated { notes.append("sampling stopped at the maximum duration") }
        if let stripped = Self.strippedExecutableNote(symbols: symbols, executablePath: Self.executablePath) { notes.append(stripped) }
        let metadata = ProfileMetadata(
            startTime: startTime,
            durationNanoseconds: buffer.stopWallNanoseconds &- buffer.startWallNanoseconds,
            intervalNanoseconds: intervalNanoseconds,
            cpuNanoseconds: buffer.stopCPUNanoseconds &- buffer.startCPUNanoseconds,
            missedSamples: missed,
            droppedSamples: buffer.droppedSamples,
            threadID: threadID,
            truncated: buffer.truncated,
            notes: notes
        )
        return Profile(frames: table.frames, samples: samples, metadata: metadata)
    }

    /// A note when most sampled addresses in the server's own executable have no symbol: a
    /// stripped binary (`strip`, `-Xlinker -s`, a Docker image's last step). Its functions then
    /// show as `App+0x...` and, being of unknown kind, are hidden by default: the report looks
    /// empty of the user's code with nothing saying why.
    static func strippedExecutableNote(symbols: [UInt: Symbol], executablePath: String) -> String? {
        var resolved = 0, unresolved = 0
        for symbol in symbols.values where symbol.imagePath == executablePath {
            if symbol.isResolved { resolved += 1 } else { unresolved += 1 }
        }
        guard unresolved >= 4, unresolved > resolved else { return nil }
        let image = executablePath.split(separator: "/").last.map(String.init) ?? executablePath
        // The same words for every profile, so that a merge of many keeps one note.
        return "most sampled addresses in \(image) have no symbol (a stripped binary?): its functions show as \(image)+0x... and are hidden as unknown code; profile a build that keeps its symbol table"
    }

    /// Without the " (deleted)" of an executable rebuilt since it started (the symbolizer's
    /// image paths drop it too).
    static let executablePath: String = {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let path = length > 0 ? String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        return DwarfSymbolizer.withoutDeletedMark(path)
    }()
}
