import CSV
import ParallelRunner
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

extension BandRow {
    /// The columns of a row in bands.csv and difference.csv, after any leading ones.
    package static let csvColumns = ["market", "segment", "metric", "year", "stat", "value", "unit"]

    /// The statistics of a band beside its percentiles, in the order written.
    package static let momentStats = ["mean", "sd", "se"]

    /// `rows` as CSV lines, each with `leading` first, formatted in runs on `threads` threads.
    package static func csvLines(_ rows: [BandRow], leading: [String] = [], threads: Int) -> String {
        parallelText(rows.indices, threads: threads) { run in
            rows[run].map { row in
                CSV.line(leading + [row.key.market, row.key.segment, row.key.metric.rawValue, String(row.year), row.stat, CSV.number(row.value), row.unit])
            }.joined()
        }
    }
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
    /// comparison's: `PairedComparison.segmentScale`). `computed`: the statistics' bands already
    /// computed (`seriesBands(_:series:threads:)`), else those the rows need are computed on `settings.threads` threads.
    public func bands(_ statistics: StatisticsAccumulator, units: UnitSystem = .roadmap, ratio: Bool = false, statPrefix: String = "",
                      years: Set<Int>? = nil, segment: String? = nil,
                      segmentScale: ((SeriesCatalog.ReportedSeries, _ year: Int) -> Double?)? = nil,
                      computed: SeriesBands? = nil) -> [BandRow] {
        precondition(!ratio || scaledValues.isEmpty, "ratio bands need every value tracked")
        let catalog = setup.catalog
        // Segments and values with a fixed price are scaled from their source's statistics.
        var sources: [(key: SeriesKey, year: Int, source: TrackedSeriesIndex, scale: Double, unit: String)] = []
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
                sources.append((series.key, year, t, scale, unit))
            }
        }
        let read = computed ?? self.seriesBands(statistics, series: sources.map(\.source), threads: settings.threads)
        var rows: [BandRow] = []
        rows.reserveCapacity(sources.count * (settings.percentiles.count + 3))
        for (key, year, t, scale, unit) in sources {
            let band = read[t]
            for (p, q) in zip(settings.percentiles, band.percentiles) {
                rows.append(BandRow(key: key, year: year, stat: statPrefix + percentileLabel(p), value: q.value * scale, unit: unit))
            }
            for (stat, moment) in zip(BandRow.momentStats, [band.mean, band.standardDeviation, band.standardError]) {
                rows.append(BandRow(key: key, year: year, stat: statPrefix + stat, value: moment * scale, unit: unit))
            }
        }
        return rows
    }

    /// The band statistics of `series` in `statistics` (by default every tracked series), each
    /// computed once, on `threads` threads.
    public func seriesBands(_ statistics: StatisticsAccumulator, series: [TrackedSeriesIndex]? = nil, threads: Int) -> SeriesBands {
        let wanted = Array(Set(series ?? statistics.layout.seriesIndices)).sorted()
        let probabilities = settings.percentiles.map { $0 / 100 }
        let bands = parallelMap(wanted.indices, threads: threads) { i in
            let t = wanted[i]
            return SeriesBands.Band(percentiles: statistics.quantiles(series: t, probabilities: probabilities), mean: statistics.mean(series: t),
                                    standardDeviation: statistics.standardDeviation(series: t), standardError: statistics.standardError(series: t))
        }
        return SeriesBands(bands: Dictionary(uniqueKeysWithValues: zip(wanted, bands)))
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

/// The band statistics of tracked series, each computed once: the bands of segments and of values
/// with a fixed price scale their source's.
public struct SeriesBands: Sendable {
    public struct Band: Sendable {
        /// In the study's percentile order.
        public var percentiles: [QuantileEstimate]
        public var mean: Double
        public var standardDeviation: Double
        public var standardError: Double
    }

    private let bands: [TrackedSeriesIndex: Band]

    init(bands: [TrackedSeriesIndex: Band]) { self.bands = bands }

    /// The band of a series computed.
    subscript(series: TrackedSeriesIndex) -> Band {
        guard let band = bands[series] else { preconditionFailure("series \(series.position) has no band computed") }
        return band
    }

    /// Percentile estimates not guaranteed within 0.1 %: those interpolating across zero (reported, not hidden).
    public var unresolvedPercentiles: Int {
        bands.values.reduce(0) { total, band in total + band.percentiles.filter { !$0.isWithinResolution }.count }
    }
}
