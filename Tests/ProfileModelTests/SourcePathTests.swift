import ProfileModel
import Testing

@Suite("Short source paths")
struct SourcePathTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let path: String
        let isApplication: Bool
        let expected: String
        var testDescription: String { expected }
    }

    @Test("dependencies from their module, the app from its package root, the rest from its last folder", arguments: [
        Case(path: "/src/.build/checkouts/hummingbird/Sources/Hummingbird/Router/Router.swift", isApplication: false, expected: "Hummingbird/Router/Router.swift"),
        Case(path: "/home/ci/app/.build/checkouts/swift-nio/Sources/NIOCore/EventLoop.swift", isApplication: false, expected: "NIOCore/EventLoop.swift"),
        // A checkout's file counts as a dependency even if the symbolizer called it application code.
        Case(path: "/src/.build/checkouts/vapor/Sources/Vapor/Routing/Route.swift", isApplication: true, expected: "Vapor/Routing/Route.swift"),
        Case(path: "/src/.build/checkouts/sqlite-nio/sqlite3.c", isApplication: false, expected: "sqlite-nio/sqlite3.c"),
        Case(path: "/src/Sources/DemoApp/UserController.swift", isApplication: true, expected: "Sources/DemoApp/UserController.swift"),
        Case(path: "/home/me/work/Sources/Server/Sources/App/main.swift", isApplication: true, expected: "Sources/Server/Sources/App/main.swift"),
        Case(path: "/work/repo/Examples/VaporDemo/main.swift", isApplication: true, expected: "Examples/VaporDemo/main.swift"),
        Case(path: "/work/repo/Tests/AppTests/Workloads.swift", isApplication: true, expected: "Tests/AppTests/Workloads.swift"),
        Case(path: "/home/build-user/swift-foundation/Sources/FoundationEssentials/JSON/JSONEncoder.swift", isApplication: false, expected: "FoundationEssentials/JSON/JSONEncoder.swift"),
        Case(path: "/home/build-user/swift/stdlib/public/core/Array.swift", isApplication: false, expected: "…/core/Array.swift"),
        Case(path: "/usr/include/stdio.h", isApplication: false, expected: "…/include/stdio.h"),
        Case(path: "/main.swift", isApplication: true, expected: "/main.swift"),
        Case(path: "Sources/App/main.swift", isApplication: true, expected: "Sources/App/main.swift"),
    ])
    func shortens(_ example: Case) {
        #expect(SourcePath.short(example.path, isApplication: example.isApplication) == example.expected)
    }

    @Test("a frame's display file follows its kind; no file, no display file")
    func frameDisplayFile() {
        let app = Frame(name: "App.main()", image: "App", file: "/x/Sources/App/main.swift", kind: .application)
        let library = Frame(name: "Lib.f()", image: "App", file: "/y/Sources/Lib/f.swift", kind: .library)
        #expect(app.displayFile == "Sources/App/main.swift")
        #expect(library.displayFile == "Lib/f.swift")
        #expect(Frame(name: "memcpy", image: "libc.so.6", kind: .system).displayFile == nil)
    }
}
