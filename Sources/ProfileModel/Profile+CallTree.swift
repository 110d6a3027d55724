extension Profile {
    /// The call tree of this profile, shaped by `options` (library frames hidden by default).
    public func callTree(options: CallTreeOptions = CallTreeOptions()) -> CallTree {
        CallTree(profile: self, processors: CallTree.processors(for: options))
    }
}
