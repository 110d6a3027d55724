/// One frame's value (a time) in every request of a set, held only for the requests the frame
/// appeared in: in the others it is 0. A set of 2,000 requests of 2,000 distinct frames each
/// held 2,000 values for each of its 4 million frames, nearly all of them 0, and the
/// statistics read each of them six times (5e10 reads); held sparsely, the statistics of a set
/// read each request's own frames once.
struct RequestValues {
    /// The values of the requests the frame appeared in, in request order (0 where it
    /// appeared but the value is of another frame, as a caller's self time).
    var listed: [UInt64]
    /// Requests in the set, listed or not.
    var requestCount: Int

    init(listed: [UInt64], requestCount: Int) {
        self.listed = listed
        self.requestCount = requestCount
    }

    /// Every request's value given.
    init(_ values: [UInt64]) {
        self.init(listed: values, requestCount: values.count)
    }

    /// Requests not listed, whose value is 0.
    var unlisted: Int { requestCount - listed.count }

    /// The sum, held at `UInt64.max` (see `saturatingSum`).
    var sum: UInt64 { listed.saturatingSum() }

    /// The mean over every request; 0 for none. The unlisted add nothing but their count, so
    /// the result is the one of the dense array, bit for bit.
    var mean: Double {
        requestCount == 0 ? 0 : listed.reduce(0.0) { $0 + Double($1) } / Double(requestCount)
    }

    /// s²/n, the variance of the mean; 0 for a single value. Each unlisted request adds m²
    /// to the squares, all of them in one product.
    var varianceOfMean: Double {
        guard requestCount > 1 else { return 0 }
        let m = mean
        let squares = listed.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } + Double(unlisted) * m * m
        return squares / Double(requestCount - 1) / Double(requestCount)
    }

    /// The `fraction` percentile (see ``Percentile``) of every request's value: sorted, the
    /// unlisted come first, so only the listed are sorted.
    func percentile(_ fraction: Double) -> UInt64 {
        Percentile.of(sortedListed: listed.sorted(), zeros: unlisted, fraction)
    }
}
