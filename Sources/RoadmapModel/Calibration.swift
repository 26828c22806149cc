import Foundation
import LeastSquares
import Scenario

/// The fit of one market's free parameters to its targets.
public struct MarketCalibration: Sendable {
    /// One free parameter: its value before and after, its standard error and its bounds.
    public struct Parameter: Sendable {
        public var name: String
        public var before: Double
        public var after: Double
        public var standardError: Double?
        public var lower: Double
        public var upper: Double
        /// Line and column of the value in the scenario file, where the calibrated value is written.
        var line: Int?
        var column: Int?
        /// Which of the market's heat-per-unit parameters it is.
        var heatParameter: InputTarget.HeatParameter
    }
    /// One target figure beside the calibrated model's value.
    public struct Residual: Sendable {
        public var year: Int
        public var target: Double
        public var model: Double
        public var relative: Double { (model - target) / target }
    }
    public var market: String
    /// The market's place in the scenario's `markets`.
    var marketIndex: Int
    public var parameters: [Parameter]
    public var residuals: [Residual]
    public var iterations: Int
    public var stopReason: String
    public var converged: Bool
}

/// Why a scenario cannot be calibrated: it names no figures to calibrate against.
public enum CalibrationError: Error, CustomStringConvertible {
    case noValidationSpec
    case noCalibrationMetric
    case unknownCalibrationMetric(String)
    case noTargets(market: String, metric: String)
    /// A target figure of 0: the calibration fits residuals relative to the targets.
    case zeroTarget(market: String, metric: String, year: Int, row: Int)
    /// The model's figures (or their derivatives) are not finite at the scenario's values of `parameters`.
    case notFiniteAtStart(market: String, metric: String, parameters: [String])

    public var description: String {
        switch self {
        case .noValidationSpec: return "the scenario has no 'validation' section naming its reference figures"
        case .noCalibrationMetric: return "the scenario's validation section sets no calibration_metric"
        case .unknownCalibrationMetric(let name):
            return "'\(name)' is not a metric the model computes; allowed: \(Metric.allCases.map(\.rawValue).joined(separator: ", "))"
        case .noTargets(let market, let metric):
            return "market '\(market)' has free parameters but no \(metric) target figures among the references"
        case .zeroTarget(let market, let metric, let year, _):
            return "the reference figure of market '\(market)''s \(metric) in \(year) is 0; the calibration fits each figure relative to itself, so a target must not be 0"
        case .notFiniteAtStart(let market, let metric, let parameters):
            return "market '\(market)''s \(metric) (or how it moves with \(parameters.joined(separator: ", "))) is not finite at the scenario's "
                + "values of its free parameters, so the calibration cannot start; give them values within their bounds at which the model's figures are finite"
        }
    }
}

/// Fits every market's free parameters (those marked `free: true`, within their bounds) so the
/// model hits that market's reference figures of the calibration metric, by bounded
/// Levenberg–Marquardt on relative residuals. Markets are independent, so each is fitted alone.
public func calibrate(setup: ModelSetup, references: [ReferenceFigure]) throws -> [MarketCalibration] {
    guard let spec = setup.scenario.validation else { throw CalibrationError.noValidationSpec }
    guard let metricName = spec.calibrationMetric else { throw CalibrationError.noCalibrationMetric }
    guard let metric = Metric(rawValue: metricName) else { throw CalibrationError.unknownCalibrationMetric(metricName) }
    var results: [MarketCalibration] = []
    for (m, market) in setup.scenario.markets.enumerated() {
        let heat = market.heatPerUnit
        let candidates = InputTarget.HeatParameter.allCases.map { ($0, heat[$0]) }
        let free = candidates.filter { $0.1.free }
        guard !free.isEmpty else { continue }
        let targets = references.filter {
            spec.scenarioLabels.contains($0.scenario) && $0.status.isTarget && $0.market == market.name
                && $0.segment == Names.all && $0.metric == metricName && $0.unit == metric.roadmapUnit
        }
        guard !targets.isEmpty else { throw CalibrationError.noTargets(market: market.name, metric: metricName) }
        if let zero = targets.first(where: { $0.value == 0 }) {
            throw CalibrationError.zeroTarget(market: market.name, metric: metricName, year: zero.year, row: zero.row)
        }
        let slots = free.map { setup.slot(for: .heatParameter(market: m, $0.0)) }
        let key = SeriesKey(market: market.name, metric: metric)
        let modelValues: @Sendable ([Double]) -> [Double] = { p in
            let projection = Projection(setup: setup, slotValues: Dictionary(uniqueKeysWithValues: zip(slots, p)))
            return targets.map { projection.value(key, year: $0.year)! }
        }
        let problem = LeastSquaresProblem(
            parameterCount: free.count, residualCount: targets.count,
            residuals: { p in zip(modelValues(p), targets).map { ($0 - $1.value) / $1.value } },
            jacobian: nil,
            lowerBounds: free.map(\.1.lower), upperBounds: free.map(\.1.upper))
        let fit: LeastSquaresFit
        do { fit = try levenbergMarquardt(problem, start: free.map(\.1.value.value)) } catch LeastSquaresError.nonFiniteResidualsAtStart, LeastSquaresError.nonFiniteJacobianAtStart {
            throw CalibrationError.notFiniteAtStart(market: market.name, metric: metricName, parameters: free.map(\.0.rawValue))
        }
        let fitted = modelValues(fit.parameters)
        results.append(MarketCalibration(
            market: market.name, marketIndex: m,
            parameters: free.enumerated().map { i, entry in
                .init(name: entry.0.rawValue, before: entry.1.value.value, after: fit.parameters[i],
                      standardError: fit.standardErrors?[i], lower: entry.1.lower, upper: entry.1.upper,
                      line: entry.1.value.line, column: entry.1.value.column, heatParameter: entry.0)
            },
            residuals: zip(targets, fitted).map { .init(year: $0.year, target: $0.value, model: $1) },
            iterations: fit.iterations, stopReason: fit.stopReason.rawValue, converged: fit.converged))
    }
    return results
}

