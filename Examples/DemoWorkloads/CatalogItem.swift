/// One record of the demo's product catalog, used by the JSON and SQLite routes.
public struct CatalogItem: Codable, Sendable {
    public var id: Int
    public var name: String
    public var category: String
    public var priceCents: Int
    public var tags: [String]

    public init(id: Int, name: String, category: String, priceCents: Int, tags: [String]) {
        self.id = id
        self.name = name
        self.category = category
        self.priceCents = priceCents
        self.tags = tags
    }

    /// A deterministic catalog of `count` items: demos and tests see the same data every run.
    public static func generate(count: Int) -> [CatalogItem] {
        let categories = ["books", "games", "garden", "kitchen", "music", "tools"]
        return (0..<max(count, 0)).map { index in
            CatalogItem(
                id: index,
                name: "item-\(index)",
                category: categories[index % categories.count],
                priceCents: 100 + (index * 7_919) % 50_000,
                tags: ["tag\(index % 13)", "tag\(index % 17)"]
            )
        }
    }
}
