import CSV
import Foundation
import RoadmapModel
import Scenario
import StreamingStatistics

/// A condition on one series in one year, such as "reduction total 2060 >= 4.34": a target whose
/// probability a study counts exactly, sample by sample (not from the histogram), or the samples
/// `discover` looks for.
public struct TargetCondition: Sendable, Equatable, CustomStringConvertible {
    /// How a sample's value must compare with the threshold to count.
    public enum Comparison: String, Sendable, CaseIterable {
        case less = "<", atMost = "<=", greater = ">", atLeast = ">="

        func holds(_ value: Double, _ threshold: Double) -> Bool {
            switch self {
            case .less: value < threshold
            case .atMost: value <= threshold
            case .greater: value > threshold
            case .atLeast: value >= threshold
            }
        }

        /// Whether it asks for values above the threshold (an exceedance), not below.
        public var isUpper: Bool { self == .greater || self == .atLeast }
    }

    public var metric: Metric
    public var market: String
    public var segment: String
    public var year: Int
    public var comparison: Comparison
    /// In the roadmap's units (those of bands.csv by default).
    public var threshold: Double

    /// Refuses a target given twice (equal after parsing: `>= 3` and `>=3.0`), which would be counted
    /// and printed twice as if two had been asked.
    static func checkNoRepeat(_ targets: [TargetCondition]) throws(StudyError) {
        if let k = targets.indices.first(where: { targets[..<$0].contains(targets[$0]) }) {
            throw StudyError(.target, "'\(targets[k].text)': given twice; give each target once")
        }
    }

    public static let grammar = "METRIC MARKET [SEGMENT] YEAR OP NUMBER, e.g. \"reduction total 2060 >= 4.34\" (OP one of <, <=, >, >=; NUMBER in roadmap units)"

    /// Parses `text` (spaces around OP optional; a refusal is a `StudyError` about `subject`), whose metric must be one of
    /// `metrics` (default: those with bands); the message names what was expected.
    public init(parsing text: String, subject: StudyError.Subject = .target, metrics allowed: [Metric]? = nil) throws(StudyError) {
        func refuse(_ problem: String) -> StudyError {
            StudyError(subject, "'\(text)': \(problem); expected \(Self.grammar)")
        }
        guard let opStart = text.firstIndex(where: { $0 == "<" || $0 == ">" }) else { throw refuse("no comparison operator") }
        var opEnd = text.index(after: opStart)
        if opEnd < text.endIndex && text[opEnd] == "=" { opEnd = text.index(after: opEnd) }
        guard let comparison = Comparison(rawValue: String(text[opStart..<opEnd])) else { throw refuse("no comparison operator") }
        let fields = text[..<opStart].split(whereSeparator: \.isWhitespace).map(String.init)
        let number = text[opEnd...].trimmingCharacters(in: .whitespaces)
        guard fields.count == 3 || fields.count == 4 else { throw refuse("\(fields.count) words before the operator") }
        let metrics = allowed ?? Metric.allCases.filter { MonteCarloStudy.trackedMetrics.contains($0) }
        guard let metric = Metric(rawValue: fields[0]), metrics.contains(metric) else {
            throw refuse("metric '\(fields[0])' is not one of \(metrics.map(\.rawValue).joined(separator: ", "))")
        }
        guard let year = Int(fields[fields.count - 1]) else { throw refuse("year '\(fields[fields.count - 1])' is not a whole number") }
        let threshold: Double
        do { threshold = try DecimalNumber.parse(number) } catch { throw refuse("threshold \(error)") }
        self.metric = metric
        market = fields[1]
        segment = fields.count == 4 ? fields[2] : Names.all
        self.year = year
        self.comparison = comparison
        self.threshold = threshold
    }

    /// The canonical text, which parses back to the same condition (stored in manifests): the
    /// threshold as `DecimalNumber.text` writes it, -0 as 0 (the same condition).
    public var text: String {
        "\(SeriesKey(market: market, segment: segment, metric: metric).name(year: year)) \(comparison.rawValue) \(DecimalNumber.text(threshold == 0 ? 0 : threshold))"
    }

    public var description: String { text }

    public var key: SeriesKey { SeriesKey(market: market, segment: segment, metric: metric) }

