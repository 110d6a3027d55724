/// Decides, per request, whether to profile it: enabled? `profile=1`? token? format and
/// interval valid? under the concurrency limit?
///
/// The checks run in that order and stop at the first that settles the matter, so an
/// unprofiled request costs ``isProfilingRequest(rawQuery:)``: a flag check and one scan of
/// the query string.
public struct ProfilingTrigger: Sendable {
    public let settings: ProfilingSettings
    public let limiter: ConcurrencyLimiter

    /// The configured token without surrounding whitespace (HTTP strips it from header values,
    /// so a token read from a file with its newline could never match); nil: no guard.
    let expectedToken: String?

    public init(settings: ProfilingSettings) {
        self.settings = settings
        self.expectedToken = settings.token.map { $0.trimmingWhitespace() }
        // A value made in code is brought into range too (the environment's is refused).
        self.limiter = ConcurrencyLimiter(
            limit: min(max(1, settings.maximumConcurrentProfiles), ProfilingSettings.mostConcurrentProfiles))
    }

    /// The fast path: true only when profiling is enabled and the query turns `profile` on.
    ///
    /// The query is read only when profiling is enabled: a framework may build it on every read
    /// (Vapor goes through Foundation's `URLComponents`).
    public func isProfilingRequest(rawQuery: @autoclosure () -> String?) -> Bool {
        guard settings.isEnabled else { return false }
        return Self.turnsProfilingOn(rawQuery())
    }

    private static func turnsProfilingOn(_ rawQuery: String?) -> Bool {
        guard let rawQuery, !rawQuery.isEmpty, let value = QueryString(rawQuery)[ProfilingParameter.profile]
        else { return false }
        return ProfilingParameter.isOn(value)
    }

    /// The full decision. `header` looks up a request header by name (case-insensitively, as
    /// both frameworks do). A `.profile` result holds a concurrency slot: call ``finished()``
    /// once the request is done.
    public func decide(rawQuery: @autoclosure () -> String?, header: (String) -> String?) -> TriggerDecision {
        guard settings.isEnabled else { return .passThrough }
        let rawQuery = rawQuery()
        guard Self.turnsProfilingOn(rawQuery) else { return .passThrough }
        let query = QueryString(rawQuery ?? "")
        if let expected = expectedToken {
            guard let given = header(ProfilingParameter.tokenHeader), Self.constantTimeEquals(given, expected) else {
                return .reject(ProfilingRejection(
                    status: 403,
                    message: "profiling requires a valid \(ProfilingParameter.tokenHeader) header"))
            }
        }
        // A parameter given twice is refused rather than settled by its first value: a proxy
        // or a firewall rule that reads the last one would see `?profile=1&profile=0` as off.
        for name in ProfilingParameter.queryNames where query.occurrences(of: name) > 1 {
            return .reject(ProfilingRejection(status: 400, message: "\(name) is given more than once; give it once"))
        }
        let plan: ProfilingPlan
        do {
            plan = try makePlan(query)
        } catch let error as ProfilingSettingsError {
            return .reject(ProfilingRejection(status: 400, message: error.description))
        } catch {
            return .reject(ProfilingRejection(status: 400, message: "\(error)"))
        }
        guard limiter.tryAcquire() else {
            let reason = "concurrency limit: \(limiter.limit) request(s) already being profiled (PROFILING_MAX_CONCURRENT)"
            let headers = [HTTPHeaderField(ProfilingParameter.skippedHeader, reason)]
            switch settings.overLimitPolicy {
            case .serveUnprofiled: return .serveUnprofiled(headers: headers)
            case .reject: return .reject(ProfilingRejection(status: 429, message: reason, headers: headers))
            }
        }
        return .profile(plan)
    }

    /// Frees the concurrency slot a `.profile` decision took.
    public func finished() {
        limiter.release()
    }

    /// The plan for an accepted request: settings overridden by the request's own parameters.
    private func makePlan(_ query: QueryString) throws -> ProfilingPlan {
        let format = try query[ProfilingParameter.format].map { try SettingParser.format($0, name: ProfilingParameter.format) }
        let interval = try query[ProfilingParameter.interval].map { text in
            let interval = try SettingParser.interval(text, name: ProfilingParameter.interval)
            // Longer than the maximum duration, the report would stop before its first sample.
            guard interval <= settings.maximumDuration else {
                throw ProfilingSettingsError(
                    name: ProfilingParameter.interval, value: text,
                    expected: "an interval of at most the maximum duration (\(settings.maximumDuration))")
            }
            return interval
        }
        let save = try query[ProfilingParameter.save].map { try SettingParser.boolean($0.isEmpty ? "1" : $0, name: ProfilingParameter.save) }
        let delivery: ReportDelivery
        switch (settings.outputDirectory, save) {
        case (_, false?): delivery = .replaceResponse
        case (let directory?, _): delivery = .save(directory: directory)
        case (nil, true?): delivery = .save(directory: ProfilingSettings.defaultSaveDirectory)
        case (nil, nil): delivery = .replaceResponse
        }
        return ProfilingPlan(
            format: format ?? settings.defaultFormat,
            interval: interval ?? settings.interval,
            maximumDuration: settings.maximumDuration,
            delivery: delivery,
            printsReport: settings.printsReports
        )
    }

    /// Compares without returning early, so response timing does not reveal how much of a
    /// guessed token was right; the work follows the guess's length only (each of its bytes
    /// against the token's, cycling), so it does not reveal the token's length either. An
    /// empty token matches nothing: a blank token set in code (the environment refuses one)
    /// must not let an empty header or cookie in.
    static func constantTimeEquals(_ given: String, _ expected: String) -> Bool {
        let token = Array(expected.utf8)
        guard !token.isEmpty else { return false }
        var difference: UInt8 = 0
        var index = 0
        for byte in given.utf8 {
            difference |= byte ^ token[index % token.count]
            index += 1
        }
        return difference == 0 && index == token.count
    }
}
