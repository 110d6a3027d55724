import Testing

@testable import RequestMetrics

@Suite struct PathPatternTests {
    @Test func grammarGivesExactPrefixAndRegex() throws {
        #expect(try PathPattern(parsing: "/health") == .exact("/health"))
        #expect(try PathPattern(parsing: " /static/* ") == .prefix("/static/"))
        let regex = try PathPattern(parsing: "re:/users/[0-9]+")
        #expect(regex.description == "re:/users/[0-9]+")
        #expect(try PathPattern(parsing: "/static/*").description == "/static/*")
    }

    @Test func matching() throws {
        let exact = try PathPattern(parsing: "/health")
        #expect(exact.matches("/health"))
        #expect(!exact.matches("/health/deep"))
        // The frameworks route a trailing slash to the same handler, so it matches either way.
        #expect(exact.matches("/health/"))
        #expect(!exact.matches("/health//") && !exact.matches("/healthy") && !exact.matches("/healt"))
        let withSlash = try PathPattern(parsing: "/health/")
        #expect(withSlash.matches("/health") && withSlash.matches("/health/"))
        #expect(!withSlash.matches("/healt") && !withSlash.matches("/health/x"))
        let root = try PathPattern(parsing: "/")
        #expect(root.matches("/") && !root.matches("/a"))
        let prefix = try PathPattern(parsing: "/static/*")
        #expect(prefix.matches("/static/app.js"))
        #expect(prefix.matches("/static/"))
        #expect(!prefix.matches("/statics"))
        // A regex is searched for in the path; ^ and $ anchor it.
        let regex = try PathPattern(parsing: "re:/users/[0-9]+")
        #expect(regex.matches("/users/42"))
        #expect(regex.matches("/api/users/42/posts"))
        #expect(!regex.matches("/users/me"))
        let anchored = try PathPattern(parsing: "re:^/internal/")
        #expect(anchored.matches("/internal/x") && anchored.matches("/internal/y/z"))
        #expect(!anchored.matches("/api/internal/x"))
        let whole = try PathPattern(parsing: "re:^/users/[0-9]+$")
        #expect(whole.matches("/users/42") && !whole.matches("/users/42/posts"))
    }

    /// A regex is tried on paths of at most 256 bytes: searched for in a long path a client
    /// chose ("/admin/" 11,000 times), `re:/admin/.*debug` backtracked over the rest of the path
    /// from every start, about 14 s of the request's thread. A longer path does not match.
    @Test func aRegexIsTriedOnPathsUpToTheLimitOnly() throws {
        let pattern = try PathPattern(parsing: "re:/admin/.*debug")
        let limit = CompiledRegex.longestSearchedPath
        #expect(limit == 256, "the README's settings table gives this number")
        let fits = "/admin/" + String(repeating: "x", count: limit - "/admin/debug".utf8.count) + "debug"
        #expect(fits.utf8.count == limit && pattern.matches(fits))
        #expect(pattern.matches("/admin/tools/debug") && !pattern.matches("/admin/tools"))
        let over = "/admin/" + String(repeating: "x", count: limit + 1 - "/admin/debug".utf8.count) + "debug"
        #expect(!pattern.matches(over), "one byte over: the regex is not run")
        // Prefixes and exact paths have no limit.
        #expect(try PathPattern(parsing: "/admin/*").matches(over) && PathPattern(parsing: over).matches(over))

        // The hostile path ("/admin/" 11,000 times), here ending in the word the regex looks
        // for: searched, it would match (as the same shape within the limit does), so no match
        // shows that the regex was not run on it at all.
        let hostile = String(repeating: "/admin/", count: 11_000) + "debug"
        let sameShapeShorter = String(repeating: "/admin/", count: 35) + "debug"
        #expect(sameShapeShorter.utf8.count <= limit && pattern.matches(sameShapeShorter), "the shape matches where it is searched")
        #expect(!pattern.matches(hostile), "a path of \(hostile.utf8.count) bytes is not searched")
    }