    /// The `samples.csv` column of the series (markets' totals only: segments are not saved there).
    package var sampleColumn: String { "\(metric.rawValue)_\(market)_\(year)" }

    /// Whether `value` meets the condition (never a non-finite one).
    public func holds(_ value: Double) -> Bool { value.isFinite && comparison.holds(value, threshold) }
}

/// How many samples met a target, of those with a finite value of its series.
public struct TargetCount: Sendable, Equatable {
    public var met: UInt64 = 0
    public var evaluated: UInt64 = 0

    public init(met: UInt64 = 0, evaluated: UInt64 = 0) {
        self.met = met
        self.evaluated = evaluated
    }

    /// Wrapping: within a study the sums stay below the sample count; only a rejected file could wrap.
    mutating func add(_ other: TargetCount) {
        met &+= other.met
        evaluated &+= other.evaluated
    }

    /// Counts the finite values of `values` (times `scale`) and those meeting `condition`.
    mutating func count(_ values: UnsafePointer<Double>, count n: Int, scale: Double, condition: TargetCondition) {
        for i in 0..<n {
            let value = values[i] * scale
            guard value.isFinite else { continue }
            evaluated += 1
            if condition.holds(value) { met += 1 }
        }
    }

    /// met / evaluated with its 95 % Wilson score interval; NaN when nothing was evaluated.
    public var probability: (estimate: Double, lower: Double, upper: Double) {
        guard evaluated > 0 else { return (.nan, .nan, .nan) }
        let interval = wilsonInterval(successes: met, trials: evaluated)
        return (Double(met) / Double(evaluated), interval.lower, interval.upper)
    }
}

/// The Wilson score interval for a binomial proportion (E. B. Wilson, JASA 22 (1927) 209–212, in the
/// form of Brown, Cai and DasGupta, Statistical Science 16 (2001) 101–133):
/// (p̂ + z²/2n ± z √(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n). It keeps within [0, 1] and stays honest
/// near 0 and 1, where the normal approximation's interval does not. Default z: 95 %.
func wilsonInterval(successes: UInt64, trials: UInt64, z: Double = 1.959963984540054) -> (lower: Double, upper: Double) {
    guard trials > 0 else { return (.nan, .nan) }
    let n = Double(trials), p = Double(min(successes, trials)) / n, z2 = z * z
    let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / (1 + z2 / n)
    return (max(0, centre - half), min(1, centre + half))
}

extension MonteCarloStudy {
    /// A target located in the study's tracked series: its values are the series' times `scale`.
    public struct ResolvedTarget: Sendable {
        public var condition: TargetCondition
        package var series: TrackedSeriesIndex
        package var scale: Double
    }

    /// Locates each target; the message names the target and what the scenario has.
    static func resolve(_ targets: [TargetCondition], setup: ModelSetup, source: (SeriesCatalog.ReportedSeries, Int) -> (series: TrackedSeriesIndex, scale: Double)?) throws(StudyError) -> [ResolvedTarget] {
        let catalog = setup.catalog
        try TargetCondition.checkNoRepeat(targets)
        return try targets.map { target throws(StudyError) in
            func refuse(_ problem: String) -> StudyError { StudyError(.target, "'\(target.text)': \(problem)") }
            guard let reported = catalog.reported.first(where: { $0.key == target.key }) else {
                let markets = setup.scenario.markets.map(\.name) + [Names.total]
                guard markets.contains(target.market) else { throw refuse("market '\(target.market)' is not one of \(markets.joined(separator: ", "))") }
                let segments = catalog.reported.filter { $0.key.market == target.market && $0.key.metric == target.metric }.map(\.key.segment)
                throw refuse("segment '\(target.segment)' of \(target.market) is not one of \(segments.joined(separator: ", "))")
            }
            guard let y = catalog.years.firstIndex(of: target.year) else {
                throw refuse("year \(target.year) outside \(catalog.years[0])...\(catalog.years[catalog.years.count - 1])")
            }
            guard let (series, scale) = source(reported, y) else {
                throw refuse("this run has no bands of it (a metric without bands, or outside --metrics, --markets, --years)")
            }
            return ResolvedTarget(condition: target, series: series, scale: scale)
        }
    }
}
