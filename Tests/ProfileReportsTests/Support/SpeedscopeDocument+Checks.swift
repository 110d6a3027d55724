/// What speedscope assumes of a file beyond its types: it indexes `shared.frames` with every
/// stack entry, pairs `samples` with `weights`, and lays samples out between `startValue` and
/// `endValue`. A file that breaks these loads blank or wrong rather than failing loudly.
extension SpeedscopeDocument {
    func check() throws {
        guard schema == Self.schemaURL else { throw SpeedscopeViolation.wrongSchemaURL(schema) }
        guard !profiles.isEmpty else { throw SpeedscopeViolation.noProfiles }
        if let active = activeProfileIndex, !isIndex(active, below: profiles.count) {
            throw SpeedscopeViolation.activeProfileOutOfRange(active)
        }
        for (number, profile) in profiles.enumerated() {
            switch profile {
            case .sampled(let sampled): try check(sampled, number: number)
            case .evented(let evented): try check(evented, number: number)
            }
        }
    }

    private func check(_ profile: SampledProfile, number: Int) throws {
        guard profile.startValue <= profile.endValue else {
            throw SpeedscopeViolation.startAfterEnd(profile: number, start: profile.startValue, end: profile.endValue)
        }
        guard profile.samples.count == profile.weights.count else {
            throw SpeedscopeViolation.weightCountMismatch(profile: number, samples: profile.samples.count, weights: profile.weights.count)
        }
        if let negative = profile.weights.first(where: { $0 < 0 }) {
            throw SpeedscopeViolation.negativeWeight(profile: number, weight: negative)
        }
        for stack in profile.samples {
            if let bad = stack.first(where: { !isIndex($0, below: shared.frames.count) }) {
                throw SpeedscopeViolation.frameIndexOutOfRange(profile: number, index: bad)
            }
        }
    }

    private func check(_ profile: EventedProfile, number: Int) throws {
        guard profile.startValue <= profile.endValue else {
            throw SpeedscopeViolation.startAfterEnd(profile: number, start: profile.startValue, end: profile.endValue)
        }
        var open: [Double] = []
        var last = profile.startValue
        for event in profile.events {
            guard isIndex(event.frame, below: shared.frames.count) else {
                throw SpeedscopeViolation.frameIndexOutOfRange(profile: number, index: event.frame)
            }
            guard event.at >= last, event.at <= profile.endValue else {
                throw SpeedscopeViolation.eventOutOfOrder(profile: number, at: event.at)
            }
            last = event.at
            switch event.type {
            case .open: open.append(event.frame)
            case .close:
                guard open.popLast() == event.frame else { throw SpeedscopeViolation.unbalancedEvents(profile: number) }
            }
        }
        guard open.isEmpty else { throw SpeedscopeViolation.unbalancedEvents(profile: number) }
    }

    /// JSON has only numbers: an index must be a whole number in `0..<count`.
    private func isIndex(_ value: Double, below count: Int) -> Bool {
        value >= 0 && value < Double(count) && value.rounded(.towardZero) == value
    }
}
