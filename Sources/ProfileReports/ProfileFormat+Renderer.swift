import ProfileModel

extension ProfileFormat {
    /// The built-in renderer of this format.
    public var renderer: any ProfileRenderer {
        switch self {
        case .html: HTMLRenderer()
        case .text: TextRenderer()
        case .json: JSONRenderer()
        case .speedscope: SpeedscopeRenderer()
        case .collapsed: CollapsedRenderer()
        case .pprof: PprofRenderer()
        }
    }
}
