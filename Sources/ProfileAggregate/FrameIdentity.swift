import ProfileModel

/// What makes two frames of different requests the same function: its full name (module,
/// type, signature) in the same image, as the sampler's own frame table has it. The location
/// is left out: a frame's line is the smallest one its samples hit, and even its file can
/// differ from request to request (code inlined from another file, another checkout folder on
/// another build machine); the kind too, where one request saw only inlined library code. With
/// them, one function became two rows, each in half of the requests, and a diff showed it as
/// both new and gone.
struct FrameIdentity: Hashable {
    let name: String
    let image: String

    init(_ frame: Frame) {
        name = frame.name
        image = frame.image
    }
}
