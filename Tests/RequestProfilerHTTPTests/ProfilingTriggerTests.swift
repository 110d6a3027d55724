import Testing
@testable import RequestProfilerHTTP

@Suite("Trigger: enabled, profile=1, token, format, interval, limit")
struct ProfilingTriggerTests {
    private func decide(
        _ settings: ProfilingSettings, _ query: String?, headers: [String: String] = [:]
    ) -> TriggerDecision {
        ProfilingTrigger(settings: settings).decide(rawQuery: query) { headers[$0] }
    }

    private let enabled = ProfilingSettings(isEnabled: true)

    @Test func disabledIgnoresTheParameter() {
        #expect(decide(ProfilingSettings(), "profile=1") == .passThrough)
        #expect(decide(ProfilingSettings(), "profile=1&profile_format=bogus") == .passThrough)
    }

    @Test(arguments: ["profile=1", "profile=true", "profile=TRUE", "x=2&profile", "profile="])
    func profileTurnsOn(query: String) {
        guard case .profile(let plan) = decide(enabled, query) else {
            Issue.record("expected a profile decision for \(query)")
            return
        }
        #expect(plan.format == .html)
        #expect(plan.interval == .milliseconds(1))
        #expect(plan.delivery == .replaceResponse)
    }

    @Test(arguments: [nil, "", "profile=0", "profile=no", "a=1", "profiled=1"])
    func otherQueriesPassThrough(query: String?) {
        #expect(decide(enabled, query) == .passThrough)
    }

    @Test func formatAndIntervalOverrideSettings() {
        guard case .profile(let plan) = decide(enabled, "profile=1&profile_format=pprof&profile_interval=0.5ms") else {
            Issue.record("expected a profile decision")
            return
        }
        #expect(plan.format == .pprof)
        #expect(plan.interval == .microseconds(500))
    }

