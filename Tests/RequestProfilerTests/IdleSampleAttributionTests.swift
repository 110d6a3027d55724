import ProfileModel
import Testing

@testable import RequestProfiler

/// Idle samples (the task suspended) are given to the await the sampled thread woke for next.
/// The thread stays idle from an await's enqueue until it wakes to run the job (milliseconds on
/// a busy server): those samples belong to that await, not to the next one.
struct IdleSampleAttributionTests {
    /// Names each address `App.fN()`.
    private struct NamingSymbolizer: Symbolizer {
        func symbolize(_ addresses: [UInt], resolvingLines: Bool) -> [UInt: Symbol] {
            Dictionary(uniqueKeysWithValues: addresses.map { ($0, Symbol(name: "App.f\($0)()", imagePath: "/srv/App")) })
        }
    }

    private func sample(atMilliseconds time: Double, idle: Bool, stack: [UInt] = [9]) -> RawSample {
        RawSample(
            wallNanoseconds: UInt64(time * 1_000_000), cpuNanoseconds: nil, inSyscall: idle, isIdle: idle, overrun: 0,
            lookupAddresses: idle ? [] : stack)
    }

    private func record(enqueuedAt enqueued: Double, resumedAt resumed: Double?, _ address: UInt) -> AwaitRecorder.Record {
        AwaitRecorder.Record(
            wallNanoseconds: UInt64(enqueued * 1_000_000), stack: [address],
            resumedNanoseconds: resumed.map { UInt64($0 * 1_000_000) } ?? .max)
    }

    /// The names of the frames under which each idle sample landed, in time order.
    private func awaitingFrames(of samples: [RawSample], awaits: [AwaitRecorder.Record]) -> [String] {
        var buffer = RawSampleBuffer()
        buffer.samples = samples
        buffer.stopWallNanoseconds = samples.last!.wallNanoseconds
        let profile = ProfileBuilder(symbolizer: NamingSymbolizer(), resolvesLines: false)
            .build(buffer: buffer, awaits: awaits, intervalNanoseconds: 1_000_000, threadID: 1, startTime: 0)
        return profile.samples.filter { $0.state == .suspended }.map { sample in
            #expect(profile.frames[sample.stack.last!].kind == .await)
            return profile.frames[sample.stack[sample.stack.count - 2]].name
        }
    }

    @Test func idleSamplesBetweenAnEnqueueAndTheWakeUpBelongToThatAwait() {
        // The work starts (r1), awaits r2 (ended at 10 ms, the thread woke at 12), then r3.
        let awaits = [
            record(enqueuedAt: 0, resumedAt: 0.1, 1),
            record(enqueuedAt: 10, resumedAt: 12, 2),
            record(enqueuedAt: 20, resumedAt: 20.2, 3),
        ]
        let samples = [
            sample(atMilliseconds: 5, idle: false),
            sample(atMilliseconds: 9, idle: true),  // suspended in r2's await
            sample(atMilliseconds: 10.5, idle: true),  // r2's job queued, the thread not yet awake
            sample(atMilliseconds: 11.5, idle: true),
            sample(atMilliseconds: 13, idle: false),
            sample(atMilliseconds: 15, idle: true),  // suspended in r3's await
            sample(atMilliseconds: 21, idle: false),
        ]
        #expect(awaitingFrames(of: samples, awaits: awaits) == ["App.f2()", "App.f2()", "App.f2()", "App.f3()"])
    }

    /// After the last await's enqueue the thread may still be waking: that time is the
    /// request's (it was dropped as "after the work").
    @Test func theLastAwaitKeepsTheSamplesUntilTheThreadWakesForIt() {
        let awaits = [record(enqueuedAt: 0, resumedAt: 0.1, 1), record(enqueuedAt: 10, resumedAt: 13, 2)]
        let samples = [
            sample(atMilliseconds: 5, idle: true),
            sample(atMilliseconds: 11, idle: true),
            sample(atMilliseconds: 12, idle: true),
            sample(atMilliseconds: 14, idle: false),
            sample(atMilliseconds: 16, idle: true),  // after the work: not the request's
        ]
        #expect(awaitingFrames(of: samples, awaits: awaits) == ["App.f2()", "App.f2()", "App.f2()"])
    }

    /// The recorder stamps the wake-up on the await recorded last, once.
    @Test func theRecorderStampsEachAwaitWithTheWakeUpThatFollowsIt() {
        let recorder = AwaitRecorder()
        recorder.resumed(at: 5, samplesSoFar: 0)  // nothing recorded yet
        recorder.append(stack: [1], at: 10)
        recorder.resumed(at: 12, samplesSoFar: 1)
        recorder.resumed(at: 30, samplesSoFar: 2)  // a wake-up without a new job (a stop, a spurious one)
        recorder.append(stack: [2], at: 40)
        #expect(recorder.all.map(\.resumedNanoseconds) == [12, .max])
    }

    /// A session keeps at most about as many await records as it can keep samples.
    @Test func aSessionKeepsNoMoreAwaitRecordsThanSamples() {
        let recorder = AwaitRecorder(recordLimit: 1_000)
        for time in 0..<5_000 { recorder.append(stack: [1], at: UInt64(time)) }
        #expect(recorder.all.count == 1_002)
    }

    /// An await in whose idle period no sample fell serves no sample: its record is dropped at
    /// the wake-up, so many short awaits early in a request do not use up the room that later,
    /// longer ones need (their idle samples were lost). The first record stays: it marks where
    /// the work began.
    @Test func recordsWithoutASampleInTheirPeriodAreDropped() {
        let recorder = AwaitRecorder(recordLimit: 5)
        var samples: UInt32 = 0
        for index in 0..<20 {
            recorder.append(stack: [UInt(index)], at: UInt64(index * 10))
            if index % 5 == 0 && index > 0 { samples += 1 }  // a tick fell in this await's period
            recorder.resumed(at: UInt64(index * 10 + 1), samplesSoFar: samples)
        }
        #expect(recorder.all.map(\.stack) == [[0], [5], [10], [15]])
    }
}
