import RoadmapModel
import StreamingStatistics
import UncertaintyStudy

/// One statistic of one series in one year.
public struct BandRow: Sendable, Equatable {
    public var key: SeriesKey
    public var year: Int
    public var stat: String
    public var value: Double
    public var unit: String
}

/// `p5`, `p25`, `p2.5`: the column name of a percentile.
package func percentileLabel(_ percent: Double) -> String {
    percent == percent.rounded() ? "p\(Int(percent))" : "p\(percent)"
}

extension MonteCarloStudy {
    /// The band statistics of every reported series in the focus (segments scaled from their market by the
    /// fixed share, values with a fixed price from their sales; or those of `segment` only) and every
    /// year (or those of `years`), in catalog order.
    public func bands(_ state: StudyState, units: UnitSystem = .roadmap, years: Set<Int>? = nil, segment: String? = nil) -> [BandRow] {
        bands(state.statistics, units: units, years: years, segment: segment)
    }

    /// The band statistics of accumulated values of the tracked series. `ratio`: the values are
    /// ratios of two such series, unitless, and a segment's ratio is its market's (so no value may be
    /// scaled from sales: see `scalingValues`). `segmentScale`, where given, is what a market
    /// segment's row in a year scales its market's by, nil to leave the row out (a paired
    /// comparison's: `PairedComparison.segmentScale`).
    public func bands(_ statistics: StatisticsAccumulator, units: UnitSystem = .roadmap, ratio: Bool = false, statPrefix: String = "",
                      years: Set<Int>? = nil, segment: String? = nil,
                      segmentScale: ((SeriesCatalog.ReportedSeries, _ year: Int) -> Double?)? = nil) -> [BandRow] {
        precondition(!ratio || scaledValues.isEmpty, "ratio bands need every value tracked")
        let catalog = setup.catalog
        let probabilities = settings.percentiles.map { $0 / 100 }
        var rows: [BandRow] = []
        for series in catalog.reported where Self.trackedMetrics.contains(series.key.metric) && settings.focus.includes(series.key)
                                          && segment.map({ $0 == series.key.segment }) ?? true {
            let factor = ratio ? 1 : units.factor(series.key.metric), unit = ratio ? "1" : units.unit(series.key.metric)
            for (y, year) in catalog.years.enumerated() where settings.focus.includes(year: year) && years?.contains(year) ?? true {
                guard let (t, share) = trackedSource(of: series, year: y) else { continue }
                let scale: Double
                if let segmentScale, series.shares != nil {
                    guard let segmentShare = segmentScale(series, y) else { continue }
                    scale = factor * segmentShare
                } else {
                    scale = factor * (ratio ? 1 : share)
                }
                let quantiles = statistics.quantiles(series: t, probabilities: probabilities)
                for (p, q) in zip(settings.percentiles, quantiles) {
                    rows.append(BandRow(key: series.key, year: year, stat: statPrefix + percentileLabel(p), value: q.value * scale, unit: unit))
                }
                rows.append(BandRow(key: series.key, year: year, stat: statPrefix + "mean", value: statistics.mean(series: t) * scale, unit: unit))
                rows.append(BandRow(key: series.key, year: year, stat: statPrefix + "sd", value: statistics.standardDeviation(series: t) * scale, unit: unit))
                rows.append(BandRow(key: series.key, year: year, stat: statPrefix + "se", value: statistics.standardError(series: t) * scale, unit: unit))
            }
        }
        return rows
    }

    /// Percentile estimates not guaranteed within 0.1 %: those interpolating across zero (reported, not hidden).
    package func unresolvedPercentiles(_ state: StudyState) -> Int {
        let probabilities = settings.percentiles.map { $0 / 100 }
        return layout.seriesIndices.reduce(0) { total, t in
            total + state.statistics.quantiles(series: t, probabilities: probabilities).filter { !$0.isWithinResolution }.count
        }
    }

    /// Samples with a non-finite value in at least one tracked series (each left out of that
    /// series' bands and moments).
    public func nonFiniteSamples(_ state: StudyState) -> UInt64 {
        state.statistics.nonFiniteSamples
    }

    /// Median, P5, P95 and mean of the horizon-year reduction per market and total, roadmap units.
    package func headlineFigures(_ statistics: StatisticsAccumulator, indices: [TrackedSeriesIndex]) -> [(market: String, p5: Double, median: Double, p95: Double, mean: Double)] {
        zip(headline, indices).map { series, t in
            let q = statistics.quantiles(series: t, probabilities: [0.05, 0.5, 0.95]).map(\.value)
            return (series.key.market, q[0], q[1], q[2], statistics.mean(series: t))
        }
    }

    /// The headline from a full state.
    package func headlineFigures(_ state: StudyState) -> [(market: String, p5: Double, median: Double, p95: Double, mean: Double)] {
        headlineFigures(state.statistics, indices: headlineIndices)
    }

    /// The headline at each convergence boundary, from the headline-only accumulators.
    package func convergenceFigures(_ state: StudyState) -> [(samples: Int, figures: [(market: String, p5: Double, median: Double, p95: Double, mean: Double)])] {
        zip(convergenceChunks, state.convergence).map { boundary, statistics in
            (samples(beforeChunk: boundary), headlineFigures(statistics, indices: headlineLayout.seriesIndices))
        }
    }
}
