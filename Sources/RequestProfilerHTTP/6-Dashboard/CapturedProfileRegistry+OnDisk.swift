import Foundation

extension CapturedProfileRegistry {
    /// The registered reports whose files are still in `directory`, oldest first. One deleted
    /// by hand, by a cleanup of the folder, or by the per-route cap is left out: the dashboard
    /// then links no 404, and the aggregate and diff read no missing file. At most the
    /// registry's capacity of `stat` calls.
    func profiles(stillIn directory: String) -> [CapturedProfile] {
        all.filter { FileManager.default.fileExists(atPath: directory + "/" + $0.file) }
    }
}
