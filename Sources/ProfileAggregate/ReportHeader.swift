/// The two fields that say what a JSON file is (`schema`, `schemaVersion`), read before the
/// rest is decoded.
///
/// Read with `JSONDecoder` rather than `JSONSerialization`: the latter builds an object for
/// every value of the file, and a 120 MB file of one long array of zeros (well under the
/// 256 MB a report may be) took 3.4 GB and 37 s before its schema was even known, in a
/// dashboard's server as in the command-line tool.
struct ReportHeader: Decodable {
    /// Nil when absent or not a string: the file is then not one of ours.
    var schema: String?
    /// Nil when absent or not an integer.
    var schemaVersion: Int?

    private enum CodingKeys: String, CodingKey {
        case schema, schemaVersion
    }

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else {
            // JSON, but not an object: no schema.
            return
        }
        schema = try? container.decodeIfPresent(String.self, forKey: .schema)
        schemaVersion = try? container.decodeIfPresent(Int.self, forKey: .schemaVersion)
    }
}