    @Test func unknownFormatIs400ListingValidNames() {
        guard case .reject(let rejection) = decide(enabled, "profile=1&profile_format=pdf") else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejection.status == 400)
        for name in ["html", "text", "json", "speedscope", "collapsed", "pprof"] {
            #expect(rejection.message.contains(name))
        }
    }

    /// A profiling parameter given twice is refused, not settled by its first value: a proxy
    /// rule that reads the last `profile` would take `?profile=1&profile=0` for off. A first
    /// `profile=0` is no profiling request at all.
    @Test(arguments: [
        ("profile=1&profile=0", "profile"), ("profile=1&profile_format=json&profile_format=bogus", "profile_format"),
        ("profile=1&profile_interval=1ms&profile_interval=abc", "profile_interval"), ("profile=1&profile_save=1&profile%5Fsave=0", "profile_save"),
    ])
    func aParameterGivenTwiceIs400(query: String, name: String) {
        #expect(decide(enabled, query) == .reject(ProfilingRejection(status: 400, message: "\(name) is given more than once; give it once")))
    }

    @Test func aFirstProfileOffIsNoProfilingRequest() {
        #expect(decide(enabled, "profile=0&profile=1") == .passThrough)
        #expect(QueryString("a=1&profile=1&b&profile+=2&profile").occurrences(of: "profile") == 2)
        #expect(QueryString("profile=1&profile=2")["profile"] == "1")
    }

    /// A 400 quotes the request's own value, so its answer is never sniffed as html nor cached.
    @Test func aRefusalQuotingTheRequestIsNeitherSniffedNorCached() {
        guard case .reject(let rejection) = decide(enabled, "profile=1&profile_format=%3Cscript%3E") else {
            Issue.record("expected a rejection")
            return
        }
        let response = ProfilingResponse(rejection)
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains("<script>"))
        #expect(response.headers.contains(HTTPHeaderField("X-Content-Type-Options", "nosniff")))
        #expect(response.headers.contains(HTTPHeaderField("Cache-Control", "no-store")))
        #expect(response.headers.contains(HTTPHeaderField("Content-Type", "text/plain; charset=utf-8")))
    }

    @Test(arguments: ["abc", "0", "1s", "5us"])
    func badIntervalIs400(interval: String) {
        guard case .reject(let rejection) = decide(enabled, "profile=1&profile_interval=\(interval)") else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejection.status == 400)
        #expect(rejection.message.contains("profile_interval"))
    }

    /// An interval longer than the maximum duration would stop the report before its first
    /// sample: an empty report without a word.
    @Test func anIntervalLongerThanTheMaximumDurationIs400() {
        let short = ProfilingSettings(isEnabled: true, maximumDuration: .milliseconds(50))
        guard case .reject(let rejection) = decide(short, "profile=1&profile_interval=80ms") else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejection.status == 400)
        #expect(rejection.message.contains("profile_interval") && rejection.message.contains("maximum duration"))
        guard case .profile = decide(short, "profile=1&profile_interval=50ms") else {
            Issue.record("an interval of the maximum duration is accepted")
            return
        }
    }

    @Test func tokenIsRequiredWhenSet() {
        var settings = enabled
        settings.token = "s3cret"
        #expect(decide(settings, "profile=1") == .reject(ProfilingRejection(
            status: 403, message: "profiling requires a valid X-Profile-Token header")))
        guard case .reject(let wrong) = decide(settings, "profile=1", headers: ["X-Profile-Token": "s3cre"]) else {
            Issue.record("a wrong token must be refused")
            return
        }
        #expect(wrong.status == 403)
        guard case .profile = decide(settings, "profile=1", headers: ["X-Profile-Token": "s3cret"]) else {
            Issue.record("the right token must be accepted")
            return
        }
        // Token checks apply only to profiling requests.
        #expect(decide(settings, "a=1") == .passThrough)
    }

    @Test func saveGoesToTheConfiguredOrDefaultDirectory() {
        var settings = enabled
        guard case .profile(let defaultSave) = decide(settings, "profile=1&profile_save=1") else {
            Issue.record("expected a profile decision")
            return
        }
        #expect(defaultSave.delivery == .save(directory: "reports"))
        settings.outputDirectory = "/tmp/x"
        guard case .profile(let configured) = decide(settings, "profile=1"),
            case .profile(let forcedReplace) = decide(settings, "profile=1&profile_save=0")
        else {
            Issue.record("expected profile decisions")
            return
        }
        #expect(configured.delivery == .save(directory: "/tmp/x"))
        #expect(forcedReplace.delivery == .replaceResponse)
    }

    @Test func limitServesUnprofiledOrRejects() {
        var settings = enabled
        settings.maximumConcurrentProfiles = 1
        let trigger = ProfilingTrigger(settings: settings)
        guard case .profile = trigger.decide(rawQuery: "profile=1", header: { _ in nil }) else {
            Issue.record("the first request takes the slot")
            return
        }
        guard case .serveUnprofiled(let headers) = trigger.decide(rawQuery: "profile=1", header: { _ in nil }) else {
            Issue.record("the second is served unprofiled")
            return
        }
        #expect(headers.first?.name == "X-Profile-Skipped")
        #expect(headers.first?.value.contains("concurrency limit") == true)
        trigger.finished()
        guard case .profile = trigger.decide(rawQuery: "profile=1", header: { _ in nil }) else {
            Issue.record("the slot is free again")
            return
        }

        settings.overLimitPolicy = .reject
        let rejecting = ProfilingTrigger(settings: settings)
        _ = rejecting.decide(rawQuery: "profile=1", header: { _ in nil })
        guard case .reject(let rejection) = rejecting.decide(rawQuery: "profile=1", header: { _ in nil }) else {
            Issue.record("over the limit with reject is a rejection")
            return
        }
        #expect(rejection.status == 429)
        #expect(rejection.headers.first?.name == "X-Profile-Skipped")
    }

    @Test func constantTimeComparison() {
        #expect(ProfilingTrigger.constantTimeEquals("abc", "abc"))
        #expect(!ProfilingTrigger.constantTimeEquals("abc", "abd"))
        #expect(!ProfilingTrigger.constantTimeEquals("abc", "abcd"))
        #expect(!ProfilingTrigger.constantTimeEquals("abcd", "abc"))
        #expect(!ProfilingTrigger.constantTimeEquals("abcabc", "abc"), "a guess cycling over the token is not the token")
        #expect(!ProfilingTrigger.constantTimeEquals("", "a"))
        #expect(!ProfilingTrigger.constantTimeEquals("", ""), "an empty token matches nothing")
    }

    /// A token set in code is used as the environment's would be: a blank one lets no request
    /// in (an empty `X-Profile-Token` header passed it), and one read from a file with its
    /// newline still matches the header (HTTP strips the value's whitespace).
    @Test func tokensSetInCodeAreTrimmedAndABlankOneLetsNoOneIn() {
        for blank in ["", " ", "\n"] {
            let trigger = ProfilingTrigger(settings: ProfilingSettings(isEnabled: true, token: blank))
            guard case .reject(let rejection) = trigger.decide(rawQuery: "profile=1", header: { _ in "" }) else {
                Issue.record("a blank token \(blank.debugDescription) let an empty header in")
                continue
            }
            #expect(rejection.status == 403)
        }
        let trigger = ProfilingTrigger(settings: ProfilingSettings(isEnabled: true, token: "s3cret\n"))
        guard case .profile = trigger.decide(rawQuery: "profile=1", header: { _ in "s3cret" }) else {
            Issue.record("the token read with its newline did not match the header")
            return
        }
        trigger.finished()
    }
}
