import RequestProfiler
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

// A process in which another SIGPROF handler is installed before the profiler's (as a second
// profiler or a runtime's own would be), run by ForeignSignalHandlerTests: a test process has
// long installed ours by the time any one test runs. Profiles CPU work while that other
// handler's signals arrive (kill, sigqueue and an ITIMER_PROF timer) and checks they all
// reach it, that none of the profiler's own timer signals do, and that the profile has its
// samples; then, with SIGPROF set back to its default action, that a new profile is refused
// rather than started. Prints one line of counts; exits 0 when all holds, 1 otherwise.

// Second use, for DebuginfodTests: `SignalChainCheck --symbolize-runtime` symbolizes an
// address in libc and one in the Swift concurrency runtime in a fresh process (the symbolizer
// is set up once per process; the runtime's libraries have no symbol table of their own, so
// libdw looks for their debug files) and exits.
if CommandLine.arguments.dropFirst().first == "--symbolize-runtime" {
    var allResolved = true
    for function in ["getpid", "swift_task_create"] {
        guard let pointer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), function) else { exit(2) }
        let address = UInt(bitPattern: pointer)
        let name = DwarfSymbolizer.shared.symbolize([address], resolvingLines: true)[address]?.name ?? "(none)"
        print("\(function) resolved to \(name)")
        allResolved = allResolved && name.contains(function)
    }
    exit(allResolved ? 0 : 1)
}

// Fifth use, for DebuginfodTests: `SignalChainCheck --symbolize-library PATH FUNCTION` loads
// the library and symbolizes its function with lines in a fresh process (where DEBUGINFOD_URLS
// is read as the test set it); prints the symbol; exits 0 when it has a file and a line.
if CommandLine.arguments.dropFirst().first == "--symbolize-library", CommandLine.arguments.count == 4 {
    guard let handle = dlopen(CommandLine.arguments[2], RTLD_NOW | RTLD_LOCAL),
        let pointer = dlsym(handle, CommandLine.arguments[3])
    else { print("could not load \(CommandLine.arguments[2])"); exit(2) }
    let address = UInt(bitPattern: pointer)
    let symbol = DwarfSymbolizer.shared.symbolize([address], resolvingLines: true)[address]
    print("\(CommandLine.arguments[3]) resolved to \(symbol?.name ?? "(none)") at \(symbol?.file ?? "(no file)"):\(symbol?.line ?? 0)")
    exit(symbol?.file != nil && symbol?.line != nil ? 0 : 1)
}

// Fourth use, for MappedFilePagesTests: `SignalChainCheck --release-without-lines` symbolizes
// Swift runtime addresses without lines (their debug files are opened for the symbol table
// only), then lets go of the mapped pages; prints the resident bytes before and after.
if CommandLine.arguments.dropFirst().first == "--release-without-lines" {
    var addresses: [UInt] = []
    for function in ["swift_task_create", "swift_retain", "getpid"] {
        if let pointer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), function) { addresses.append(UInt(bitPattern: pointer)) }
    }
    _ = DwarfSymbolizer.shared.symbolize(addresses, resolvingLines: false)
    func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        return (Int(text.split(separator: " ")[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
    let before = residentBytes()
    _ = DwarfSymbolizer.shared.releaseMappedFilePages()
    let after = residentBytes()
    print("resident before \(before) after \(after)")
    exit(0)
}

// Third use, for ReplacedExecutableTests: `SignalChainCheck --symbolize-after-replacing-itself
// early|late|renamed`, run from a copy, puts another file where its executable was (as `swift
// build` or a deploy does under a running server) and symbolizes a function of its own; `early`
// sets the symbolizer up before the replacement, `late` after it, `renamed` before a replacement
// that keeps the old file under another name. Exits 0 when the function is named.
@_cdecl("rp_replaced_executable_marker") @inline(never) func replacedExecutableMarker() {}

if CommandLine.arguments.dropFirst().first == "--symbolize-after-replacing-itself" {
    let mode = CommandLine.arguments.dropFirst(2).first ?? ""
    let early = mode == "early" || mode == "renamed"
    if early, let getpidAddress = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "getpid") {
        _ = DwarfSymbolizer.shared.symbolize([UInt(bitPattern: getpidAddress)])
    }
    var path = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &path, path.count - 1)
    // `renamed` moves the running file aside (`install -b`, `mv app app.old`) instead of
    // deleting it: /proc/self/exe then names the new path, the symbolizer's module the old one.
    let movedAside = String(cString: path) + ".old"
    guard length > 0, mode == "renamed" ? rename(path, movedAside) == 0 : unlink(path) == 0 else {
        print("could not move the executable away"); exit(2)
    }
    let replacement = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o755)
    guard replacement >= 0 else { print("could not write a replacement"); exit(2) }
    let junk = [UInt8](repeating: 0x7F, count: 4096)
    _ = junk.withUnsafeBytes { write(replacement, $0.baseAddress, $0.count) }
    close(replacement)
    let marker: @convention(c) () -> Void = replacedExecutableMarker
    let address = unsafeBitCast(marker, to: UInt.self)
    let name = DwarfSymbolizer.shared.symbolize([address], resolvingLines: true)[address]?.name ?? "(none)"
    print("the marker resolved to \(name)")
    exit(name.contains("rp_replaced_executable_marker") ? 0 : 1)
}

