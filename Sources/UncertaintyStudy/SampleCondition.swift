import RoadmapModel

/// A condition on one output of a sample, written `METRIC MARKET YEAR OP VALUE`
/// (e.g. `reduction total 2060 < 4.34`): which samples `discover` looks for.
public struct SampleCondition: Sendable, Equatable, CustomStringConvertible {
    public enum Comparison: String, Sendable, CaseIterable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    public var metric: Metric
    public var market: String
    public var year: Int
    public var comparison: Comparison
    public var value: Double

    public var description: String { "\(metric.rawValue) \(market) \(year) \(comparison.rawValue) \(value)" }
    /// The column of `samples.csv` holding the output.
    public var column: String { "\(metric.rawValue)_\(market)_\(year)" }
    public var target: ModelEvaluator.Target { .init(market: market, metric: metric, year: year) }

    /// Whether `x` meets the condition (never for a non-finite `x`).
    public func holds(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        switch comparison {
        case .less: return x < value
        case .lessOrEqual: return x <= value
        case .greater: return x > value
        case .greaterOrEqual: return x >= value
        }
    }

    /// Parses the text of `option`; the error says what was expected.
    public static func parse(_ text: String, option: String) throws(SettingsError) -> SampleCondition {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        let form = "write METRIC MARKET YEAR OP VALUE, e.g. \"reduction total 2060 < 4.34\""
        guard words.count == 5 else { throw SettingsError(option: option, message: "'\(text)': \(form)") }
        guard let metric = Metric(rawValue: words[0]) else {
            throw SettingsError(option: option, message: "'\(text)': unknown metric '\(words[0])'; one of \(Metric.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let year = Int(words[2]) else { throw SettingsError(option: option, message: "'\(text)': the year '\(words[2])' is not a whole number; \(form)") }
        guard let comparison = Comparison(rawValue: words[3]) else {
            throw SettingsError(option: option, message: "'\(text)': unknown comparison '\(words[3])'; one of \(Comparison.allCases.map(\.rawValue).joined(separator: " "))")
        }
        guard let value = Double(words[4]), value.isFinite else {
            throw SettingsError(option: option, message: "'\(text)': the value '\(words[4])' is not a finite number; \(form)")
        }
        return SampleCondition(metric: metric, market: words[1], year: year, comparison: comparison, value: value)
    }
}
