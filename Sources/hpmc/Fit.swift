import ArgumentParser
import CSV
import FileOutput
import Foundation
import GrowthCurves
import LeastSquares
import Scenario
import UncertaintyStudy

struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a growth curve to data by nonlinear least squares.",
        discussion: """
        DATA.csv has a header with columns t,y and optionally w (weights). Models:
          logistic   y = K / (1 + exp(-r (t - t0)))
          richards   y = K / (1 + exp(-r (t - t0)))^(1/nu)
        Levenberg-Marquardt with Marquardt scaling; every step's linear least-squares problem is \
        solved by LAPACK. Reports the parameters, standard errors, covariance, RSS, residual \
        standard deviation and degrees of freedom, and why and when the iteration stopped.
        """)

    @Argument(help: "CSV file with columns t,y[,w].")
    var data: String

    @Option(help: "Growth model: logistic or richards.")
    var model: CurveModel = .logistic

    @Option(parsing: .unconditional, help: "Starting values, comma-separated in parameter order (K,r,t0[,nu]); automatic when omitted.")
    var start: String?

    @Flag(help: "Relative residuals (f - y)/y, for data spanning orders of magnitude.")
    var relative = false

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        try validatingOptions { _ = try startValues() }
    }

    func run() throws {
        try reportingInputErrors(fitData)
    }

    /// What it throws is the user's to fix (the data file, or a start the fit cannot use).
    func fitData() throws {
        let (t, y, w) = try readSeries(data)
        var options = CurveFitOptions()
        options.relative = relative
        options.weights = w
        // Checked in validate(): cannot fail here.
        options.start = try startValues()
        // A start's problems belong to --start, or to the data when the start was derived from them.
        let startSource = options.start == nil ? "\(data) (the automatic start)" : "--start"
        let fit: CurveFit
        do {
            fit = try fitCurve(model, t: t, y: y, options: options)
        } catch let error as CurveFitError {
            switch error {
            case .invalidStart, .startOutsideDomain: throw SettingsError(option: startSource, message: "\(error)")
            case .valuesOutOfRange: throw InputError(file: data, message: "\(error); rescale y (and the weights) and scale K back")
            // An observation's problem at its row of the file (the header is row 1), as a value that cannot be read is.
            case .invalidWeight(let index, let value):
                throw InputError(file: data, keyPath: "row \(index + 2).w", message: "\(formatFigure(value)); a weight is finite and ≥ 0")
            case .nonPositiveValueWithRelativeResiduals(let index, let value):
                throw InputError(file: data, keyPath: "row \(index + 2).y", message: "\(formatFigure(value)); relative residuals (--relative) need y > 0")
            default: throw InputError(file: data, message: "\(error)")
            }
        } catch let error as LeastSquaresError {
            throw SettingsError(option: startSource, message: "\(error)")
        }
        print(json ? try fitJSON(fit) : fitReport(fit))
        if !fit.converged { throw ExitCode(1) }
    }

    /// `--start`: one finite number per parameter, in order.
    func startValues() throws -> [Double]? {
        guard let start else { return nil }
        let names = model.parameterNames
        let values = try decimalList(start, option: "--start")
        guard values.count == names.count else {
            throw SettingsError(option: "--start", message: "'\(start)': give \(names.count) numbers (\(names.joined(separator: ",")))")
        }
        return values
    }
}

extension CurveModel: ExpressibleByArgument {}

/// Reads t, y and optional w columns.
func readSeries(_ path: String) throws -> ([Double], [Double], [Double]?) {
    let text = try readTextFile(path)
    let table: CSVTable
    do { table = try CSVTable(text: text) } catch { throw InputError(file: path, message: "\(error)") }
    guard let tc = table.column("t"), let yc = table.column("y") else {
        throw InputError(file: path, message: "needs a header with columns t,y (and optionally w); found \(table.header.joined(separator: ","))")
    }
    let wc = table.column("w")
    func number(_ row: Int, _ column: Int, _ name: String) throws -> Double {
        do { return try DecimalNumber.parse(table.rows[row][column].trimmingCharacters(in: .whitespaces)) } catch {
            throw InputError(file: path, keyPath: "row \(row + 2).\(name)", message: "\(error)")
        }
    }
    let rows = table.rows.indices
    return (try rows.map { try number($0, tc, "t") }, try rows.map { try number($0, yc, "y") },
            try wc.map { c in try rows.map { try number($0, c, "w") } })
}

func fitReport(_ fit: CurveFit) -> String {
    var table = TextTable(["parameter", "estimate", "std error"])
    for (i, name) in fit.parameterNames.enumerated() {
        table.add([name, String(format: "%.10g", fit.parameters[i]), fit.standardErrors.map { String(format: "%.6g", $0[i]) } ?? "-"])
    }
    var lines = ["\(fit.model.rawValue) fit: \(fit.converged ? "converged" : "NOT converged") (\(fit.stopReason.rawValue) after \(fit.iterations) iterations: \(fit.stopReason.explanation))",
                 table.render(),
                 "RSS \(String(format: "%.10g", fit.rss)), residual sd \(fit.residualStandardDeviation.map { String(format: "%.6g", $0) } ?? "-"), degrees of freedom \(fit.degreesOfFreedom)"]
    if let covariance = fit.covariance {
        lines.append("covariance:")
        for r in 0..<covariance.rows {
            lines.append("  " + (0..<covariance.columns).map { String(format: "%13.6e", covariance[r, $0]) }.joined(separator: " "))
        }
    } else if fit.standardErrors != nil {
        lines.append("covariance: not given: at this scale of y its variances (the squares of the standard errors) leave double precision")
    }
    return lines.joined(separator: "\n")
}

/// `fit --json`: a figure that could not be computed is null.
struct FitJSON: Encodable {
    var model: String
    var parameters: [String: JSONNumber]
    var rss: JSONNumber
    var iterations: Int
    var converged: Bool
    var stopReason: String
    var stopExplanation: String
    var degreesOfFreedom: Int
    var standardErrors: [String: JSONNumber]?
    var residualStandardDeviation: JSONNumber?
    var covariance: [[JSONNumber]]?
}

func fitJSON(_ fit: CurveFit) throws -> String {
    func named(_ values: [Double]) -> [String: JSONNumber] {
        Dictionary(uniqueKeysWithValues: zip(fit.parameterNames, values.map(JSONNumber.init)))
    }
    let object = FitJSON(model: fit.model.rawValue, parameters: named(fit.parameters), rss: JSONNumber(fit.rss), iterations: fit.iterations,
                         converged: fit.converged, stopReason: fit.stopReason.rawValue,
                         stopExplanation: fit.stopReason.explanation, degreesOfFreedom: fit.degreesOfFreedom,
                         standardErrors: fit.standardErrors.map(named), residualStandardDeviation: fit.residualStandardDeviation.map(JSONNumber.init),
                         covariance: fit.covariance.map { c in (0..<c.rows).map { r in (0..<c.columns).map { JSONNumber(c[r, $0]) } } })
    return try FileOutput.json(object, for: "standard output")
}
