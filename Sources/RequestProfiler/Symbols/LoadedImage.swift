import CLibdw
import CSampler
#if canImport(Glibc)
import Glibc
#endif

/// An ELF image as the loader mapped it into this process, read from memory: its build ID, to
/// tell whether the file now at its path is still the one loaded, and, once its file is gone
/// from disk and cannot be opened another way, a copy of what was loaded of it.
///
/// Memory is read with `rp_read_own_memory`, which never faults: the image may have been
/// unloaded since its module was reported. 64-bit images only (the platforms Swift servers
/// run on).
struct LoadedImage {
    /// How far the image was moved from the addresses it was linked at.
    private let bias: UInt
    private let header: Elf64_Ehdr
    private let segments: [Elf64_Phdr]

    /// The image whose ELF header is mapped at `base` (a module's first address, where the
    /// loader maps the start of the file); nil when no 64-bit ELF header is there.
    init?(at base: UInt) {
        var header = Elf64_Ehdr()
        guard rp_read_own_memory(&header, base, MemoryLayout<Elf64_Ehdr>.size) == 1,
              header.e_ident.0 == 0x7F, header.e_ident.1 == 0x45, header.e_ident.2 == 0x4C, header.e_ident.3 == 0x46,
              header.e_ident.4 == UInt8(ELFCLASS64), Int(header.e_phentsize) == MemoryLayout<Elf64_Phdr>.size,
              header.e_phnum > 0, header.e_phnum < UInt16(PN_XNUM)
        else { return nil }
        var segments = [Elf64_Phdr](repeating: Elf64_Phdr(), count: Int(header.e_phnum))
        let read = segments.withUnsafeMutableBytes { rp_read_own_memory($0.baseAddress, base &+ UInt(header.e_phoff), $0.count) }
        // The segment that maps the start of the file says where the rest went.
        guard read == 1, let first = segments.first(where: { $0.p_type == UInt32(PT_LOAD) && $0.p_offset == 0 }) else { return nil }
        self.header = header
        self.segments = segments
        bias = base &- UInt(first.p_vaddr)
    }

    /// The loadable segments a copy for libdwfl needs (see ``copiedIntoMemoryFile(named:)``):
    /// the one at file offset 0 (the ELF and program headers), and those holding the dynamic
    /// section, a note, or a table the dynamic section names.
    private var neededSegments: [Elf64_Phdr] {
        var addresses = segments.filter { $0.p_type == UInt32(PT_DYNAMIC) || $0.p_type == UInt32(PT_NOTE) }.map { $0.p_vaddr }
        if let dynamic = segments.first(where: { $0.p_type == UInt32(PT_DYNAMIC) }), dynamic.p_filesz <= 65_536 {
            var entries = [Elf64_Dyn](repeating: Elf64_Dyn(), count: Int(dynamic.p_filesz) / MemoryLayout<Elf64_Dyn>.size)
            let read = entries.withUnsafeMutableBytes { rp_read_own_memory($0.baseAddress, bias &+ UInt(dynamic.p_vaddr), $0.count) }
            if read == 1 {
                let tables: Set<Int64> = [
                    Int64(DT_SYMTAB), Int64(DT_STRTAB), Int64(DT_HASH), Int64(DT_GNU_HASH), Int64(DT_VERSYM),
                    Int64(DT_VERDEF), Int64(DT_VERNEED),
                ]
                for entry in entries where tables.contains(entry.d_tag) {
                    // The loader may have moved these to where they were loaded (glibc does).
                    addresses += [entry.d_un.d_ptr, entry.d_un.d_ptr &- UInt64(bias)]
                }
            }
        }
        return segments.filter { segment in
            segment.p_type == UInt32(PT_LOAD)
                && (segment.p_offset == 0
                    || addresses.contains { $0 >= segment.p_vaddr && $0 - segment.p_vaddr < segment.p_memsz })
        }
    }

