import Testing
import ProfileModel

/// A tiny fixture: main -> handler -> (encode -> 3 library frames) | (fib -> fib -> fib).
private func fixture() -> Profile {
    let frames = [
        Frame(name: "main", image: "App", kind: .application),                         // 0
        Frame(name: "App.handler() async throws -> ()", image: "App", kind: .application), // 1
        Frame(name: "Foundation.JSONEncoder.encode", image: "App", kind: .library),     // 2
        Frame(name: "Foundation.internal1", image: "App", kind: .library),              // 3
        Frame(name: "swift_retain", image: "libswiftCore.so", kind: .runtime),          // 4
        Frame(name: "App.fib(Swift.Int) -> Swift.Int", image: "App", kind: .application), // 5
        Frame(name: "Executor.run", image: "App", kind: .profiler),                     // 6
        Frame(name: "[await]", image: "", kind: .await),                               // 7
    ]
    let ms: UInt64 = 1_000_000
    let samples = [
        Sample(stack: [6, 0, 1, 2, 3, 4], timeNanoseconds: 1 * ms, wallNanoseconds: ms, cpuNanoseconds: ms, state: .running),
        Sample(stack: [6, 0, 1, 2, 3], timeNanoseconds: 2 * ms, wallNanoseconds: ms, cpuNanoseconds: ms, state: .running),
        Sample(stack: [6, 0, 1, 5, 5, 5], timeNanoseconds: 3 * ms, wallNanoseconds: ms, cpuNanoseconds: ms / 2, state: .running),
        Sample(stack: [0, 1, 7], timeNanoseconds: 4 * ms, wallNanoseconds: 5 * ms, cpuNanoseconds: 0, state: .suspended),
    ]
    return Profile(frames: frames, samples: samples, metadata: ProfileMetadata(durationNanoseconds: 8 * ms))
}

@Test func hidesLibraryFramesBehindTheirEntryPoint() {
    let tree = fixture().callTree()
    let main = tree.root.children[0]
    #expect(tree.frames[main.frameIndex!].name == "main")
    let handler = main.children[0]
    #expect(handler.totalWallNanoseconds == 8_000_000)
    let encode = handler.children.first { tree.frames[$0.frameIndex!].name.contains("encode") }
    #expect(encode?.hiddenFrameCount == 2)
    #expect(encode?.children.isEmpty == true)
    #expect(encode?.selfWallNanoseconds == 2_000_000)
}

@Test func profilerFramesNeverShowInTheDefaultTree() {
    let tree = fixture().callTree()
    var names: [String] = []
    tree.root.forEach { node, _ in if let i = node.frameIndex { names.append(tree.frames[i].name) } }
    #expect(!names.contains("Executor.run"))
}

@Test func showAllKeepsEveryFrame() {
    let tree = fixture().callTree(options: CallTreeOptions(showAllFrames: true, mergeRecursion: false))
    var count = 0
    tree.root.forEach { _, depth in count = max(count, depth) }
    #expect(count == 6)
}

@Test func recursionMergesIntoOneNode() {
    let tree = fixture().callTree()
    let handler = tree.root.children[0].children[0]
    let fib = handler.children.first { tree.frames[$0.frameIndex!].name.contains("fib") }
    #expect(fib?.hiddenFrameCount == 2)
    #expect(fib?.children.isEmpty == true)
    #expect(fib?.selfCPUNanoseconds == 500_000)
}

@Test func awaitTimeIsAttributedToTheAwaitingFrame() {
    let tree = fixture().callTree()
    let handler = tree.root.children[0].children[0]
    #expect(handler.totalAwaitNanoseconds == 5_000_000)
    #expect(handler.totalWaitNanoseconds == 5_500_000)
}

@Test func hideAndShowPatterns() {
    let options = CallTreeOptions(hidePatterns: ["fib"], showPatterns: ["internal1"])
    let tree = fixture().callTree(options: options)
    var names: [String] = []
    tree.root.forEach { node, _ in if let i = node.frameIndex { names.append(tree.frames[i].name) } }
    #expect(names.contains("Foundation.internal1"))
    #expect(names.contains { $0.contains("fib") })  // first frame of the hidden run stays as entry point
    let fib = tree.root.children[0].children[0].children.first { tree.frames[$0.frameIndex!].name.contains("fib") }
    #expect(fib?.hiddenFrameCount == 2)
}

@Test func pruningRemovesSmallNodes() {
    let tree = fixture().callTree().pruned(minimumFraction: 0.2)
    let handler = tree.root.children[0].children[0]
    #expect(handler.children.allSatisfy { $0.totalWallNanoseconds >= 1_600_000 })
}