/// The scenario text with each calibrated value written over the old one, at the line and column
/// where the scenario's reader found it; every other character stays (comments, layout, line ends).
/// The result must read back as `scenario` with the fitted values and nothing else changed: a value
/// the rewrite cannot reach (written other than as a number after its tag or anchor), or a number
/// also read through an alias elsewhere, is an `InputError`, never a file with an old or a changed
/// value. `scenario`: the one `text` reads as; `file`: its path, for errors.
package func applyCalibration(_ results: [MarketCalibration], to scenario: Scenario, text: String, file: String) throws(InputError) -> String {
    var scalars = Array(text.unicodeScalars)
    let lineStarts = yamlLineStarts(scalars)
    var edits: [(start: Int, count: Int, text: String)] = []
    for result in results {
        for parameter in result.parameters {
            let keyPath = "markets[\(result.marketIndex)].heat_per_unit.\(parameter.heatParameter.rawValue).value"
            func refusal(_ why: String) -> InputError {
                InputError(file: file, keyPath: keyPath, line: parameter.line,
                           message: "\(why), so calibrate cannot write its fitted value there; write it as a plain number (value: 30); nothing was written")
            }
            guard let line = parameter.line, let column = parameter.column, line >= 1, line <= lineStarts.count, column >= 1 else {
                throw refusal("its place in the file is not known")
            }
            var start = lineStarts[line - 1] + column - 1
            // A tag or anchor before the number (`!!float 30`, `&h 30`): the number follows it.
            while start < scalars.count, scalars[start] == "!" || scalars[start] == "&" {
                while start < scalars.count, !scalars[start].properties.isWhitespace { start += 1 }
                while start < scalars.count, scalars[start] == " " || scalars[start] == "\t" { start += 1 }
            }
            var end = start
            while end < scalars.count, "0123456789+-.eE".unicodeScalars.contains(scalars[end]) { end += 1 }
            let token = String(String.UnicodeScalarView(scalars[start..<end]))
            guard let number = Double(token), number == parameter.before else {
                throw refusal("the text there, '\(token.prefix(40))', is not the number \(formatCalibrated(parameter.before)) it was read as")
            }
            edits.append((start, end - start, formatCalibrated(parameter.after)))
        }
    }
    // A number read through an alias elsewhere: by another fitted value here, by any other value below.
    let readElsewhere = InputError(file: file, message: "writing the fitted values would change other values too: a number they are written over is also "
                                       + "read through an alias (*name) elsewhere; write each calibrated value as a plain number of its own; nothing was written")
    guard Set(edits.map(\.start)).count == edits.count else { throw readElsewhere }
    for edit in edits.sorted(by: { $0.start > $1.start }) {
        scalars.replaceSubrange(edit.start..<edit.start + edit.count, with: edit.text.unicodeScalars)
    }
    let rewritten = String(String.UnicodeScalarView(scalars))
    let reread: Scenario
    do { reread = try Scenario.parse(text: rewritten, file: file) } catch {
        throw InputError(file: file, message: "the calibrated file would not read back (\(error)); nothing was written")
    }
    // The file must read back as the scenario with the fitted values and nothing else changed: a
    // number also read through an alias (`*h`) elsewhere would change that value too.
    var expected = scenario
    for result in results {
        for parameter in result.parameters {
            expected.markets[result.marketIndex].heatPerUnit[parameter.heatParameter].value.value = Double(formatCalibrated(parameter.after)) ?? .nan
        }
    }
    guard reread == expected else { throw readElsewhere }
    return rewritten
}

/// Ten significant digits: the file stays readable and reloads to the fitted figures.
func formatCalibrated(_ value: Double) -> String {
    String(format: "%.10g", value)
}
