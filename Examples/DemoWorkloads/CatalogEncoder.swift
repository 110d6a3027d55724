import Foundation

/// JSON-encoding work for the demo's `/json` route: encoding a few thousand nested records
/// with Foundation's `JSONEncoder` is a common, surprisingly costly part of real handlers.
public enum CatalogEncoder {
    /// Encodes `count` generated catalog items as pretty-printed, key-sorted JSON.
    public static func encodeCatalog(count: Int) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(CatalogItem.generate(count: count))
    }

    /// Any answer of the demo as compact JSON.
    public static func json(_ value: some Encodable) throws -> Data {
        try JSONEncoder().encode(value)
    }
}