@Test(arguments: [
    ("App.fetchUser(id: Swift.Int) async throws -> App.User", "App.fetchUser(id: Swift.Int)"),
    ("App.apply(f: (Swift.Int) -> Swift.Int) -> Swift.Int", "App.apply(f: (Swift.Int) -> Swift.Int)"),
    ("swift_retain", "swift_retain"),
    ("Swift.Array<Swift.Int>.sorted() -> Swift.Array<Swift.Int>", "Swift.Array<Swift.Int>.sorted()"),
    // Operators: their `<` opens no generic list.
    ("static Swift.Int.< infix(Swift.Int, Swift.Int) -> Swift.Bool", "static Swift.Int.< infix(Swift.Int, Swift.Int)"),
    ("static Swift.Int.<= infix(Swift.Int, Swift.Int) -> Swift.Bool", "static Swift.Int.<= infix(Swift.Int, Swift.Int)"),
    ("static Swift.Int.<< infix<A>(Swift.Int, A) -> Swift.Int", "static Swift.Int.<< infix<A>(Swift.Int, A)"),
    ("static Swift.Comparable...< infix(A, A) async throws -> Swift.Range<A>", "static Swift.Comparable...< infix(A, A)"),
    // `<what> in <where>`: both sides shortened, a closure's own signature dropped. Cut at the
    // closure's arrow, every closure read `closure #1 ()`, whichever function it was in.
    ("closure #1 () async throws -> App.User in App.handler() async throws -> ()", "closure #1 in App.handler()"),
    ("closure #2 (Swift.Int) -> Swift.Int in closure #1 () -> () in App.run() -> ()", "closure #2 in closure #1 in App.run()"),
    ("implicit closure #1 () throws -> Swift.Bool in App.check(x: Swift.Int) -> ()", "implicit closure #1 in App.check(x: Swift.Int)"),
    ("partial apply forwarder for closure #1 () async -> () in App.run<A>(A) -> ()", "partial apply forwarder for closure #1 in App.run<A>(A)"),
    ("specialized closure #1 (Swift.Int) -> Swift.Int in App.f() -> ()", "specialized closure #1 in App.f()"),
    ("protocol witness for App.P.f() -> () in conformance App.S : App.P in App", "protocol witness for App.P.f() in conformance App.S : App.P in App"),
    ("App.join(_: [Swift.String], in: Swift.String) -> Swift.String", "App.join(_: [Swift.String], in: Swift.String)"),
    // C++'s `operator->` is part of the name.
    ("std::unique_ptr<Foo>::operator->() const", "std::unique_ptr<Foo>::operator->() const"),
])
func shortNamesDropReturnTypesAndEffects(full: String, short: String) {
    #expect(Frame(name: full, image: "", kind: .application).shortName == short)
}

/// A saved report can name a frame anything: 200,000 nested ` in `s overflowed the stack of a
/// recursive shortening (the dashboard renders saved reports in the server's process).
@Test func aNameOfManyNestedClosuresIsShortenedWithoutRecursion() {
    let name = String(repeating: "closure #1 () -> () in ", count: 200_000) + "App.handler() async throws -> ()"
    let short = Frame(name: name, image: "", kind: .application).shortName
    #expect(short == String(repeating: "closure #1 in ", count: 200_000) + "App.handler()")
}

/// A processor prepared for one frame table decides frame by frame on another one of the same
/// length: its decisions belong to the first.
@Test func aPreparedProcessorUsedOnAnotherTableDecidesByThatTable() {
    let processor = HideFramesProcessor(options: CallTreeOptions(hidePatterns: ["^Lib\\."]))
    let app = [
        Frame(name: "App.x()", image: "App", kind: .application), Frame(name: "App.y()", image: "App", kind: .application),
        Frame(name: "App.z()", image: "App", kind: .application),
    ]
    let library = [app[0], Frame(name: "Lib.y()", image: "App", kind: .application), Frame(name: "Lib.z()", image: "App", kind: .application)]
    let stack = [StackStep(frameIndex: 0), StackStep(frameIndex: 1), StackStep(frameIndex: 2)]
    let prepared = processor.prepared(for: app)
    #expect(prepared.process(stack, frames: app).count == 3)
    // Lib.y and Lib.z are a run of hidden frames: Lib.y stays as its entry, carrying Lib.z.
    #expect(prepared.process(stack, frames: library) == [StackStep(frameIndex: 0), StackStep(frameIndex: 1, hiddenFrameCount: 1)])
}
