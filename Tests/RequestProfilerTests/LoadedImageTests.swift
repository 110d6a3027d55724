import Testing
@testable import RequestProfiler

/// The build ID is read from the image's notes in memory. A note's descriptor starts at the
/// first multiple of the segment's alignment after its name (ELF gABI), not at the name's
/// padded size added to the header's end: for an 8-aligned note segment (a linker that puts
/// `.note.gnu.property` and the build ID in one) the two differ, the ID was read 4 bytes off
/// and every later note was misread.
@Suite struct LoadedImageTests {
    private static let buildID: [UInt8] = Array(0x10..<0x24)

    @Test(arguments: [4, 8])
    func theBuildIDIsReadFromANoteSegmentOfEitherAlignment(alignment: Int) throws {
        let image = Self.image(notes: [Self.note(type: 3, descriptor: Self.buildID, alignment: alignment)], alignment: alignment)
        #expect(try Self.buildID(of: image) == Self.buildID)
    }

    /// A property note (16 bytes of descriptor) before the build ID: the build ID note is
    /// found only when the first note's end is worked out right.
    @Test(arguments: [4, 8])
    func theBuildIDAfterAnotherNoteIsFound(alignment: Int) throws {
        let property = Self.note(type: 5, descriptor: [0x02, 0x00, 0x00, 0xC0, 0x04, 0x00, 0x00, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0], alignment: alignment)
        let image = Self.image(notes: [property, Self.note(type: 3, descriptor: Self.buildID, alignment: alignment)], alignment: alignment)
        #expect(try Self.buildID(of: image) == Self.buildID)
    }

    /// The build ID of the image laid out in `bytes`, read as a loaded image's.
    private static func buildID(of bytes: [UInt8]) throws -> [UInt8]? {
        // 8-aligned memory, as a loader maps an image.
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
        defer { memory.deallocate() }
        bytes.withUnsafeBytes { memory.copyMemory(from: $0) }
        let image = try #require(LoadedImage(at: UInt(bitPattern: memory.baseAddress)))
        return image.buildID
    }

    /// A GNU note laid out as the gABI says for `alignment`: header, "GNU\0", padding to the
    /// alignment, the descriptor, padding to the alignment.
    private static func note(type: UInt32, descriptor: [UInt8], alignment: Int) -> [UInt8] {
        var bytes = word(4) + word(UInt32(descriptor.count)) + word(type) + Array("GNU\0".utf8)
        bytes += [UInt8](repeating: 0, count: padding(bytes.count, alignment))
        bytes += descriptor
        return bytes + [UInt8](repeating: 0, count: padding(bytes.count, alignment))
    }

    /// A 64-bit ELF image: its header, one loadable segment over all of it (file offset 0,
    /// linked at 0) and one note segment of `alignment` holding `notes`.
    private static func image(notes: [[UInt8]], alignment: Int) -> [UInt8] {
        let headerSize = 64, segmentSize = 56
        let notesStart = headerSize + 2 * segmentSize  // 176: a multiple of 8
        let notesSize = notes.reduce(0) { $0 + $1.count }
        let total = notesStart + notesSize
        var header = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1] + [UInt8](repeating: 0, count: 9)  // ELFCLASS64, little-endian
        header += half(3) + half(62) + word(1) + long(0) + long(UInt64(headerSize)) + long(0)  // ET_DYN, x86_64; e_phoff
        header += word(0) + half(UInt16(headerSize)) + half(UInt16(segmentSize)) + half(2) + half(64) + half(0) + half(0)
        func segment(type: UInt32, offset: Int, size: Int, alignment: Int) -> [UInt8] {
            word(type) + word(4) + long(UInt64(offset)) + long(UInt64(offset)) + long(UInt64(offset))
                + long(UInt64(size)) + long(UInt64(size)) + long(UInt64(alignment))
        }
        let load = segment(type: 1, offset: 0, size: total, alignment: 4096)
        let note = segment(type: 4, offset: notesStart, size: notesSize, alignment: alignment)
        return header + load + note + notes.flatMap { $0 }
    }

    private static func padding(_ size: Int, _ alignment: Int) -> Int { (alignment - size % alignment) % alignment }
    private static func half(_ value: UInt16) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
    private static func word(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
    private static func long(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
}
