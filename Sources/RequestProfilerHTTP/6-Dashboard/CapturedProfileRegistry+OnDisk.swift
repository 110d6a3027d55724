import Foundation

extension CapturedProfileRegistry {
    /// The registered reports whose files are still in `directory`, oldest first. One deleted
    /// by hand, by a cleanup of the folder, or by the per-route cap is left out: the dashboard
    /// then links no 404, and the aggregate and diff read no missing file. At most the
    /// registry's capacity of `stat` calls; only the entries `isWanted` picks are looked for,
    /// so a view of one route `stat`s that route's reports, not a thousand.
    func profiles(stillIn directory: String, where isWanted: (CapturedProfile) -> Bool = { _ in true }) -> [CapturedProfile] {
        all.filter { isWanted($0) && FileManager.default.fileExists(atPath: directory + "/" + $0.file) }
    }
}
