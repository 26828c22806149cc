import FileOutput
import Foundation
import RoadmapModel
import Scenario
import UncertaintyStudy

/// The roadmap's figures, marked on fan charts when no `--reference` is given and the file is there
/// (as when hpmc runs from the repository).
let defaultReferenceFile = "Scenarios/roadmap_reference.csv"

/// The figures of `--reference`, or of `defaultReferenceFile` when the option is absent and the file
/// exists; its absence is said on stderr, since charts without the roadmap's figures look complete.
func referenceFigures(option: String?) throws -> [ReferenceFigure] {
    if let option { return try ReferenceFigure.load(contentsOf: option) }
    guard FileManager.default.fileExists(atPath: defaultReferenceFile) else {
        printError("note: \(defaultReferenceFile) is not under the current directory, so no roadmap figures are marked; give --reference FILE")
        return []
    }
    return try ReferenceFigure.load(contentsOf: defaultReferenceFile)
}

/// Checks that an option naming an input file (`--reference`, `--from`), when given, names an existing file.
func checkInputFile(_ path: String?, option: String) throws {
    var isDirectory: ObjCBool = false
    if let path, !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) || isDirectory.boolValue {
        throw SettingsError(option: option, message: "\(path): " + (isDirectory.boolValue ? "is a directory; give a file" : "no such file"))
    }
}

/// A loaded scenario compiled for evaluation, with the path it came from.
struct LoadedScenario {
    var path: String
    var scenario: Scenario
    var setup: ModelSetup

    /// Loads and compiles; what it throws is an input error, which the command reports (exit 2).
    init(path: String) throws {
        self.path = path
        scenario = try Scenario.load(contentsOf: path)
        do { setup = try ModelSetup(scenario: scenario) } catch let error as ModelError {
            guard case .curveFitFailed(let market, _, _, _) = error, let m = scenario.markets.firstIndex(where: { $0.name == market }) else { throw error }
            throw InputError(file: path, keyPath: "markets[\(m)].sales.anchors", line: error.line, message: "\(error)")
        }
        try MonteCarloStudy.checkInputNames(setup, file: path)
    }

    /// The path of the reference figures' file the validation section names (relative to the scenario).
    var referencesPath: String? {
        guard let spec = scenario.validation else { return nil }
        let directory = path.contains("/") ? FileOutput.split(path).directory : ""
        return (spec.referencesFile as NSString).isAbsolutePath ? spec.referencesFile : (directory as NSString).appendingPathComponent(spec.referencesFile)
    }

    /// The reference figures the scenario's validation section points to (relative to the file).
    /// A target figure of the scenario's labels, within its years, that the model has no value for
    /// is an input error naming its row and field (a mistyped unit silently left a target
    /// unchecked); one beyond its years (a shorter horizon) stays not-modelled. With
    /// `requireTargets`, a file with no target figure for those labels is an error too.
    func references(requireTargets: Bool = false) throws -> [ReferenceFigure] {
        guard let spec = scenario.validation, let file = referencesPath else {
            throw InputError(file: path, keyPath: "validation", message: "no validation section: the scenario names no reference figures")
        }
        // A file that is not there, or is no file, is the scenario's to fix: named where the scenario names it.
        var status = stat()
        let what = stat(file, &status) != 0 ? "no such file" : status.st_mode & S_IFMT == S_IFDIR ? "a directory, not a file" : nil
        if let what {
            throw InputError(file: path, keyPath: "validation.references", line: spec.referencesLine,
                             message: "'\(spec.referencesFile)'" + (file == spec.referencesFile ? "" : " (\(file))")
                                 + ": \(what); give the reference figures' CSV, relative to this file")
        }
        let figures = try ReferenceFigure.load(contentsOf: file)
        let targets = figures.filter { $0.status.isTarget && spec.scenarioLabels.contains($0.scenario) }
        let projection = Projection(setup: setup)
        for figure in targets {
            if let why = projection.whyNotModelled(figure) { throw InputError(file: file, keyPath: "row \(figure.row).\(why.field)", message: why.problem) }
        }
        if requireTargets && targets.isEmpty {
            throw InputError(file: file, message: "holds no target figure (published, derived or corrected) of \(spec.scenarioLabels.joined(separator: " or ")), "
                                 + "the scenario labels \(path)'s validation section names")
        }
        return figures
    }
}