    /// A search takes up to about n^(k+1) steps for k unbounded repeats: `/.*/.*/.*/x` took 7 s
    /// on a path of 256 slashes, `/.*/.*/x` 146 ms. Three are refused; two are tried on paths
    /// of at most 64 bytes.
    @Test func regexesWithManyRepeatsAreRefusedOrTriedOnShortPathsOnly() throws {
        #expect(throws: PathPatternError.self) { try PathPattern(parsing: "re:/.*/.*/.*/x") }
        #expect(throws: PathPatternError.self) { try PathPattern(parsing: "re:^/a+/b+/c{2,}") }
        let two = try PathPattern(parsing: "re:/.*/.*/x")
        guard case .regex(let regex) = two else { Issue.record("not a regex"); return }
        #expect(regex.searchLimit == 64, "the README's settings table gives this number")
        #expect(two.matches("/api/v1/x") && !two.matches("/api/v1/y"))
        // Paths the regex matches wherever it is run: 64 bytes are searched, 65 are not.
        let fits = "/a/" + String(repeating: "a", count: 59) + "/x"
        #expect(fits.utf8.count == 64 && two.matches(fits), "64 bytes: searched, and found")
        let long = "/a/" + String(repeating: "a", count: 60) + "/x"
        #expect(long.utf8.count == 65 && long.contains(/\/.*\/.*\/x/), "the regex matches this path when searched")
        #expect(!two.matches(long), "over 64 bytes: not searched")
        let hostile = String(repeating: "/", count: 64)
        #expect(!two.matches(hostile))
        // Repeats in classes, escapes and bounded counts are not unbounded.
        let one = try PathPattern(parsing: "re:^/files/[*+]+/\\d{2,8}$")
        guard case .regex(let single) = one else { Issue.record("not a regex"); return }
        #expect(single.searchLimit == 256)
    }

    /// A space after `re:` is not part of the regex: ` ^/x` could never match.
    @Test func aSpaceAfterTheRegexPrefixIsNotPartOfTheRegex() throws {
        let pattern = try PathPattern(parsing: "re: ^/internal/")
        #expect(pattern.matches("/internal/a"))
        #expect(pattern.description == "re:^/internal/")
    }

    /// Matched against every request's path, which a client chooses: a regex that repeats a
    /// group which itself repeats took exponential time on a path it did not match.
    @Test func aRegexThatCanTakeExponentialTimeIsRefused() {
        #expect(throws: PathPatternError.self) { try PathPattern(parsing: "re:^/api/(\\w+/?)+$") }
        #expect(throws: PathPatternError.self) { try PathPattern(parsing: "re:^/(a+)+$") }
        #expect(throws: PathPatternError.self) { try PathPattern(parsing: "re:^/(\\w|\\d)+$") }
        // Safe shapes an exclude list holds: optional groups, a few repetitions, escapes in braces.
        for safe in [
            "re:^/api/(v1|v2)/users/[0-9]+$", "re:^/files(/.*)?$", "re:^/v[0-9]+(/[a-z]+)?$", "re:^/archive/(\\d{4})?$",
            "re:^/wiki/(\\p{L})+$", "re:^/(health|ready)$", "re:\\.(css|js)$", "re:^/users/[^/]+/avatar$",
        ] {
            #expect(throws: Never.self, "\(safe)") { try PathPattern(parsing: safe) }
        }
    }

    static let bad: [String] = ["", "   ", "re:", "re:(unclosed", "health", "/a*b", "/a/**", "re:(a*)*"]

    @Test(arguments: bad)
    func badPatternsThrowAnErrorNamingThePattern(text: String) {
        #expect {
            try PathPattern(parsing: text)
        } throws: { error in
            guard let error = error as? PathPatternError else { return false }
            return error.pattern == text && error.description.contains("invalid path pattern \"\(text)\"")
        }
    }
}
