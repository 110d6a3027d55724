import CLibdw
import CSampler
#if canImport(Glibc)
import Glibc
#endif

/// Symbolizes addresses of this process with elfutils' libdwfl: ELF symbol tables (including
/// the local symbols that name internal Swift functions, which `dladdr` cannot see), names
/// demangled with the Swift runtime's own demangler, and file:line from DWARF line tables.
///
/// One instance serves the whole process: libdwfl caches each image's symbol table and line
/// tables, and this class caches each address, so a warm lookup is a dictionary hit.
///
/// What it holds, and its bounds (a load test's resident memory and descriptors after warm-up
/// are these, then flat):
/// - per address: the symbol and the file:line, in two ``AddressCache``s of at most
///   `AddressCache.defaultLimit` entries each; the names they hold are shared per function
///   (a third cache, by symbol start) and the paths and files through a ``StringPool``, so an
///   entry costs a few words rather than three strings of its own;
/// - per image touched by a sample (bounded by the images mapped): libdwfl's module with its
///   ELF file open (one descriptor each, plus one per separate debug file it found; all closed
///   on exec; for a library deleted from disk that only map_files could open, and this
///   process may not, a copy of its loaded segments in a memory file, see ``LibraryFile``)
///   and, once a line was asked for in it, its DWARF: the unit index built here and the line
///   tables libdw parsed for the units that samples landed in. For a debug build of a large
///   server (a 167 MB Vapor binary) that DWARF is tens of MB, read as units first show up in
///   profiles; a release build's is a fraction of that.
/// - the pages of those files that lookups touched: counted in the process's resident memory
///   until ``releaseMappedFilePages()`` lets go of them (the HTTP layer does once profiling is
///   idle); the page cache keeps them for the next profile.
public final class DwarfSymbolizer: Symbolizer, @unchecked Sendable {
    public static let shared = DwarfSymbolizer()