let userSignals = Atomic<Int>(0)      // kill / sigqueue (SI_USER, SI_QUEUE)
let timerSignals = Atomic<Int>(0)     // setitimer(ITIMER_PROF) (SI_KERNEL)
let strangerSignals = Atomic<Int>(0)  // POSIX timers (SI_TIMER): the profiler's own, must not arrive

var foreign = sigaction()
foreign.__sigaction_handler.sa_sigaction = { _, info, _ in
    switch Int(info?.pointee.si_code ?? 0) {
    case Int(SI_USER), Int(SI_QUEUE): userSignals.add(1, ordering: .relaxed)
    case Int(SI_TIMER): strangerSignals.add(1, ordering: .relaxed)
    default: timerSignals.add(1, ordering: .relaxed)
    }
}
foreign.sa_flags = SA_SIGINFO | SA_RESTART
sigemptyset(&foreign.sa_mask)
guard sigaction(SIGPROF, &foreign, nil) == 0 else { fatalError("sigaction: \(errno)") }

@inline(never) func spin(milliseconds: Int) -> UInt64 {
    var total: UInt64 = 0
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    let end = Int(now.tv_sec) * 1000 + now.tv_nsec / 1_000_000 + milliseconds
    repeat {
        for value in 0..<10_000 { total &+= UInt64(value) &* 2654435761 }
        clock_gettime(CLOCK_MONOTONIC, &now)
    } while Int(now.tv_sec) * 1000 + now.tv_nsec / 1_000_000 < end
    return total
}

let sent = 50
let samples = try await Task.detached {
    let profiler = Profiler(configuration: .init(interval: .milliseconds(1)))
    // The other profiler's process-wide CPU timer: 5 ms.
    var timer = itimerval(it_interval: timeval(tv_sec: 0, tv_usec: 5_000), it_value: timeval(tv_sec: 0, tv_usec: 5_000))
    setitimer(__itimer_which_t(ITIMER_PROF.rawValue), &timer, nil)
    let (_, profile) = try await profiler.profile {
        var sum: UInt64 = 0
        for index in 0..<sent {
            if index % 2 == 0 { kill(getpid(), SIGPROF) } else { sigqueue(getpid(), SIGPROF, sigval(sival_int: Int32(index))) }
            sum &+= spin(milliseconds: 6)
        }
        return sum
    }
    timer = itimerval()
    setitimer(__itimer_which_t(ITIMER_PROF.rawValue), &timer, nil)
    return profile.sampleCount
}.value

// Signals are delivered asynchronously; give the last ones a moment.
for _ in 0..<100 where userSignals.load(ordering: .relaxed) < sent { usleep(10_000) }
let user = userSignals.load(ordering: .relaxed), timer = timerSignals.load(ordering: .relaxed)
let stranger = strangerSignals.load(ordering: .relaxed)
var current = sigaction()
sigaction(SIGPROF, nil, &current)
let oursInstalledAfter = current.__sigaction_handler.sa_sigaction.map { unsafeBitCast($0, to: UInt.self) }
    != foreign.__sigaction_handler.sa_sigaction.map { unsafeBitCast($0, to: UInt.self) }

// Then the other library puts the default action back (as a profiler that stops does). A
// session started now must refuse: its timer's first signal would terminate the process.
signal(SIGPROF, SIG_DFL)
let refusal: String = await Task.detached {
    do {
        _ = try await Profiler(configuration: .init(interval: .milliseconds(1))).profile { spin(milliseconds: 20) }
        return "none"
    } catch {
        return "\(error)"
    }
}.value
let refused = refusal.contains("another SIGPROF handler")
print("profile samples=\(samples) forwarded kill/sigqueue=\(user) of \(sent) itimer=\(timer) profiler-timer-leaks=\(stranger) profiler-installed-after=\(oursInstalledAfter) after-SIG_DFL=\(refusal)")
exit(samples >= 100 && user == sent && timer > 0 && stranger == 0 && oursInstalledAfter && refused ? 0 : 1)
