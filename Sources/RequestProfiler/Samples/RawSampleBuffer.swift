import CSampler

/// Everything one sampler session recorded, copied out of the C buffers, with each stack
/// completed by libunwind where the frame-pointer walk missed frames.
struct RawSampleBuffer: Sendable {
    var samples: [RawSample]
    var startWallNanoseconds: UInt64
    var startCPUNanoseconds: UInt64
    var stopWallNanoseconds: UInt64
    var stopCPUNanoseconds: UInt64
    var droppedSamples: Int
    var truncated: Bool
    /// Nanoseconds the handler spent on each recorded sample.
    var captureCosts: [UInt32]
    /// Samples whose stack libunwind extended or corrected.
    var unwoundSamples: Int
    var unwinderAvailable: Bool
    /// Bytes of stack the handler copied, over all samples.
    var snapshotBytes: Int

    /// No samples: what a discarded session leaves.
    init() {
        samples = []
        startWallNanoseconds = 0
        startCPUNanoseconds = 0
        stopWallNanoseconds = 0
        stopCPUNanoseconds = 0
        droppedSamples = 0
        truncated = false
        captureCosts = []
        unwoundSamples = 0
        unwinderAvailable = false
        snapshotBytes = 0
    }

    init(session: OpaquePointer) {
        let count = Int(rp_session_sample_count(session))
        let records = rp_session_samples(session)!
        let frames = rp_session_frames(session)!
        let snapshots = rp_session_snapshots(session)
        let costs = rp_session_capture_costs(session)!
        let unwinderAvailable = snapshots != nil && rp_unwinder_available() != 0
        var samples: [RawSample] = []
        samples.reserveCapacity(count)
        var unwound = 0
        var snapshotBytes = 0
        var scratch = [UInt](repeating: 0, count: Int(RP_MAX_FRAMES))
        for index in 0..<count {
            var record = records[index]
            snapshotBytes += Int(record.snapshot_size)
            let isIdle = record.flags & UInt32(RP_SAMPLE_IDLE) != 0
            var addresses: [UInt] = []
            if !isIdle {
                let base = frames + Int(record.frame_offset)
                let nativeCount = Int(record.native_count)
                let asyncFrames = UnsafeBufferPointer(start: base + nativeCount, count: Int(record.async_count))
                var native = Array(UnsafeBufferPointer(start: base, count: nativeCount))
                var keepAsync = true
                if unwinderAvailable, record.flags & UInt32(RP_SAMPLE_SNAPSHOT) != 0, let snapshots {
                    var joined: Int32 = 0
                    let written = scratch.withUnsafeMutableBufferPointer { out in
                        rp_unwind_snapshot(&record, base, snapshots + Int(record.snapshot_offset), out.baseAddress, Int32(out.count), &joined)
                    }
                    if written > 0 {
                        let completed = Array(scratch[0..<Int(written)])
                        if completed != native { unwound += 1 }
                        native = completed
                        keepAsync = joined != 0
                    }
                }
                addresses.reserveCapacity(native.count + asyncFrames.count)
                for (position, address) in native.enumerated() {
                    addresses.append(position == 0 ? address : address &- 1)
                }
                if keepAsync { addresses.append(contentsOf: asyncFrames) }
            }
            let hasCPU = record.flags & UInt32(RP_SAMPLE_CPU) != 0
            samples.append(RawSample(
                wallNanoseconds: record.wall_ns,
                cpuNanoseconds: hasCPU ? record.cpu_ns : nil,
                inSyscall: record.flags & UInt32(RP_SAMPLE_SYSCALL) != 0,
                isIdle: isIdle,
                overrun: record.overrun,
                lookupAddresses: addresses
            ))
        }
        self.samples = samples
        self.startWallNanoseconds = rp_session_start_wall_ns(session)
        self.startCPUNanoseconds = rp_session_start_cpu_ns(session)
        self.stopWallNanoseconds = rp_session_stop_wall_ns(session)
        self.stopCPUNanoseconds = rp_session_stop_cpu_ns(session)
        self.droppedSamples = Int(rp_session_dropped(session))
        self.truncated = rp_session_truncated(session) != 0
        self.captureCosts = Array(UnsafeBufferPointer(start: costs, count: count))
        self.unwoundSamples = unwound
        self.unwinderAvailable = unwinderAvailable
        self.snapshotBytes = snapshotBytes
    }
}