    private let lock = Mutex()
    private let callbacks: UnsafeMutablePointer<Dwfl_Callbacks>
    private var dwfl: OpaquePointer?
    private var cache = AddressCache<Symbol>()
    private var lineCache = AddressCache<SourcePosition?>()
    /// Demangled, normalized names of inlined functions by their linkage name.
    private var inlinedNames: [String: String] = [:]
    /// Demangled, normalized names by the absolute start address of their symbol: every
    /// address inside one function shares its name (and is demangled once).
    private var namesBySymbolStart = AddressCache<String>()
    /// Image paths and source files, shared by every cache entry that names them.
    private var strings = StringPool()
    /// Per image (by module name); nil when the image has no DWARF.
    private var unitIndexes: [String: CompileUnitIndex?] = [:]
    /// Per image (by module name): see ``projectModules(ofImageContaining:)``.
    private var projectModulesByImage: [String: Set<String>?] = [:]
    /// Per image (by module name); nil when the image has no PLT.
    private var pltStubs: [String: PLTStubNames?] = [:]
    /// glibc's image load and unload counts when the modules were last reported; ~0 when
    /// this glibc does not keep them.
    private var reportedLoadCounters: (loaded: UInt64, unloaded: UInt64) = (~0, ~0)
    /// Whether the last report could not read /proc/self/maps.
    private var reportFailed = false
    /// The mapping at each reported module's first address when it was reported: its device
    /// and inode tell a library reloaded in place (see ``reportModules(checkingReloads:)``).
    private var reportedMappings: [ReportedModule: ProcessMapping] = [:]
    /// The modules (by first address) one of whose files could not be opened for a reason
    /// that passes (``isPassing(_:)``): libdwfl keeps such a failure in the module for as long
    /// as the module lives, so these are reported afresh (``modulesDueForReopening()``).
    /// Written by the find_elf and find_debuginfo callbacks, which libdwfl calls only inside
    /// the lookups this class makes under `lock`.
    private nonisolated(unsafe) static var modulesToReopen: Set<UInt> = []
    /// When modules were last reported afresh for their files to be opened again.
    private var lastReopening: ContinuousClock.Instant?
    /// How often at most: a server that stays at its descriptor limit pays one report a
    /// second, not one per profile.
    static let reopeningInterval: Duration = .seconds(1)
    private let cxaDemangle: (@convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<Int>?, UnsafeMutablePointer<Int32>?) -> UnsafeMutablePointer<CChar>?)?

    private init() {
        callbacks = .allocate(capacity: 1)
        var value = Dwfl_Callbacks()
        // The executable is opened through /proc/self/exe, which is always the file this
        // process runs. By its path, once replaced on disk (a `swift build` while the server
        // runs, a deploy that renames a new binary over it), it was either refused (a mapping
        // marked " (deleted)", or no file left at the path: every frame of the user's code
        // unknown) or, worse, the new binary was read for the old one's addresses. A library,
        // replaced as easily (`apt upgrade`), is opened by ``LibraryFile``. The file name
        // handed back is the path, so that split debug info beside it is still found. The
        // vDSO, which has no path, libdwfl reads from memory.
        value.find_elf = { module, userData, moduleName, base, fileName, elf in
            errno = 0
            guard let module, let moduleName, moduleName.pointee == CChar(UInt8(ascii: "/")) else {
                let descriptor = dwfl_linux_proc_find_elf(module, userData, moduleName, base, fileName, elf)
                return DwarfSymbolizer.handedOver(descriptor, orAnElf: elf?.pointee != nil, forModuleAt: base)
            }
            let name = String(cString: moduleName)
            var descriptor = DwarfSymbolizer.holdsTheMainProgram(module) ? open("/proc/self/exe", O_RDONLY | O_CLOEXEC) : -1
            if descriptor < 0 { descriptor = LibraryFile.open(moduleNamed: name, at: UInt(base)) }
            if descriptor >= 0, let path = strdup(DwarfSymbolizer.withoutDeletedMark(name)) {
                fileName?.pointee = path
            } else if descriptor >= 0 {
                close(descriptor)
                descriptor = -1
            }
            return DwarfSymbolizer.handedOver(descriptor, forModuleAt: base)
        }
        // Debug files on this machine only. libdw's standard lookup ends by asking the
        // debuginfod servers of DEBUGINFOD_URLS (set by Ubuntu's and Fedora's login shells)
        // for every library a sample touched: downloads of hundreds of MB, for seconds or
        // minutes, under the lock every profile waits for (DebuginfodTests counted 3 queries
        // for one libc and one Swift runtime address). When no server is configured it is
        // used as it is. Otherwise, for an image with a build ID, the build-ID folder
        // (`/usr/lib/debug/.build-id`, where distributions' debug packages install) is
        // searched, then the places the standard search looks in by `.gnu_debuglink` (split
        // debug info beside the image, as a deploy ships it), by ``DebugLinkFile``.
        value.find_debuginfo = { module, userData, name, base, fileName, debugLink, checksum, debugFileName in
            var bits: UnsafePointer<UInt8>?
            var address: GElf_Addr = 0
            let buildIDLength = dwfl_module_build_id(module, &bits, &address)
            errno = 0
            guard DwarfSymbolizer.debuginfodIsConfigured, buildIDLength > 0, let bits else {
                let descriptor = dwfl_standard_find_debuginfo(module, userData, name, base, fileName, debugLink, checksum, debugFileName)
                return DwarfSymbolizer.handedOver(descriptor, forModuleAt: base)
            }
            let descriptor = dwfl_build_id_find_debuginfo(module, userData, name, base, fileName, debugLink, checksum, debugFileName)
            guard descriptor < 0, !DwarfSymbolizer.isPassing(errno), let fileName, let debugFileName else {
                return DwarfSymbolizer.handedOver(descriptor, forModuleAt: base)
            }
            var path: String?
            let buildID = Array(UnsafeBufferPointer(start: bits, count: Int(buildIDLength)))
            errno = 0
            let linked = DebugLinkFile.open(imagePath: String(cString: fileName), debugLink: debugLink.map { String(cString: $0) }, buildID: buildID, path: &path)
            if linked >= 0, let path {
                free(debugFileName.pointee)
                debugFileName.pointee = strdup(path)
            }
            return DwarfSymbolizer.handedOver(linked, forModuleAt: base)
        }
        callbacks.initialize(to: value)
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__cxa_demangle") {
            cxaDemangle = unsafeBitCast(symbol, to: (@convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<Int>?, UnsafeMutablePointer<Int32>?) -> UnsafeMutablePointer<CChar>?).self)
        } else {
            cxaDemangle = nil
        }
        dwfl = dwfl_begin(callbacks)
        reportModules()
    }

    /// Whether `module` is the main program: told by address (its range holds the program
    /// headers the kernel mapped, AT_PHDR), not by its path, which a rename (`install -b`, `mv
    /// app app.old`) or a rebuild (" (deleted)") makes name another file or none.
    static func holdsTheMainProgram(_ module: OpaquePointer) -> Bool {
        let headers = UInt64(rp_main_program_headers())
        guard headers != 0 else { return false }
        var start: Dwarf_Addr = 0
        var end: Dwarf_Addr = 0
        _ = dwfl_module_info(module, nil, &start, &end, nil, nil, nil, nil)
        return start <= headers && headers < end
    }

    /// `descriptor`, set to close on exec. libdwfl's own lookups open files without O_CLOEXEC
    /// and the module keeps them for the life of the process (an image and its debug file
    /// each): every child process the server starts would inherit them all. Set right after
    /// the lookup, so a fork in that instant can still take one along; the descriptors this
    /// class opens itself are opened with O_CLOEXEC.
    static func closedOnExec(_ descriptor: Int32) -> Int32 {
        let flags = descriptor >= 0 ? fcntl(descriptor, F_GETFD) : -1
        if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        return descriptor
    }

    /// A descriptor as a find_elf or find_debuginfo step hands it to libdwfl: closed on exec;
    /// or, when the step failed for a reason that passes (errno, cleared before the step), its
    /// module noted in ``modulesToReopen``. `orAnElf`: the step found an image and no file
    /// (libdwfl reads the vDSO from memory).
    private static func handedOver(_ descriptor: Int32, orAnElf elf: Bool = false, forModuleAt base: Dwarf_Addr) -> Int32 {
        if descriptor < 0, !elf, isPassing(errno) { modulesToReopen.insert(UInt(base)) }
        return closedOnExec(descriptor)
    }

    /// Whether a failed open may succeed later: no descriptor free in the process (EMFILE, a
    /// busy server at its limit) or in the system, no memory, an interrupted call. A missing
    /// file, or one with nothing to read, fails the same way every time.
    static func isPassing(_ error: Int32) -> Bool { [EMFILE, ENFILE, ENOMEM, EAGAIN, EINTR].contains(error) }

    /// `path` without the " (deleted)" the kernel adds to a deleted or replaced file's name.
    static func withoutDeletedMark(_ path: String) -> String {
        path.hasSuffix(" (deleted)") ? String(path.dropLast(" (deleted)".count)) : path
    }

    private static func loadCounters() -> (loaded: UInt64, unloaded: UInt64) {
        var counters: [UInt64] = [0, 0]
        counters.withUnsafeMutableBufferPointer { rp_read_load_counters($0.baseAddress) }
        return (counters[0], counters[1])
    }

    /// Whether DEBUGINFOD_URLS names a server, which libdw's standard debug-file search asks
    /// when the local steps find nothing.
    static let debuginfodIsConfigured: Bool = {
        guard let urls = getenv("DEBUGINFOD_URLS") else { return false }
        return String(cString: urls).contains { !$0.isWhitespace }
    }()

    /// (Re)reads /proc/self/maps, e.g. after a library was loaded with dlopen. What was worked
    /// out for the modules that came or went is forgotten (``forget(_:)``); the others keep
    /// theirs, as libdwfl keeps them. Returns false when maps could not be read (no descriptor free, EMFILE): the modules are then
    /// left as they were (libdwfl drops every module a report leaves out, and every address
    /// was unnamed), and the next symbolization reports again.
    ///
    /// A library reloaded in place (a plugin's new build renamed over the old file, dlclose,
    /// dlopen) comes back under the same path at the same addresses: libdwfl keeps a module
    /// reported by the same name and range, with the old file it opened, and the old names
    /// were given for the new code. Such a module is told by the device and inode of the file
    /// mapped at its start, which changed; `checkingReloads`: it is then dropped and reported
    /// afresh, once.
    @discardableResult
    private func reportModules(checkingReloads: Bool = true) -> Bool {
        guard let dwfl else { return false }
        let counters = Self.loadCounters()  // before maps is read: a load meanwhile is seen next time
        // The files mapped, read before libdwfl reads maps: a reload between the two reads is
        // then seen next time (its file differs from the one recorded here). Read after, the
        // new file was recorded for the old module libdwfl kept, and the reload never seen.
        let mappings = Dictionary(ProcessMapping.all().map { ($0.range.lowerBound, $0) }, uniquingKeysWith: { first, _ in first })
        let earlier = ReportedModule.all(in: dwfl)
        dwfl_report_begin(dwfl)
        let failed = dwfl_linux_proc_report(dwfl, getpid()) != 0
        if failed { earlier.forEach { $0.report(to: dwfl) } }
        dwfl_report_end(dwfl, nil, nil)
        reportFailed = failed
        guard !failed else { return false }
        reportedLoadCounters = counters
        let now = ReportedModule.all(in: dwfl)
        forget(Set(earlier).symmetricDifference(now))
        let reloaded = now.filter { module in
            guard let before = reportedMappings[module], let mapping = mappings[module.range.lowerBound] else { return false }
            return !mapping.mapsTheSameFile(as: before)
        }
        // Maps unread (no descriptor free): the files recorded stay, to be compared next time.
        if !mappings.isEmpty {
            reportedMappings = Dictionary(now.compactMap { module in mappings[module.range.lowerBound].map { (module, $0) } }, uniquingKeysWith: { first, _ in first })
        }
        guard checkingReloads, !reloaded.isEmpty else { return true }
        forgetModules(startingAt: Set(reloaded.map(\.range.lowerBound)))
        return reportModules(checkingReloads: false)
    }

    /// Forgets what was worked out in `modules`, images loaded, unloaded or dropped: the
    /// addresses in their ranges, which another image may hold now (seen: a dlopen'd library's
    /// function named `libswift_Concurrency.so+0xb8e0f9`), and the tables built on their
    /// DWARF, which libdwfl freed with the module. Only these: a plugin loaded must not cost
    /// every other address a lookup again.
    private func forget(_ modules: some Collection<ReportedModule>) {
        let ranges = modules.map(\.range)
        cache.removeAll(in: ranges)
        lineCache.removeAll(in: ranges)
        namesBySymbolStart.removeAll(in: ranges)
        for module in modules {
            unitIndexes.removeValue(forKey: module.name)
            projectModulesByImage.removeValue(forKey: module.name)
            pltStubs.removeValue(forKey: module.name)
        }
    }

    /// The modules of ``modulesToReopen``, taken from it, if the last reopening was at least
    /// ``reopeningInterval`` ago; else none.
    private func modulesDueForReopening() -> Set<UInt> {
        guard !Self.modulesToReopen.isEmpty else { return [] }
        let now = ContinuousClock.now
        if let lastReopening, now - lastReopening < Self.reopeningInterval { return [] }
        lastReopening = now
        defer { Self.modulesToReopen.removeAll() }
        return Self.modulesToReopen
    }

    /// Drops the modules that start at `starts` from libdwfl, and with them what it could
    /// not load for them; the next report makes them anew.
    private func forgetModules(startingAt starts: Set<UInt>) {
        guard let dwfl, !starts.isEmpty else { return }
        let modules = ReportedModule.all(in: dwfl)
        dwfl_report_begin(dwfl)
        for module in modules where !starts.contains(module.range.lowerBound) { module.report(to: dwfl) }
        dwfl_report_end(dwfl, nil, nil)
        forget(modules.filter { starts.contains($0.range.lowerBound) })
    }

    public func symbolize(_ addresses: [UInt], resolvingLines: Bool = true) -> [UInt: Symbol] {
        lock.withLock {
            var result: [UInt: Symbol] = [:]
            result.reserveCapacity(addresses.count)
            var refreshed = false
            // Images loaded or unloaded since the modules were reported: report them again.
            // Where glibc keeps no counts, an address that no module covers is the only sign.
            // A report that failed is made again, and so is one of the modules whose files
            // could not be opened, without them first.
            let counters = Self.loadCounters()
            let reopening = modulesDueForReopening()
            if reportFailed || !reopening.isEmpty || (counters.loaded != ~0 && counters != reportedLoadCounters) {
                forgetModules(startingAt: reopening)
                reportModules()
                refreshed = true
            }
            for address in addresses where result[address] == nil {
                var symbol: Symbol
                if let cached = cache[address] {
                    symbol = cached
                } else {
                    if !refreshed, reportedLoadCounters.loaded == ~0, dwfl.flatMap({ dwfl_addrmodule($0, Dwarf_Addr(address)) }) == nil {
                        reportModules()  // an image loaded since the last report
                        refreshed = true
                    }
                    symbol = lookUp(address)
                    cache.insert(symbol, for: address)
                }
                if resolvingLines, symbol.isResolved, symbol.file == nil, let position = sourcePosition(address) {
                    symbol.file = position.file
                    symbol.line = position.line
                    symbol.inlinedFunctions = position.inlinedFunctions
                }
                result[address] = symbol
            }
            return result
        }
    }

    /// What the cache holds for `address`, without looking it up: for tests.
    func cachedSymbol(at address: UInt) -> Symbol? { lock.withLock { cache[address] } }

    /// The address range of a (possibly local) function symbol in an image whose file name
    /// starts with `imagePrefix` (`""`: any image): used to find the runtime's task-resume function.
    func functionRange(named name: String, inImageWithPrefix imagePrefix: String) -> Range<UInt>? {
        lock.withLock {
            guard let dwfl else { return nil }
            final class Search { var name = ""; var prefix = ""; var found: Range<UInt>? }
            let search = Search()
            search.name = name
            search.prefix = imagePrefix
            _ = dwfl_getmodules(dwfl, { module, _, moduleName, _, argument in
                let search = Unmanaged<Search>.fromOpaque(argument!).takeUnretainedValue()
                guard let moduleName, let module else { return Int32(DWARF_CB_OK) }
                let file = String(cString: moduleName).split(separator: "/").last.map(String.init) ?? ""
                guard file.hasPrefix(search.prefix) else { return Int32(DWARF_CB_OK) }
                let count = dwfl_module_getsymtab(module)
                guard count > 0 else { return Int32(DWARF_CB_OK) }
                for index in 0..<count {
                    var sym = GElf_Sym()
                    var address: GElf_Addr = 0
                    guard let symbolName = dwfl_module_getsym_info(module, index, &sym, &address, nil, nil, nil) else { continue }
                    // A size past the end of the address space (a corrupt symbol table, which
                    // the loader never checks) is no range, and must not trap.
                    if sym.st_size > 0, strcmp(symbolName, search.name) == 0,
                        case let (end, overflow) = address.addingReportingOverflow(sym.st_size), !overflow, end <= UInt64(UInt.max) {
                        search.found = UInt(address)..<UInt(end)
                        return Int32(DWARF_CB_ABORT)
                    }
                }
                return Int32(DWARF_CB_OK)
            }, Unmanaged.passUnretained(search).toOpaque(), 0)
            return search.found
        }
    }

    /// Drops from resident memory the pages of the image and debug files libdw has mapped
    /// (symbol tables, DWARF): a load of profiles reaches tens of MB of them, counted in the
    /// server's RSS although the page cache keeps them. Only files libdw already opened are
    /// looked at, and only pages that are still the file's own are dropped (see
    /// `rp_drop_file_pages`), so the next lookup refaults them from the page cache. Returns
    /// the bytes dropped. Call it off any request's path, when profiling is idle.
    @discardableResult
    public func releaseMappedFilePages() -> Int {
        lock.withLock {
            guard let dwfl else { return 0 }
            final class Files { var regions: Set<UInt> = []; var dropped = 0; var withDwarf: Set<String> = [] }
            let files = Files()
            files.withDwarf = Set(unitIndexes.keys)
            _ = dwfl_getmodules(dwfl, { module, _, moduleName, _, argument in
                guard let module else { return Int32(DWARF_CB_OK) }
                let files = Unmanaged<Files>.fromOpaque(argument!).takeUnretainedValue()
                var mainFile: UnsafePointer<CChar>?
                var debugFile: UnsafePointer<CChar>?
                _ = dwfl_module_info(module, nil, nil, nil, nil, nil, &mainFile, &debugFile)
                var bias: GElf_Addr = 0
                // Non-nil names mean the files are open: these calls return them, never open more.
                // A debug file open only for its symbol table has no DWARF loaded yet, and asking
                // for it would load it (decompressing its sections onto the heap): only modules
                // whose DWARF this symbolizer loaded (a unit index) are asked.
                let main = mainFile != nil ? dwfl_module_getelf(module, &bias) : nil
                let hasDwarf = moduleName.map { files.withDwarf.contains(String(cString: $0)) } ?? false
                let debug = debugFile != nil && hasDwarf ? dwfl_module_getdwarf(module, &bias).flatMap(dwarf_getelf) : nil
                for elf in [main, debug].compactMap({ $0 }) {
                    var size = 0
                    guard let raw = elf_rawfile(elf, &size), size > 0,
                        files.regions.insert(UInt(bitPattern: raw)).inserted
                    else { continue }
                    files.dropped += rp_drop_file_pages(raw, size)
                }
                return Int32(DWARF_CB_OK)
            }, Unmanaged.passUnretained(files).toOpaque(), 0)
            return files.dropped
        }
    }

    private func lookUp(_ address: UInt) -> Symbol {
        guard let dwfl, let module = dwfl_addrmodule(dwfl, Dwarf_Addr(address)) else {
            return Symbol(name: String(format0x: address), imagePath: "?", isResolved: false)
        }
        var low: Dwarf_Addr = 0
        let moduleName = dwfl_module_info(module, nil, &low, nil, nil, nil, nil, nil).map { String(cString: $0) } ?? "?"
        // A replaced or deleted image keeps the path it was loaded from, as the executable's
        // path (ProfileBuilder.executablePath) does, so that the two still compare equal.
        let modulePath = strings.intern(Self.withoutDeletedMark(moduleName))
        var offset: GElf_Off = 0
        var sym = GElf_Sym()
        guard let raw = dwfl_module_addrinfo(module, Dwarf_Addr(address), &offset, &sym, nil, nil, nil) else {
            if let stub = pltStubName(at: address, module: module, moduleName: moduleName) {
                let target = stub.dropLast("@plt".count)
                let name = target.withCString { demangle($0) } + "@plt"
                return Symbol(name: SymbolNameNormalizer.normalize(name), imagePath: modulePath)
            }
            let image = modulePath.split(separator: "/").last.map(String.init) ?? modulePath
            return Symbol(name: "\(image)+0x\(String(address - UInt(low), radix: 16))", imagePath: modulePath, isResolved: false)
        }
        let start = address &- UInt(offset)
        if let name = namesBySymbolStart[start] { return Symbol(name: name, imagePath: modulePath) }
        let name = SymbolNameNormalizer.normalize(demangle(raw))
        namesBySymbolStart.insert(name, for: start)
        return Symbol(name: name, imagePath: modulePath)
    }

    private func pltStubName(at address: UInt, module: OpaquePointer, moduleName: String) -> String? {
        Self.perImage(&pltStubs, moduleName) { PLTStubNames(module: module) }?.name(at: address)
    }

    /// A per-image table from `cache`, built on first use (a nil result is cached too: the
    /// image has no such data).
    private static func perImage<T>(_ cache: inout [String: T?], _ image: String, build: () -> T?) -> T? {
        if let known = cache[image] { return known }
        let built = build()
        cache[image] = built
        return built
    }

    /// Worked out once per image (a debug Vapor binary has thousands of units) and kept until
    /// the images are reported again.
    public func projectModules(ofImageContaining address: UInt) -> Set<String> {
        lock.withLock {
            guard let dwfl, let module = dwfl_addrmodule(dwfl, Dwarf_Addr(address)) else { return [] }
            let name = dwfl_module_info(module, nil, nil, nil, nil, nil, nil, nil).map { String(cString: $0) } ?? ""
            return Self.perImage(&projectModulesByImage, name) {
                let files = Self.perImage(&unitIndexes, name) { CompileUnitIndex(module: module) }?.unitFiles ?? []
                return Set(files.compactMap { FrameClassifier.projectModule(of: $0) })
            } ?? []
        }
    }

    /// Where an address lies in its function, and the functions inlined there.
    private struct SourcePosition {
        var file: String?
        var line: Int?
        var inlinedFunctions: [InlinedFunction]
    }

    private func sourcePosition(_ address: UInt) -> SourcePosition? {
        if let cached = lineCache[address] { return cached }
        var found: CompileUnitIndex.Location?
        if let dwfl, let module = dwfl_addrmodule(dwfl, Dwarf_Addr(address)) {
            let name = dwfl_module_info(module, nil, nil, nil, nil, nil, nil, nil).map { String(cString: $0) } ?? ""
            found = Self.perImage(&unitIndexes, name) { CompileUnitIndex(module: module) }?.location(at: address)
        }
        let position = found.map { location in
            // The address's own line is in the innermost inlined function; each scope's call
            // site is the line of the function around it, the outermost's that of the symbol's.
            var file: String? = location.file.map { strings.intern($0) }
            var line: Int? = location.line
            var inlined: [InlinedFunction] = []
            for scope in location.inlinedScopes where !scope.isItsCallersFunction {
                if let name = inlinedName(scope) { inlined.append(InlinedFunction(name: name, file: file, line: line)) }
                file = scope.callFile.map { strings.intern($0) }
                line = scope.callLine
            }
            return SourcePosition(file: file, line: line, inlinedFunctions: inlined.reversed())
        }
        lineCache.insert(position, for: address)
        return position
    }

    /// An inlined function's name as the symbol table would give it: demangled from its
    /// linkage name, so that it merges with the function's out-of-line copies.
    private func inlinedName(_ scope: InlinedScope) -> String? {
        guard let raw = scope.linkageName ?? scope.name else { return nil }
        if let known = inlinedNames[raw] { return known }
        let name = SymbolNameNormalizer.normalize(raw.withCString { demangle($0) })
        if inlinedNames.count >= AddressCache<String>.defaultLimit { inlinedNames.removeAll(keepingCapacity: true) }
        inlinedNames[raw] = name
        return name
    }

    private func demangle(_ raw: UnsafePointer<CChar>) -> String {
        let length = strlen(raw)
        if let demangled = swift_demangle(raw, length, nil, nil, 0) {
            defer { free(demangled) }
            return String(cString: demangled)
        }
        if raw[0] == 0x5F, raw[1] == 0x5A, let cxaDemangle {  // "_Z": C++
            var status: Int32 = 0
            if let demangled = cxaDemangle(raw, nil, nil, &status), status == 0 {
                defer { free(demangled) }
                return String(cString: demangled)
            }
        }
        return String(cString: raw)
    }
}

extension String {
    init(format0x value: UInt) { self = "0x" + String(value, radix: 16) }
}
