/// One frame's times in a set of requests with the sampling interval each request was
/// profiled at, for the noise rule: a request's sampling error grows with its own interval,
/// not with the coarsest of the set. One report of 10 ms among fifty of 0.1 ms made every
/// change under 10 ms per request noise.
struct SampledTimes {
    var values: RequestValues
    /// The sampling interval of each listed request, in the order of `values.listed`.
    var listedIntervals: [UInt64]
    /// The mean sampling interval over every request of the set, listed or not (0 for none).
    var meanInterval: Double

    /// The variance of the mean that sampling alone adds: a request's estimate of `time` has
    /// variance about `interval × time`, so the mean's is Σ intervalᵢ × timeᵢ / n²
    /// (`interval × m / n` when every request has the same interval).
    var samplingVarianceOfMean: Double {
        let count = Double(max(values.requestCount, 1))
        return zip(values.listed, listedIntervals).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } / count / count
    }
}
