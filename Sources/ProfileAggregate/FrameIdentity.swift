import ProfileModel

/// What makes two frames of different requests the same function. The line is left out:
/// a frame's line is the smallest one its samples hit, which differs from request to request.
struct FrameIdentity: Hashable {
    let name: String
    let image: String
    let file: String?
    let kind: FrameKind

    init(_ frame: Frame) {
        name = frame.name
        image = frame.image
        file = frame.file
        kind = frame.kind
    }
}
