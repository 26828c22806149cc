/// Identifies one reported time series.
public struct SeriesKey: Hashable, Sendable, CustomStringConvertible {
    /// A market of the scenario by its name, or `Names.total` for their sum.
    public var market: String
    /// A segment of the market by its name, or `Names.all` for the whole market.
    public var segment: String
    public var metric: Metric

    public init(market: String, segment: String = Names.all, metric: Metric) {
        self.market = market
        self.segment = segment
        self.metric = metric
    }

    public var description: String { "\(market)/\(segment)/\(metric.rawValue)" }

    /// The series in `year` as a target condition names it: `reduction heating 2060`, a segment after its market.
    public func name(year: Int) -> String {
        "\(metric.rawValue) \(market)\(segment == Names.all ? "" : " \(segment)") \(year)"
    }
}

/// A computed series: its place in the catalog and, by `SeriesCatalog.outputOffset`, in a kernel's outputs.
public struct SeriesIndex: Hashable, Comparable, Sendable {
    /// Position in `SeriesCatalog.computed`.
    public let position: Int

    init(_ position: Int) { self.position = position }

    public static func < (a: SeriesIndex, b: SeriesIndex) -> Bool { a.position < b.position }
}

/// The series the kernel computes, how each is made, and those derived from them by a fixed share:
/// the one plan the kernel, the statistics' staging and the comparison read.
///
/// A market's segment splits are deterministic shares of the market's own series, so a
/// segment's band is its market's band times the share: the kernel computes only markets,
/// the total, and the total's segments (which mix markets with different shares).
public struct SeriesCatalog: Sendable {
    public let years: [Int]
    /// Series the kernel writes, `years.count` values each, in this order.
    public let computed: [SeriesKey]
    /// Per computed series: nil for a market's own (its block of `Metric.row`s, see
    /// `marketSeries`), or the weighted sum of markets' series it is added up from, in order.
    let sums: [[SumTerm]?]
    /// Every reported series: which computed series it scales, and by what share each year.
    public let reported: [ReportedSeries]

    /// One series of the outputs, made from a computed one.
    public struct ReportedSeries: Sendable {
        public var key: SeriesKey
        public var source: SeriesIndex
        /// Share per year; nil when the series is reported as computed.
        public var shares: [Double]?
    }

    /// One term of a total: a market's series, weighted per year (nil: by 1).
    struct SumTerm: Sendable {
        var series: SeriesIndex
        var weights: [Double]?
    }

    /// The computed series of `key`; nil when the kernel computes no such series.
    public func computedIndex(of key: SeriesKey) -> SeriesIndex? { computed.firstIndex(of: key).map(SeriesIndex.init) }

    /// Every computed series, in order.
    public var seriesIndices: [SeriesIndex] { computed.indices.map(SeriesIndex.init) }

    public subscript(series series: SeriesIndex) -> SeriesKey { computed[series.position] }

    /// Where year `year` (an index into `years`) of `series` starts in the outputs of a kernel of
    /// `lanes` lanes: `lanes` values, one per lane (see `ModelKernel.outputs`).
    public func outputOffset(_ series: SeriesIndex, year: Int, lanes: Int) -> Int { (series.position * years.count + year) * lanes }

    /// The computed series of market `m`'s `metric`: markets come first, a block of rows each.
    static func marketSeries(_ m: Int, _ metric: Metric) -> SeriesIndex { SeriesIndex(m * Metric.byRow.count + metric.row) }

    /// How one year of a total series is added up from the markets' series: the total's metrics
    /// are the markets' sums, a total segment's the markets' weighted by their shares in the
    /// segment. The terms come market by market, and `FusedLanes.weightedSum` of them gives the
    /// kernel's bits. Nil for a market's own series.
    public func totalTerms(computed series: SeriesIndex, year: Int) -> [(computed: SeriesIndex, weight: Double)]? {
        sums[series.position].map { terms in terms.map { ($0.series, $0.weights?[year] ?? 1) } }
    }
}

extension SeriesCatalog {
    /// Markets in scenario order, then the total; each with every metric in row order; then the total's segments.
    init(scenario: Scenario, totalSegments: [String]) {
        years = Array(scenario.years)
        let metrics = Metric.byRow, markets = scenario.markets
        let groups = markets.map(\.name) + [Names.total]
        var computed = groups.flatMap { group in metrics.map { SeriesKey(market: group, metric: $0) } }
        // The total's block is the last group's, after every market's (by place, not by name).
        var sums: [[SumTerm]?] = computed.indices.map { c in
            c / metrics.count == markets.count ? markets.indices.map { SumTerm(series: Self.marketSeries($0, metrics[c % metrics.count]), weights: nil) } : nil
        }
        let years = self.years
        func shares(_ segment: Segment, _ metric: Metric) -> [Double] {
            years.map { interpolateLinear(metric == .value ? segment.valueShare : segment.reductionShare, at: $0) }
        }
        for segment in totalSegments {
            for metric in metrics where metric.hasSegments {
                computed.append(SeriesKey(market: Names.total, segment: segment, metric: metric))
                sums.append(markets.indices.map { m in
                    SumTerm(series: Self.marketSeries(m, metric), weights: shares(markets[m].segments.first { $0.name == segment }!, metric))
                })
            }
        }
        var reported = computed.enumerated().map { ReportedSeries(key: $1, source: SeriesIndex($0), shares: nil) }
        for (m, market) in markets.enumerated() {
            for segment in market.segments {
                for metric in metrics where metric.hasSegments {
                    reported.append(ReportedSeries(key: SeriesKey(market: market.name, segment: segment.name, metric: metric),
                                                   source: Self.marketSeries(m, metric), shares: shares(segment, metric)))
                }
            }
        }
        self.computed = computed
        self.sums = sums
        self.reported = reported
    }
}

import Scenario
