import ArgumentParser
import CSV
import FileOutput
import Foundation
import RoadmapModel
import Scenario
import Sensitivity
import SVGCharts
import UncertaintyStudy

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "One self-contained HTML file that shows a whole study.",
        discussion: """
        Reads the output directories of `hpmc run`/`merge` (study.hpmc), `hpmc compare` (difference.csv), \
        `hpmc sweep` (sweep.csv), `hpmc sensitivity` (sensitivity.json) and `hpmc discover` (discovery.json) and writes one HTML file with \
        inline SVG and CSS (no scripts, no fonts or files fetched from anywhere), readable on screen and \
        printed: the headline table, fan charts with the roadmap's points, the validation table, the \
        scenario comparison, sensitivity charts, sweep heat maps, scenario discovery, convergence and the manifest.
        """)

    @Argument(help: "Output directories of hpmc run, merge, compare, sweep, sensitivity or discover.")
    var directories: [String]

    @Option(help: "The HTML file to write.")
    var out: String = "out/report.html"

    @Option(help: "Reference figures for the fan charts and the validation table (default: \(defaultReferenceFile) when it exists).")
    var reference: String?

    @Flag(help: "Overwrite --out.")
    var force = false

    func validate() throws {
        try validatingOptions {
            try checkInputFile(reference, option: "--reference")
            // Named twice, a directory's sections were shown twice.
            var seen: Set<String> = []
            if let twice = directories.first(where: { !seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }) {
                throw SettingsError(option: "directories", message: "'\(twice)' is given twice; name each directory once")
            }
        }
    }

    func run() throws {
        try reportingInputErrors(report)
    }

    /// What it throws is the user's to fix (a directory, a file in it, the output file).
    func report() throws {
        let references = try referenceFigures(option: reference)
        var report = HTMLReport(title: "hpmc report")
        var found = 0
        for directory in directories {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ArchiveError(file: directory, problem: "is not a directory")
            }
            try checkNoInterruptedCommit(directory)
            if FileManager.default.fileExists(atPath: FileOutput.path(directory, "study.hpmc")) {
                let run = try LoadedRun(directory: directory)
                report.addRun(run, references: references)
                found += 1
            }
            if let svg = try savedSVG(directory, "compare-reduction.svg"),
               let difference = try savedCSV(directory, "difference.csv") {
                // compare writes targets.json only when it counted targets.
                let targets = try savedJSON(HTMLReport.SavedTargets.self, directory, targetsFile, of: "compare")
                try report.addComparison(directory: directory, difference: difference, chart: svg, targets: targets)
                found += 1
            }
            if let saved = try savedJSON(HTMLReport.SavedSensitivity.self, directory, "sensitivity.json", of: "sensitivity") {
                let method = saved.method
                let chart = try savedSVG(directory, "sensitivity-\(method).svg")
                let byYear = try savedSVG(directory, SobolIndices.yearsChartFile)
                report.addSensitivity(saved, chart: chart, yearsChart: byYear)
                found += 1
            }
            if let table = try savedCSV(directory, "sweep.csv") {
                let chart = try savedSVG(directory, "sweep-reduction-total.svg")
                try report.addSweep(directory: directory, table: table, chart: chart)
                found += 1
            }
            if let summary = try savedJSON(HTMLReport.SavedDiscovery.self, directory, "discovery.json", of: "discover"),
               let box = try savedCSV(directory, "box.csv") {
                let chart = try savedSVG(directory, "discovery-tradeoff.svg")
                try report.addDiscovery(directory: directory, summary: summary, box: box, chart: chart)
                found += 1
            }
        }
        guard found > 0 else {
            throw ArchiveError(file: directories.joined(separator: ", "), problem: "holds no hpmc results (study.hpmc, difference.csv, sensitivity.json, sweep.csv or discovery.json)")
        }
        let (output, file) = try OutputSet.single(out, name: "report", force: force)
        try output.write(report.html(), to: file)
        try output.commit()
        print("wrote \(out)")
    }
}

/// The CSV file `file` of `directory`; nil when there is none, an input error naming it when it is
/// damaged (not skipped: a report would silently lack that part).
func savedCSV(_ directory: String, _ file: String) throws -> CSVTable? {
    let path = FileOutput.path(directory, file)
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    return try CSVTable(file: path)
}

/// The SVG file `file` of `directory`, to be inlined in the report; nil when there is none (or it is not
/// text). A file holding anything hpmc's chart writer does not write (`SVGVocabulary`) was edited: an
/// input error, never copied into the report, where it could run, fetch or follow something.
func savedSVG(_ directory: String, _ file: String) throws -> String? {
    let path = FileOutput.path(directory, file)
    guard let svg = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    if let found = SVGVocabulary.firstUnwritten(in: svg) {
        throw ArchiveError(file: path, problem: "holds \(found), which hpmc never writes in a chart; a report does not carry it")
    }
    return svg
}

/// A typed view of a JSON file a command wrote, which knows the values each of its fields can take.
protocol SavedJSONView: Decodable {
    /// The first field whose value its command cannot have written, and what it allows; nil when all can be.
    var impossibleField: (field: String, value: String, allowed: String)? { get }
}

/// A number cell of row `row` (0-based, after the header) of `file` in `directory`: nil when empty (a
/// statistic that could not be computed); any text but a decimal number is damage, not a figure to show.
func savedNumber(_ cell: String, _ directory: String, _ file: String, row: Int, column: String) throws -> Double? {
    guard !cell.isEmpty else { return nil }
    do { return try DecimalNumber.parse(cell) } catch {
        throw ArchiveError(file: FileOutput.path(directory, file), problem: "row \(row + 2).\(column): \(error)")
    }
}

/// `file` of `directory` as `command` wrote it; nil when there is none, an input error when it is
/// not, or when a field holds a value the command cannot have written (a report must not render it).
func savedJSON<Saved: SavedJSONView>(_ type: Saved.Type, _ directory: String, _ file: String, of command: String) throws -> Saved? {
    let path = FileOutput.path(directory, file)
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    let saved: Saved
    do {
        saved = try JSONDecoder().decode(type, from: data)
    } catch let error as DecodingError {
        throw ArchiveError(file: path, problem: "is not \(command)'s \(file): \(jsonProblem(error))")
    }
    if let bad = saved.impossibleField {
        throw ArchiveError(file: path, problem: "is not \(command)'s \(file): field \(bad.field) is \(bad.value); allowed: \(bad.allowed)")
    }
    return saved
}

/// A decoding error in the file's terms, the field by its JSON path (`targets[0].probability`),
/// not Foundation's debug text.
func jsonProblem(_ error: DecodingError) -> String {
    func field(_ path: [any CodingKey]) -> String {
        let text = path.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
        return text.hasPrefix(".") ? String(text.dropFirst()) : text
    }
    func kind(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Int.Type, is Int64.Type, is UInt64.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default: "\(type)".hasPrefix("Array") ? "a list" : "an object"
        }
    }
    switch error {
    case .keyNotFound(let key, let context): return "field \(field(context.codingPath + [key])) is missing"
    case .valueNotFound(let type, let context): return "field \(field(context.codingPath)) is null; it must be \(kind(type))"
    case .typeMismatch(let type, let context):
        return context.codingPath.isEmpty ? "the file must hold \(kind(type))" : "field \(field(context.codingPath)) must be \(kind(type))"
    case .dataCorrupted(let context):
        // Foundation's text for a value not among an enumeration's speaks of Swift types.
        return context.codingPath.isEmpty ? "not valid JSON" : "field \(field(context.codingPath)) holds a value hpmc never writes there"
    @unknown default: return "\(error)"
    }
}
