/// A root-first stack of frame indices as a dictionary key, hashed once with a cheap mix
/// instead of feeding every index through SipHash on each lookup. Grouping 10,000 samples
/// 50 frames deep by stack is the first step of every tree and of the folded-stack and pprof
/// writers; this keeps it well under a millisecond.
public struct StackKey: Hashable, Sendable {
    public let stack: [Int]
    private let mixed: Int

    public init(_ stack: [Int]) {
        self.stack = stack
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for index in stack {
            hash = (hash ^ UInt64(bitPattern: Int64(index))) &* 0x0000_0100_0000_01B3
        }
        mixed = Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }

    public static func == (lhs: StackKey, rhs: StackKey) -> Bool {
        lhs.mixed == rhs.mixed && lhs.stack == rhs.stack
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(mixed)
    }
}
