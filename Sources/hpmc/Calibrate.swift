import ArgumentParser
import FileOutput
import Foundation
import RoadmapModel
import Scenario

struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit the scenario's free parameters to its reference figures.",
        discussion: """
        Parameters marked `free: true` (by default heat per unit h0, h_inf and tau of each market) are \
        fitted within their bounds, by bounded Levenberg-Marquardt, so that the model hits the \
        scenario's calibration targets (validation.calibration_metric, segment all). Writes the \
        scenario with the fitted values in place; comments and layout are kept.
        """)

    @Argument(help: "Scenario file (YAML).")
    var scenario: String

    @Option(help: "Where to write the calibrated scenario (may be the input file itself, with --force).")
    var out: String

    @Flag(help: "Overwrite --out if it exists.")
    var force = false

    func run() throws {
        try reportingInputErrors(calibrateScenario)
    }

    /// What it throws is the user's to fix (the scenario, its reference figures, the output file).
    func calibrateScenario() throws {
        let loaded = try LoadedScenario(path: scenario)
        let references = try loaded.references()
        let results: [MarketCalibration]
        do { results = try calibrate(setup: loaded.setup, references: references) } catch let error as CalibrationError {
            // What is missing or wrong, named where it goes: in the scenario, or a figure at its row of the references.
            let validation = loaded.scenario.validation
            let (file, keyPath, line, hint): (String, String, Int?, String) = switch error {
            case .noValidationSpec: (scenario, "validation", nil, "")
            case .noCalibrationMetric: (scenario, "validation.calibration_metric", validation?.line, " (e.g. calibration_metric: reduction)")
            case .unknownCalibrationMetric: (scenario, "validation.calibration_metric", validation?.calibrationMetricLine, "")
            case .noTargets: (scenario, "validation.references", validation?.referencesLine, "")
            case .zeroTarget(_, _, _, let row): (loaded.referencesPath ?? scenario, "row \(row).value", nil, "")
            case .notFiniteAtStart(let market, _, _):
                (scenario, loaded.scenario.markets.firstIndex { $0.name == market }.map { "markets[\($0)].heat_per_unit" } ?? "markets", nil, "")
            }
            throw InputError(file: file, keyPath: keyPath, line: line, message: "\(error)\(hint)")
        }
        // Made, and opened, before anything is printed: a refusal is then the command's only output.
        let calibrated = try applyCalibration(results, to: loaded.scenario, text: try readTextFile(scenario), file: scenario)
        let (output, file) = try OutputSet.single(out, name: "calibrate", force: force)
        for result in results {
            print("\(result.market): \(result.converged ? "converged" : "NOT converged") (\(result.stopReason), \(result.iterations) iterations)")
            var parameters = TextTable(["parameter", "before", "after", "std error", "lower", "upper"])
            for p in result.parameters {
                let atBound = p.after <= p.lower || p.after >= p.upper ? " (at bound)" : ""
                parameters.add([p.name, formatFigure(p.before), String(format: "%.6g", p.after) + atBound,
                                p.standardError.map(formatFigure) ?? "-", formatFigure(p.lower), formatFigure(p.upper)])
            }
            print(parameters.render())
            var residuals = TextTable(["year", "target", "model", "residual"])
            for r in result.residuals {
                residuals.add([String(r.year), formatFigure(r.target), String(format: "%.4f", r.model), formatPercent(r.relative)])
            }
            print(residuals.render() + "\n")
        }
        try output.write(calibrated, to: file)
        try output.commit()
        print("wrote \(out)")
        if results.contains(where: { !$0.converged }) { throw ExitCode(1) }
    }
}
