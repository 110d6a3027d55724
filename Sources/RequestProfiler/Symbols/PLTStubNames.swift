import CLibdw

/// Names the PLT stubs of one image (`write@plt`): no symbol covers them, yet a sample can land
/// in one, e.g. a debug build calling a C function through lazy binding.
///
/// x86_64 layout: in `.plt` entry 0 is the resolver and entry i + 1 jumps through relocation i
/// of `.rela.plt`; with IBT the stubs live in `.plt.sec`, entry i for relocation i. aarch64:
/// 16-byte entries too, but the resolver takes the first 32 bytes (two entries' room).
struct PLTStubNames {
    private struct Table { var start: UInt; var end: UInt; var firstEntry: UInt }

    /// How many 16-byte entries the resolver at the start of `.plt` takes.
    #if arch(arm64)
    static let resolverEntries: UInt = 2
    #else
    static let resolverEntries: UInt = 1
    #endif
    private var tables: [Table] = []
    private var names: [String] = []

    init?(module: OpaquePointer) {
        var bias: GElf_Addr = 0
        guard let elf = dwfl_module_getelf(module, &bias) else { return nil }
        var stringIndex = 0
        guard elf_getshdrstrndx(elf, &stringIndex) == 0 else { return nil }
        var plt: GElf_Shdr?, pltSec: GElf_Shdr?
        var relocations: (header: GElf_Shdr, section: OpaquePointer)?
        var section: OpaquePointer? = nil
        while let current = elf_nextscn(elf, section) {
            section = current
            var header = GElf_Shdr()
            guard gelf_getshdr(current, &header) != nil, let raw = elf_strptr(elf, stringIndex, Int(header.sh_name)) else { continue }
            switch String(cString: raw) {
            case ".plt": plt = header
            case ".plt.sec": pltSec = header
            case ".rela.plt": relocations = (header, current)
            default: break
            }
        }
        guard let relocations, let relocationData = elf_getdata(relocations.section, nil),
              let symbolSection = elf_getscn(elf, Int(relocations.header.sh_link)),
              let symbolData = elf_getdata(symbolSection, nil) else { return nil }
        var symbolHeader = GElf_Shdr()
        guard gelf_getshdr(symbolSection, &symbolHeader) != nil else { return nil }
        // As many entries as the section's data holds (a corrupt sh_size must neither trap the
        // conversion nor make billions of names), and never past what libelf indexes (Int32).
        let entries = relocations.header.sh_size / max(relocations.header.sh_entsize, 1)
        let count = Int(min(entries, UInt64(relocationData.pointee.d_size) / UInt64(MemoryLayout<GElf_Rela>.size), UInt64(1 << 20)))
        // A relocation that names no symbol (index 0: an IFUNC of the image's own, called
        // through an IRELATIVE relocation, as libc calls its string functions) or a symbol
        // without a name gives its stub no name, not `@plt`: the address is then named as
        // one no symbol covers.
        for index in 0..<count {
            var relocation = GElf_Rela()
            var symbol = GElf_Sym()
            guard gelf_getrela(relocationData, Int32(index), &relocation) != nil,
                  relocation.r_info >> 32 != 0, relocation.r_info >> 32 <= UInt64(Int32.max),
                  gelf_getsym(symbolData, Int32(relocation.r_info >> 32), &symbol) != nil,
                  let raw = elf_strptr(elf, Int(symbolHeader.sh_link), Int(symbol.st_name)), raw.pointee != 0 else {
                names.append("")
                continue
            }
            names.append(String(cString: raw) + "@plt")
        }
        // Wrapping additions: the loader ignores section headers, so a library whose headers
        // are corrupt (or linked above where it loads) runs normally, and must not trap here.
        if let pltSec {
            tables.append(Table(start: UInt(pltSec.sh_addr &+ bias), end: UInt(pltSec.sh_addr &+ pltSec.sh_size &+ bias), firstEntry: 0))
        } else if let plt {
            tables.append(Table(start: UInt(plt.sh_addr &+ bias), end: UInt(plt.sh_addr &+ plt.sh_size &+ bias), firstEntry: Self.resolverEntries))
        }
        if tables.isEmpty { return nil }
    }

    func name(at address: UInt) -> String? {
        for table in tables where address >= table.start && address < table.end {
            let entry = Int((address - table.start) / 16)
            let index = entry - Int(table.firstEntry)
            if index >= 0, index < names.count, !names[index].isEmpty { return names[index] }
            return index < 0 ? "PLT resolver" : nil
        }
        return nil
    }
}
