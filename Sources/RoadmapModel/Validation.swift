import Scenario

/// One reference figure beside the model's value.
public struct ValidationRow: Sendable {
    /// How the model's value stands against the figure's tolerance.
    public enum Status: String, Sendable {
        /// Within its tolerance.
        case pass
        /// Beyond its tolerance.
        case fail
        /// A target figure with no tolerance rule: shown with its deviation, never failing.
        case info
        /// Within a gap the scenario file declares and explains; not a pass.
        case deviation
        /// Unlabelled or unresolved in the source: listed, never compared.
        case listed
        /// The model has no such series (for example a split whose labels were lost).
        case notModelled = "not-modelled"
    }
    public var figure: ReferenceFigure
    public var model: Double?
    /// (model − figure) / figure.
    public var deviation: Double?
    public var tolerance: Double?
    public var why: String?
    public var status: Status
}

/// The model's figures beside the roadmap's, one row per reference figure, and whether all pass.
public struct ValidationReport: Sendable {
    public var scenario: String
    public var rows: [ValidationRow]
    public var failures: Int { rows.filter { $0.status == .fail }.count }
    public var passes: Int { rows.filter { $0.status == .pass }.count }
    public var passed: Bool { failures == 0 }
}

extension Projection {
    /// Shares of the total, in %: the roadmap prints heating's share of sales and value.
    static let shareMetrics: [String: Metric] = ["sales_share": .sales, "value_share": .value]

    /// The model's figure for a reference row, in the row's unit, or nil if not modelled.
    public func modelValue(for figure: ReferenceFigure) -> Double? {
        if let metric = Metric(rawValue: figure.metric) {
            guard figure.unit == metric.roadmapUnit else { return nil }
            return value(SeriesKey(market: figure.market, segment: figure.segment, metric: metric), year: figure.year)
        }
        guard let metric = Self.shareMetrics[figure.metric], figure.unit == "%",
              let part = value(SeriesKey(market: figure.market, segment: figure.segment, metric: metric), year: figure.year),
              let whole = value(SeriesKey(market: Names.total, metric: metric), year: figure.year) else { return nil }
        return 100 * part / whole
    }

    /// Why the model has no figure for a reference row: the field at fault and what it allows; nil
    /// when it has one, or when the row lies beyond the scenario's years (a shorter horizon than the
    /// source's: no fault of the row, which stays not-modelled).
    public func whyNotModelled(_ figure: ReferenceFigure) -> (field: String, problem: String)? {
        guard modelValue(for: figure) == nil else { return nil }
        let scenario = setup.scenario
        let metrics = Metric.allCases.map(\.rawValue) + Self.shareMetrics.keys.sorted()
        guard metrics.contains(figure.metric) else {
            return ("metric", "'\(figure.metric)' is not a metric the model computes; allowed: \(metrics.joined(separator: ", "))")
        }
        let unit = Metric(rawValue: figure.metric)?.roadmapUnit ?? "%"
        guard figure.unit == unit else { return ("unit", "'\(figure.unit)' is not the unit of \(figure.metric) here; allowed: \(unit)") }
        let markets = scenario.markets.map(\.name) + [Names.total]
        guard let market = markets.firstIndex(of: figure.market) else {
            return ("market", "'\(figure.market)' is not a market of \(scenario.name); allowed: \(markets.joined(separator: ", "))")
        }
        guard scenario.years.contains(figure.year) else { return nil }
        let segments = [Names.all] + (market < scenario.markets.count ? scenario.markets[market].segments.map(\.name) : [])
        guard segments.contains(figure.segment) else {
            return ("segment", "'\(figure.segment)' is not a segment of \(figure.market); allowed: \(segments.joined(separator: ", "))")
        }
        return ("metric", "the model has no \(figure.metric) of \(figure.market) \(figure.segment) in \(figure.year)")
    }

    /// Compares every reference row of the scenario's labels with the model.
    public func validate(references: [ReferenceFigure], spec: ValidationSpec) -> ValidationReport {
        let rows = references.filter { spec.scenarioLabels.contains($0.scenario) }.map { figure -> ValidationRow in
            guard figure.status.isTarget else {
                return ValidationRow(figure: figure, model: modelValue(for: figure), deviation: nil, tolerance: nil, why: nil, status: .listed)
            }
            guard let model = modelValue(for: figure) else {
                return ValidationRow(figure: figure, model: nil, deviation: nil, tolerance: nil, why: nil, status: .notModelled)
            }
            // None where the model's value is not finite (inputs that overflow it): no tolerance holds it.
            let relative = (model - figure.value) / figure.value
            let deviation = relative.isFinite ? relative : nil
            guard let rule = spec.tolerances.first(where: { $0.matches(figure) }) else {
                return ValidationRow(figure: figure, model: model, deviation: deviation, tolerance: nil, why: nil, status: .info)
            }
            let within = deviation.map { abs($0) <= rule.tolerance } ?? false
            let status: ValidationRow.Status = within ? (rule.declaredDeviation ? .deviation : .pass) : .fail
            return ValidationRow(figure: figure, model: model, deviation: deviation, tolerance: rule.tolerance, why: rule.why, status: status)
        }
        return ValidationReport(scenario: setup.scenario.name, rows: rows)
    }
}

extension ToleranceRule {
    func matches(_ figure: ReferenceFigure) -> Bool {
        (metric.map { $0 == figure.metric } ?? true)
            && (market.map { $0 == figure.market } ?? true)
            && (segment.map { $0 == figure.segment } ?? true)
            && (year.map { $0 == figure.year } ?? true)
    }
}
