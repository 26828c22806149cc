#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import StreamingStatistics

/// SplitMix64 (Steele, Lea & Flood 2014): a small, fully reproducible generator for test data.
struct TestRandom: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on (0, 1).
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    /// Standard normal by Box–Muller.
    mutating func normal() -> Double {
        (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
    }

    /// Lognormal: exp(σ · standard normal).
    mutating func lognormal(sigma: Double) -> Double { exp(sigma * normal()) }

    mutating func values(_ count: Int, _ draw: (inout TestRandom) -> Double) -> [Double] {
        (0..<count).map { _ in draw(&self) }
    }
}

/// Sample quantile of type 7 in Hyndman & Fan (1996), "Sample quantiles in statistical packages",
/// The American Statistician 50(4): x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]) with h = (n − 1)p.
func exactQuantile(sorted: [Double], probability: Double) -> Double {
    let h = Double(sorted.count - 1) * probability
    let below = Int(h.rounded(.down))
    guard below + 1 < sorted.count else { return sorted[below] }
    return sorted[below] + (h - Double(below)) * (sorted[below + 1] - sorted[below])
}

/// Neumaier-compensated sum: the reference for means and variances.
func compensatedSum(_ values: [Double]) -> Double {
    var sum = 0.0, compensation = 0.0
    for value in values {
        let t = sum + value
        compensation += abs(sum) >= abs(value) ? (sum - t) + value : (value - t) + sum
        sum = t
    }
    return sum + compensation
}

/// Two-pass mean and sample standard deviation with compensated sums (Chan, Golub & LeVeque 1983).
func twoPassReference(_ values: [Double]) -> (mean: Double, standardDeviation: Double) {
    let mean = compensatedSum(values) / Double(values.count)
    let deviations = values.map { $0 - mean }
    let correction = compensatedSum(deviations)
    let squares = compensatedSum(deviations.map { $0 * $0 })
    let n = Double(values.count)
    return (mean + correction / n, ((squares - correction * correction / n) / (n - 1)).squareRoot())
}

/// Feeds `values` of one series to `accumulator` in chunks of `chunkSize`, in the given chunk order.
func add(_ values: [Double], series: Int, chunkSize: Int, chunkOrder: [Int]? = nil,
         to accumulator: inout StatisticsAccumulator) {
    let chunkCount = (values.count + chunkSize - 1) / chunkSize
    for chunk in chunkOrder ?? Array(0..<chunkCount) {
        let range = chunk * chunkSize..<min((chunk + 1) * chunkSize, values.count)
        values[range].withUnsafeBufferPointer { accumulator.add(series: TrackedSeriesIndex(series), values: $0) }
    }
}

/// An accumulator over one series holding `values`, with the range given or taken from the data.
func singleSeries(_ values: [Double], range: SeriesRange? = nil, chunkSize: Int = 1024) throws -> StatisticsAccumulator {
    let finite = values.filter(\.isFinite)
    let range = range ?? SeriesRange(lower: finite.min() ?? 0, upper: finite.max() ?? 0)
    var accumulator = try StatisticsAccumulator(layout: HistogramLayout(ranges: [range]))
    add(values, series: 0, chunkSize: chunkSize, to: &accumulator)
    return accumulator
}

/// Relative error, with `scale` guarding against division by values near zero.
func relativeError(_ estimate: Double, _ exact: Double, scale: Double? = nil) -> Double {
    abs(estimate - exact) / (scale ?? abs(exact))
}
