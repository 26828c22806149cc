import ArgumentParser
import FileOutput
import Foundation
import RoadmapModel
import Scenario

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Compare the model with the roadmap's figures.",
        discussion: """
        Sets every reference figure named by the scenario's validation section beside the model's \
        value, with the deviation, the tolerance and the status: pass, FAIL, info (a target with no \
        tolerance), listed (unlabelled or unresolved in the source, never compared) or not-modelled \
        (beyond the scenario's years); any other target figure the model has no value for (a mistyped \
        unit, market or segment) is an input error naming its row. \
        Exits 0 only when no target fails, 1 otherwise.
        """)

    @Argument(help: "Scenario file (YAML).")
    var scenario: String

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    func run() throws {
        try reportingInputErrors(validateScenario)
    }

    /// What it throws is the user's to fix (the scenario, its reference figures).
    func validateScenario() throws {
        let loaded = try LoadedScenario(path: scenario)
        let references = try loaded.references(requireTargets: true)
        let report = Projection(setup: loaded.setup).validate(references: references, spec: loaded.scenario.validation!)
        print(json ? try validationJSON(report) : validationTable(report))
        if !report.passed { throw ExitCode(1) }
    }
}

func validationTable(_ report: ValidationReport) -> String {
    var table = TextTable(["scenario", "market", "segment", "metric", "year", "roadmap", "model", "deviation", "tolerance", "status"])
    for row in report.rows {
        let f = row.figure
        table.add([f.scenario, f.market, f.segment, f.metric, String(f.year), formatFigure(f.value),
                   row.model.map(formatFigure) ?? "", formatPercent(row.deviation),
                   row.tolerance.map { String(format: "±%.0f%%", 100 * $0) } ?? "",
                   row.status == .fail ? "FAIL" : row.status.rawValue])
    }
    let deviations = report.rows.filter { $0.status == .deviation }
    let notModelled = report.rows.count(where: { $0.status == .notModelled })
    let summary = "\(report.passes) pass, \(report.failures) fail, \(deviations.count) declared deviations, "
        + (notModelled == 0 ? "" : "\(notModelled) not modelled (beyond the scenario's years), ")
        + "\(report.rows.count - report.passes - report.failures - deviations.count - notModelled) not targets"
    var notes = Set<String>()
    let reasons = report.rows.compactMap { row -> String? in
        guard let why = row.why, let tolerance = row.tolerance, tolerance > 0.05, notes.insert(why).inserted else { return nil }
        return "  ±\(Int(100 * tolerance))% \(row.figure.scenario) \(row.figure.market) \(row.figure.metric) \(row.figure.year): \(why)"
    }
    return "\(report.scenario) validation against the roadmap\n" + table.render() + "\n" + summary
        + (reasons.isEmpty ? "" : "\nTolerances beyond 5 %, as the scenario file declares them:\n" + reasons.joined(separator: "\n"))
}

/// `validate --json`: a figure that could not be computed is null.
struct ValidationJSON: Encodable {
    struct Row: Encodable {
        var scenario: String, market: String, segment: String, metric: String
        var year: Int
        var reference: JSONNumber
        var unit: String
        var referenceStatus: String
        var status: String
        var model: JSONNumber?
        var deviation: JSONNumber?
        var tolerance: JSONNumber?
        var why: String?
    }
    var scenario: String
    var passed: Bool
    var failures: Int
    var rows: [Row]
}

func validationJSON(_ report: ValidationReport) throws -> String {
    let rows = report.rows.map { row in
        let f = row.figure
        return ValidationJSON.Row(scenario: f.scenario, market: f.market, segment: f.segment, metric: f.metric, year: f.year,
                                  reference: JSONNumber(f.value), unit: f.unit, referenceStatus: f.status.rawValue, status: row.status.rawValue,
                                  model: row.model.map(JSONNumber.init), deviation: row.deviation.map(JSONNumber.init),
                                  tolerance: row.tolerance.map(JSONNumber.init), why: row.why)
    }
    return try FileOutput.json(ValidationJSON(scenario: report.scenario, passed: report.passed, failures: report.failures, rows: rows),
                               for: "standard output")
}
