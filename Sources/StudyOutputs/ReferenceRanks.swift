import CSV
import RoadmapModel
import Scenario
import UncertaintyStudy

/// Where an external figure falls within a run's distribution.
public struct ReferenceRank: Sendable {
    /// The reference row as read, every column kept.
    public var fields: [String: String]
    public var key: SeriesKey
    public var year: Int
    public var value: Double
    /// Percentage of samples at or below the figure.
    public var percentileRank: Double
    public var insideP5P95: Bool
}

/// Where each figure of a reference file falls in the study's bands (`rankReferences`).
public struct ReferenceComparison: Sendable {
    public var header: [String]
    public var ranks: [ReferenceRank]
    /// Rows not compared, with the reason (unlabelled figures, other scenarios, unbanded metrics).
    public var skipped: [(row: Int, reason: String)]
}

extension MonteCarloStudy {
    /// Reads a reference CSV (`scenario,market,segment,metric,year,value` and any extra columns) and
    /// ranks every figure of this study's scenario (or of `base`) within its band.
    public func rankReferences(_ text: String, file: String, state: StudyState) throws -> ReferenceComparison {
        let table: CSVTable
        do { table = try CSVTable(text: text) } catch { throw InputError(file: file, message: "\(error)") }
        let required = ["scenario", "market", "segment", "metric", "year", "value"]
        for name in required where table.column(name) == nil {
            throw InputError(file: file, message: "missing column '\(name)'; required: \(required.joined(separator: ","))")
        }
        let markets = Set(setup.scenario.markets.map(\.name) + [Names.total])
        var ranks: [ReferenceRank] = []
        var skipped: [(Int, String)] = []
        for (i, row) in table.rows.enumerated() {
            let line = i + 2
            let fields = Dictionary(uniqueKeysWithValues: zip(table.header, row))
            func field(_ name: String) -> String { fields[name, default: ""].trimmingCharacters(in: .whitespaces) }
            // The column is optional, and an empty cell is no status; any other must be one the file format knows.
            if !field("status").isEmpty {
                guard let status = ReferenceFigure.Status(rawValue: field("status")) else {
                    throw InputError(file: file, keyPath: "row \(line).status", message: "unknown status '\(field("status"))'; allowed: "
                                         + ReferenceFigure.Status.allCases.map(\.rawValue).joined(separator: ", ") + " (or an empty cell)")
                }
                if !status.isTarget {
                    skipped.append((line, "\(status.rawValue) in the source"))
                    continue
                }
            }
            guard field("scenario") == setup.scenario.name || field("scenario") == "base" else {
                skipped.append((line, "scenario \(field("scenario"))"))
                continue
            }
            if ["sales_share", "value_share"].contains(field("metric")) {
                skipped.append((line, "\(field("metric")) is a ratio, not a banded series"))
                continue
            }
            guard let metric = Metric(rawValue: field("metric")), Self.trackedMetrics.contains(metric) else {
                throw InputError(file: file, keyPath: "row \(line).metric", message: "unknown metric '\(field("metric"))'; known: \(Self.trackedMetrics.map(\.rawValue).sorted().joined(separator: ", "))")
            }
            guard markets.contains(field("market")) else {
                throw InputError(file: file, keyPath: "row \(line).market", message: "unknown market '\(field("market"))'; this run has \(markets.sorted().joined(separator: ", "))")
            }
            let key = SeriesKey(market: field("market"), segment: field("segment"), metric: metric)
            guard let reported = setup.catalog.reported.first(where: { $0.key == key }) else {
                throw InputError(file: file, keyPath: "row \(line).segment", message: "no series \(key) in this run")
            }
            guard let year = Int(field("year")), let y = setup.catalog.years.firstIndex(of: year),
                  let (t, share) = trackedSource(of: reported, year: y) else {
                throw InputError(file: file, keyPath: "row \(line).year", message: "'\(field("year"))' is not a year of this run")
            }
            let value: Double
            do { value = try DecimalNumber.parse(field("value")) } catch {
                throw InputError(file: file, keyPath: "row \(line).value", message: "\(error)")
            }
            if let unit = fields["unit"], !unit.isEmpty, unit != metric.roadmapUnit {
                throw InputError(file: file, keyPath: "row \(line).unit", message: "'\(unit)'; \(metric.rawValue) figures are compared in \(metric.roadmapUnit)")
            }
            let fraction = state.statistics.fractionAtOrBelow(series: t, value: value / share)
            let band = state.statistics.quantiles(series: t, probabilities: [0.05, 0.95]).map { $0.value * share }
            ranks.append(ReferenceRank(fields: fields, key: key, year: year, value: value, percentileRank: 100 * fraction,
                                       insideP5P95: value >= band[0] && value <= band[1]))
        }
        return ReferenceComparison(header: table.header, ranks: ranks, skipped: skipped)
    }
}
