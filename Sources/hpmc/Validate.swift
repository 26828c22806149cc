import ArgumentParser
import Foundation
import RoadmapModel
import Scenario

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare the model with the roadmap's figures.",
        discussion: """
        Sets every reference figure named by the scenario's validation section beside the model's \
        value, with the deviation, the tolerance and the status: pass, FAIL, info (a target with no \
        tolerance), listed (unlabelled or unresolved in the source, never compared) or not-modelled. \
        Exits 0 only when no target fails, 1 otherwise.
        """)

    @Argument(help: "Scenario file (YAML).")
    var scenario: String

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    func run() throws {
        let loaded = try LoadedScenario(path: scenario)
        let report = Projection(setup: loaded.setup).validate(references: try loaded.references(), spec: loaded.scenario.validation!)
        print(json ? validationJSON(report) : validationTable(report))
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
    let summary = "\(report.passes) pass, \(report.failures) fail, \(deviations.count) declared deviations, "
        + "\(report.rows.count - report.passes - report.failures - deviations.count) not targets"
    var notes = Set<String>()
    let reasons = report.rows.compactMap { row -> String? in
        guard let why = row.why, let tolerance = row.tolerance, tolerance > 0.05, notes.insert(why).inserted else { return nil }
        return "  ±\(Int(100 * tolerance))% \(row.figure.scenario) \(row.figure.market) \(row.figure.metric) \(row.figure.year): \(why)"
    }
    return "\(report.scenario) validation against the roadmap\n" + table.render() + "\n" + summary
        + (reasons.isEmpty ? "" : "\nTolerances beyond 5 %, as the scenario file declares them:\n" + reasons.joined(separator: "\n"))
}

func validationJSON(_ report: ValidationReport) -> String {
    let rows: [[String: Any]] = report.rows.map { row in
        let f = row.figure
        var object: [String: Any] = ["scenario": f.scenario, "market": f.market, "segment": f.segment, "metric": f.metric,
                                     "year": f.year, "reference": f.value, "unit": f.unit, "referenceStatus": f.status.rawValue,
                                     "status": row.status.rawValue]
        if let model = row.model { object["model"] = model }
        if let deviation = row.deviation { object["deviation"] = deviation }
        if let tolerance = row.tolerance { object["tolerance"] = tolerance }
        if let why = row.why { object["why"] = why }
        return object
    }
    let object: [String: Any] = ["scenario": report.scenario, "passed": report.passed, "failures": report.failures, "rows": rows]
    return jsonText(object)
}

/// Pretty, key-sorted JSON so outputs diff cleanly; a NaN or infinity (a run's non-finite
/// statistics), which JSON cannot hold, is written as null.
func jsonText(_ object: Any) -> String {
    func finite(_ value: Any) -> Any {
        switch value {
        case let number as Double: return number.isFinite ? number : NSNull()
        case let array as [Any]: return array.map(finite)
        case let dictionary as [String: Any]: return dictionary.mapValues(finite)
        default: return value
        }
    }
    do {
        return String(decoding: try JSONSerialization.data(withJSONObject: finite(object), options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
    } catch {
        // Only strings, numbers, booleans, nulls, arrays and dictionaries are passed here.
        return #"{"error": "not representable as JSON"}"#
    }
}
