import Foundation
import Testing

/// The section headers of a 64-bit little-endian ELF file, read and patched in place: fixture
/// libraries made malformed as the loader, which ignores section headers and symbol tables,
/// still runs them.
struct ELFSections {
    struct Section { var address: UInt64; var headerOffset: Int; var offset: Int; var size: Int }

    let path: String
    private let bytes: [UInt8]
    private var sections: [String: Section] = [:]

    subscript(name: String) -> Section? { sections[name] }

    init(path: String) throws {
        self.path = path
        bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        try #require(bytes.count > 64 && bytes[0..<4] == [0x7f, 0x45, 0x4c, 0x46] && bytes[4] == 2 && bytes[5] == 1)
        let headersAt = Int(read(UInt64.self, at: 0x28))
        let headerSize = Int(read(UInt16.self, at: 0x3a))
        let count = Int(read(UInt16.self, at: 0x3c))
        let namesIndex = Int(read(UInt16.self, at: 0x3e))
        let namesAt = Int(read(UInt64.self, at: headersAt + namesIndex * headerSize + 0x18))
        for index in 0..<count {
            let header = headersAt + index * headerSize
            let nameStart = namesAt + Int(read(UInt32.self, at: header))
            let nameEnd = bytes[nameStart...].firstIndex(of: 0) ?? nameStart
            let name = String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)
            sections[name] = Section(
                address: read(UInt64.self, at: header + 0x10), headerOffset: header,
                offset: Int(read(UInt64.self, at: header + 0x18)), size: Int(read(UInt64.self, at: header + 0x20)))
        }
    }

    private func read<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        bytes[offset..<offset + MemoryLayout<T>.size].reversed().reduce(T(0)) { $0 << 8 | T($1) }
    }

    /// The types of the relocations in the RELA section `name` (the low half of each
    /// 24-byte entry's `r_info`), in order.
    func relocationTypes(in name: String) throws -> [UInt32] {
        let section = try #require(sections[name], "no \(name)")
        return stride(from: section.offset, to: section.offset + section.size, by: 24).map { read(UInt32.self, at: $0 + 8) }
    }

    /// Sets `st_size` of every entry named `symbol` in the symbol tables `.symtab` and
    /// `.dynsym` (24-byte Elf64_Sym entries: the name's offset in the table's string table
    /// at 0, the size at 16). Returns how many entries were patched.
    @discardableResult
    func setSymbolSize(of symbol: String, to size: UInt64) throws -> Int {
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? file.close() }
        var patched = 0
        for (table, names) in [(".symtab", ".strtab"), (".dynsym", ".dynstr")] {
            guard let table = sections[table], let names = sections[names] else { continue }
            for entry in stride(from: table.offset, to: table.offset + table.size, by: 24) {
                let nameStart = names.offset + Int(read(UInt32.self, at: entry))
                let nameEnd = bytes[nameStart...].firstIndex(of: 0) ?? nameStart
                guard String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self) == symbol else { continue }
                try file.seek(toOffset: UInt64(entry + 16))
                try file.write(contentsOf: withUnsafeBytes(of: size.littleEndian) { Data($0) })
                patched += 1
            }
        }
        return patched
    }

    /// Writes `size` into `section`'s header (`sh_size`, at 0x20 in an Elf64_Shdr).
    func setSize(of section: Section, to size: UInt64) throws {
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? file.close() }
        try file.seek(toOffset: UInt64(section.headerOffset + 0x20))
        try file.write(contentsOf: withUnsafeBytes(of: size.littleEndian) { Data($0) })
    }
}
