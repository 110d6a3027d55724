/// CPU-bound work for the demo's `/cpu` route: counting primes by trial division keeps one
/// core busy in a handful of small, clearly named functions, so the report shows a deep,
/// easy-to-read stack where all the time is on the CPU.
public enum PrimeCounter {
    /// Counts the primes below `limit` the slow way.
    public static func countPrimes(below limit: Int) -> Int {
        var count = 0
        var candidate = 2
        while candidate < limit {
            if isPrime(candidate) { count += 1 }
            candidate += 1
        }
        return count
    }

    /// Trial division up to the square root; deliberately not a sieve.
    @inline(never)
    public static func isPrime(_ value: Int) -> Bool {
        if value < 4 { return value >= 2 }
        if value % 2 == 0 { return false }
        var divisor = 3
        while divisor * divisor <= value {
            if value % divisor == 0 { return false }
            divisor += 2
        }
        return true
    }
}
