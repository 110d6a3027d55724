import SQLiteNIO

/// The demo's embedded SQLite database (in memory, through vapor/sqlite-nio), filled with the
/// generated items at startup, so the `/db` route runs a real SQL query per request.
///
/// sqlite-nio runs statements on its thread pool: a profile of `/db` shows the handler awaiting
/// the query, which is what a request that waits on a database looks like.
public final class CatalogDatabase: Sendable {
    /// One row of the `/db` route's answer.
    public struct CategorySummary: Codable, Sendable {
        public var category: String
        public var items: Int
        public var averagePriceCents: Double
    }

    private let connection: SQLiteConnection

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// Opens an in-memory database and fills it with `itemCount` generated items (in SQL,
    /// with a recursive CTE, so startup stays quick even for a large table).
    public static func open(itemCount: Int = 200_000) async throws -> CatalogDatabase {
        let connection = try await SQLiteConnection.open(storage: .memory)
        _ = try await connection.query(
            "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, category TEXT, price_cents INTEGER)")
        _ = try await connection.query(
            """
            INSERT INTO items (id, name, category, price_cents)
            WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < ?)
            SELECT n, 'item-' || n,
                   CASE n % 6 WHEN 0 THEN 'books' WHEN 1 THEN 'games' WHEN 2 THEN 'garden'
                              WHEN 3 THEN 'kitchen' WHEN 4 THEN 'music' ELSE 'tools' END,
                   100 + (n * 7919) % 50000
            FROM seq
            """,
            [.integer(itemCount)])
        return CatalogDatabase(connection: connection)
    }

    /// Groups the items whose name contains `fragment` by category.
    public func summarize(nameContaining fragment: String) async throws -> [CategorySummary] {
        let rows = try await connection.query(
            """
            SELECT category, COUNT(*) AS items, AVG(price_cents) AS average
            FROM items WHERE name LIKE ? GROUP BY category ORDER BY category
            """,
            [.text("%\(fragment)%")]
        )
        return rows.map { row in
            CategorySummary(
                category: row.column("category")?.string ?? "",
                items: row.column("items")?.integer ?? 0,
                averagePriceCents: row.column("average")?.double ?? 0
            )
        }
    }

    /// Closes the connection; call once at shutdown.
    public func close() async throws {
        try await connection.close()
    }
}
