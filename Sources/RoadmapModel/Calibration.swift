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
        /// Line of the value in the scenario file, where the calibrated value is written.
        var line: Int?
    }
    /// One target figure beside the calibrated model's value.
    public struct Residual: Sendable {
        public var year: Int
        public var target: Double
        public var model: Double
        public var relative: Double { (model - target) / target }
    }
    public var market: String
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
        let candidates: [(InputTarget.HeatParameter, CalibratedParameter)] = [(.h0, heat.h0), (.hInfinity, heat.hInfinity), (.tau, heat.tau)]
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
            market: market.name,
            parameters: free.enumerated().map { i, entry in
                .init(name: entry.0.rawValue, before: entry.1.value.value, after: fit.parameters[i],
                      standardError: fit.standardErrors?[i], lower: entry.1.lower, upper: entry.1.upper, line: entry.1.value.line)
            },
            residuals: zip(targets, fitted).map { .init(year: $0.year, target: $0.value, model: $1) },
            iterations: fit.iterations, stopReason: fit.stopReason.rawValue, converged: fit.converged))
    }
    return results
}

/// The scenario text with each calibrated value written over the old one on its own line;
/// comments and layout stay as they were.
package func applyCalibration(_ results: [MarketCalibration], toScenarioText text: String) -> String {
    var lines = text.components(separatedBy: "\n")
    for parameter in results.flatMap(\.parameters) {
        guard let line = parameter.line, lines.indices.contains(line - 1) else { continue }
        let original = lines[line - 1]
        guard let range = original.range(of: #"value:\s*[-+0-9.eE]+"#, options: .regularExpression) else { continue }
        lines[line - 1] = original.replacingCharacters(in: range, with: "value: \(formatCalibrated(parameter.after))")
    }
    return lines.joined(separator: "\n")
}

/// Ten significant digits: the file stays readable and reloads to the fitted figures.
func formatCalibrated(_ value: Double) -> String {
    String(format: "%.10g", value)
}
