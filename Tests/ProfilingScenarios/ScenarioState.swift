/// The switches the scenario routes share with the test that drives them.
///
/// Every harness registers the same routes, with the profiling middleware installed first:
/// - `plain` answers `plain body`; `users/:id` answers `user <id>`; `files/**` answers `file ...`
/// - `async` runs `alphaHandlerWork`; `sync` a non-async closure running `syncHandlerWork`;
///   `after-await` awaits a sleep, then `afterAwaitWork`; `grouped` sits behind a route-group
///   middleware that awaits, then runs `groupMiddlewareWork`, and the handler awaits, then runs
///   `afterAwaitWork`; `fails` throws a 418 error; `crashes` throws a
///   ``ScenarioFailure`` (500); Vapor also has `future` (`futureHandlerWork`)
/// - `alpha` runs `alphaHandlerWork`, then sets `alphaDone`; `beta` sets `betaStarted` and runs
///   `betaHandlerWork` until `alphaDone`; `gate` sets `gateEntered` and waits for `gateOpen`.
public struct ScenarioState: Sendable {
    public let betaStarted = Flag()
    public let alphaDone = Flag()
    public let gateEntered = Flag()
    public let gateOpen = Flag()

    public init() {}
}
