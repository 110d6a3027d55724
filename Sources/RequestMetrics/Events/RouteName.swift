/// Route names shared by every request that matched no route.
public enum RouteName {
    /// All unmatched requests share this one name, so raw paths (scanners, typos, ids) can
    /// never blow up the set of routes in the stats store, the dashboard or a metrics backend.
    public static let unmatched = "<unmatched>"
}