    /// The GNU build ID its notes hold; nil when it has none.
    var buildID: [UInt8]? {
        for segment in segments where segment.p_type == UInt32(PT_NOTE) && segment.p_filesz <= 65_536 {
            var notes = [UInt8](repeating: 0, count: Int(segment.p_filesz))
            guard notes.withUnsafeMutableBytes({ rp_read_own_memory($0.baseAddress, bias &+ UInt(segment.p_vaddr), $0.count) }) == 1 else { continue }
            // Each note: name size, descriptor size, type (4 bytes each), then the name; the
            // descriptor starts at the first multiple of the segment's alignment (4, or 8 for
            // 8-aligned notes) after the name, and the next note at the first after the
            // descriptor (ELF gABI). Not the name's size rounded up added to the header's end:
            // with 8-aligned notes the header's 12 bytes are no multiple, and that read the
            // build ID 4 bytes off.
            let alignment = segment.p_align == 8 ? 8 : 4
            func aligned(_ offset: Int) -> Int { (offset + alignment - 1) / alignment * alignment }
            func word(_ at: Int) -> Int { Int(notes[at]) | Int(notes[at + 1]) << 8 | Int(notes[at + 2]) << 16 | Int(notes[at + 3]) << 24 }
            var offset = 0
            while offset + 12 <= notes.count {
                let nameSize = word(offset), descriptorSize = word(offset + 4), type = word(offset + 8)
                let descriptor = aligned(offset + 12 + nameSize)
                guard descriptor + descriptorSize <= notes.count else { break }
                if type == Int(NT_GNU_BUILD_ID), nameSize == 4, notes[(offset + 12)..<(offset + 16)].elementsEqual("GNU\0".utf8) {
                    return Array(notes[descriptor..<(descriptor + descriptorSize)])
                }
                offset = aligned(descriptor + descriptorSize)
            }
        }
        return nil
    }

    /// The most a copy holds: the parts it needs of a library are its headers, dynamic symbol
    /// and string tables and notes, well under this even for the largest.
    static let largestCopy: UInt64 = 64 << 20

    /// A file in memory laid out as the image's file was, as far as libdwfl needs it to name
    /// functions: the loadable segments holding the file's headers, its dynamic section, its
    /// notes and the tables the dynamic section points at, each at its file offset. Code and
    /// read-only data are holes, which take no memory (a deleted ICU or LLVM library is tens of
    /// MB of them, and the copy lives as long as the process). What was never loaded is
    /// missing too (the symbol table `.symtab`, DWARF, the section headers, which the copy says
    /// it has none of), so libdwfl names functions from the dynamic symbol table, and finds a
    /// debug file by the build ID. Returns its descriptor, closed on exec; -1 when the image
    /// could not be read, or needs more than ``largestCopy``.
    func copiedIntoMemoryFile(named name: String) -> Int32 {
        let needed = neededSegments
        guard needed.reduce(0, { $0 &+ $1.p_filesz }) <= Self.largestCopy else { return -1 }
        let descriptor = rp_memory_file(name)
        guard descriptor >= 0 else { return -1 }
        let fileEnd = segments.filter { $0.p_type == UInt32(PT_LOAD) }.map { $0.p_offset &+ $0.p_filesz }.max() ?? 0
        guard fileEnd <= UInt64(Int64.max), ftruncate(descriptor, off_t(fileEnd)) == 0 else {
            close(descriptor)
            return -1
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for segment in needed {
            var done: UInt64 = 0
            while done < segment.p_filesz {
                let size = Int(min(UInt64(chunk.count), segment.p_filesz - done))
                let copied = chunk.withUnsafeMutableBytes { buffer in
                    rp_read_own_memory(buffer.baseAddress, bias &+ UInt(segment.p_vaddr &+ done), size) == 1
                        && pwrite(descriptor, buffer.baseAddress, size, off_t(segment.p_offset &+ done)) == size
                }
                guard copied else {
                    close(descriptor)
                    return -1
                }
                done += UInt64(size)
            }
        }
        var header = header
        header.e_shoff = 0
        header.e_shnum = 0
        header.e_shstrndx = 0
        guard pwrite(descriptor, &header, MemoryLayout<Elf64_Ehdr>.size, 0) == MemoryLayout<Elf64_Ehdr>.size else {
            close(descriptor)
            return -1
        }
        return descriptor
    }
}
