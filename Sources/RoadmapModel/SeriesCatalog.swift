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
}

/// The series the kernel computes, and those derived from them by a fixed share.
///
/// A market's segment splits are deterministic shares of the market's own series, so a
/// segment's band is its market's band times the share: the kernel computes only markets,
/// the total, and the total's segments (which mix markets with different shares).
public struct SeriesCatalog: Sendable {
    public let years: [Int]
    /// Series the kernel writes, `years.count` values each, in this order.
    public let computed: [SeriesKey]
    /// Every reported series: which computed series it scales, and by what share each year.
    public let reported: [ReportedSeries]

    public struct ReportedSeries: Sendable {
        public var key: SeriesKey
        public var source: Int
        /// Share per year; nil when the series is reported as computed.
        public var shares: [Double]?
    }

    public func computedIndex(of key: SeriesKey) -> Int? { computed.firstIndex(of: key) }
}

extension SeriesCatalog {
    /// Markets in scenario order, then the total; each with every metric; then the total's segments.
    init(scenario: Scenario, totalSegments: [String]) {
        years = Array(scenario.years)
        let groups = scenario.markets.map(\.name) + [Names.total]
        var computed = groups.flatMap { group in Metric.allCases.map { SeriesKey(market: group, metric: $0) } }
        for segment in totalSegments {
            for metric in Metric.allCases where metric.hasSegments {
                computed.append(SeriesKey(market: Names.total, segment: segment, metric: metric))
            }
        }
        var reported = computed.enumerated().map { ReportedSeries(key: $1, source: $0, shares: nil) }
        for (m, market) in scenario.markets.enumerated() {
            for segment in market.segments {
                for metric in Metric.allCases where metric.hasSegments {
                    let anchors = metric == .value ? segment.valueShare : segment.reductionShare
                    reported.append(ReportedSeries(
                        key: SeriesKey(market: market.name, segment: segment.name, metric: metric),
                        source: m * Metric.allCases.count + Metric.allCases.firstIndex(of: metric)!,
                        shares: years.map { interpolateLinear(anchors, at: $0) }))
                }
            }
        }
        self.computed = computed
        self.reported = reported
    }
}

import Scenario
