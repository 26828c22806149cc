import Foundation
import RoadmapModel
import Scenario

/// What a run tracks and writes: some metrics, markets (a market's segments come with it, the
/// total's with the total) and years; nil: all of them. Each focused band equals the same row of a
/// full run bit for bit when no sample is non-finite. A sample is left out for a non-finite value
/// among the series the run tracks, so a focused run keeps a sample that a full run leaves out for
/// a non-finite value outside the focus (the kernel does not compute those series at all).
public struct StudyFocus: Sendable, Equatable, Codable {
    /// Metric names, in `Metric.allCases` order.
    public private(set) var metrics: [String]?
    /// Market names (`total` for the total), sorted.
    public private(set) var markets: [String]?
    /// Calendar years, ascending.
    public private(set) var years: [Int]?

    public static let all = StudyFocus()

    public init(metrics: Set<Metric>? = nil, markets: [String]? = nil, years: Set<Int>? = nil) {
        self.metrics = metrics.map { set in Metric.allCases.filter(set.contains).map(\.rawValue) }
        self.markets = markets.map { Set($0).sorted() }
        self.years = years.map { $0.sorted() }
    }

    public var isAll: Bool { self == .all }

    /// Metric names `--metrics` accepts: those with bands.
    package static var metricNames: [String] { Metric.allCases.filter(MonteCarloStudy.trackedMetrics.contains).map(\.rawValue) }

    /// `--metrics sales,reduction`: names of metrics with bands.
    package static func parseMetrics(_ text: String) throws(StudyError) -> Set<Metric> {
        var metrics: Set<Metric> = []
        for name in try names(text, subject: .focusMetrics) {
            guard let metric = Metric(rawValue: name), MonteCarloStudy.trackedMetrics.contains(metric) else { throw unknownMetric(name) }
            metrics.insert(metric)
        }
        return metrics
    }

    private static func unknownMetric(_ name: String) -> StudyError {
        StudyError(.focusMetrics, "'\(name)' is not a metric with bands; give some of \(metricNames.joined(separator: ", "))")
    }

    /// `--markets heating,total`: names, checked against a scenario by `check(setup:)`.
    package static func parseMarkets(_ text: String) throws(StudyError) -> [String] { try names(text, subject: .focusMarkets) }

    /// What `--years` accepts, in `run` and `sensitivity` alike.
    public static let yearsGrammar = "all, a year, FIRST-LAST, or a comma-separated list of them, each year once"

    /// `--years`: nil for `all`, else the years named, ascending (years and ranges FIRST-LAST mixed;
    /// a year named twice is refused, as a likely typo), checked against a scenario by `checkYears`.
    /// A refusal is about `subject`: what the command means by the years.
    package static func parseYears(_ text: String, subject: StudyError.Subject = .focusYears) throws(StudyError) -> [Int]? {
        if text.trimmingCharacters(in: .whitespaces) == "all" { return nil }
        var years: Set<Int> = []
        for item in try items(text, subject: subject) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard (1...2).contains(bounds.count), let first = bounds[0], let last = bounds[bounds.count - 1] else {
                throw StudyError(subject, "'\(item)': write \(yearsGrammar)")
            }
            guard first <= last else { throw StudyError(subject, "'\(item)': the range runs backwards; write FIRST-LAST") }
            guard last - first < maximumYearSpan else { throw StudyError(subject, "'\(item)': a range spans fewer than \(maximumYearSpan) years") }
            for year in first...last where !years.insert(year).inserted { throw StudyError(subject, "\(year) is named twice") }
        }
        return years.sorted()
    }

    /// Refuses a year outside the scenario's `span` (ascending), naming the scenario and its years.
    package static func checkYears(_ years: [Int], span: [Int], scenario: String, subject: StudyError.Subject) throws(StudyError) {
        for year in years where !span.contains(year) {
            throw StudyError(subject, "\(year) is outside \(scenario)'s years; give years from \(span[0]) to \(span[span.count - 1])")
        }
    }

    /// Longer ranges cannot lie within a scenario's years; the cap keeps a mistyped range from filling memory.
    static let maximumYearSpan = 10_000

    private static func items(_ text: String, subject: StudyError.Subject) throws(StudyError) -> [String] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if items.contains(where: \.isEmpty) { throw StudyError(subject, "'\(text)' has an empty entry") }
        return items
    }

    /// The names of a list; one named twice is refused as a likely typo, as a year is.
    private static func names(_ text: String, subject: StudyError.Subject) throws(StudyError) -> [String] {
        let names = try items(text, subject: subject)
        var seen: Set<String> = []
        for name in names where !seen.insert(name).inserted { throw StudyError(subject, "'\(name)' is named twice") }
        return names
    }

    /// Checks the markets and years against the scenario's (and the metrics, which a focus read
    /// from a file may name wrongly); the message says what is allowed.
    public func check(setup: ModelSetup) throws(StudyError) {
        for metric in metrics ?? [] where !Self.metricNames.contains(metric) { throw Self.unknownMetric(metric) }
        let names = setup.scenario.markets.map(\.name) + [Names.total]
        for market in markets ?? [] where !names.contains(market) {
            throw StudyError(.focusMarkets, "'\(market)' is not a market of \(setup.scenario.name); give some of \(names.joined(separator: ", "))")
        }
        try Self.checkYears(years ?? [], span: setup.catalog.years, scenario: setup.scenario.name, subject: .focusYears)
    }

    /// Whether a reported series is in the focus (its metric and market; years apart).
    package func includes(_ key: SeriesKey) -> Bool {
        (metrics?.contains(key.metric.rawValue) ?? true) && (markets?.contains(key.market) ?? true)
    }

    package func includes(year: Int) -> Bool { years?.contains(year) ?? true }

    /// What the focus narrows, each with its list, e.g. `("metrics", .focusMetrics, "reduction")`:
    /// messages name it by `field`, a command by the option that sets its `subject`.
    public var narrowed: [(field: String, subject: StudyError.Subject, list: String)] {
        [("metrics", StudyError.Subject.focusMetrics, metrics?.joined(separator: ",")),
         ("markets", .focusMarkets, markets?.joined(separator: ",")), ("years", .focusYears, years?.map(String.init).joined(separator: ","))]
            .compactMap { field, subject, list in list.map { (field, subject, $0) } }
    }

    /// `metrics reduction; years 2030,2060`: what the focus keeps, for messages.
    public var description: String {
        isAll ? "all series" : narrowed.map { "\($0.field) \($0.list)" }.joined(separator: "; ")
    }
}
