import Foundation
import RoadmapModel
import Scenario
import UncertaintyStudy

/// A loaded scenario compiled for evaluation, with the path it came from.
struct LoadedScenario {
    var path: String
    var scenario: Scenario
    var setup: ModelSetup

    /// Loads and compiles; every failure is an input error (exit 2).
    init(path: String) throws {
        self.path = path
        scenario = try reportingInputErrors { try Scenario.load(contentsOf: path) }
        let scenario = self.scenario
        let setup = try reportingInputErrors { try ModelSetup(scenario: scenario) }
        try reportingInputErrors { try MonteCarloStudy.checkInputNames(setup, file: path) }
        self.setup = setup
    }

    /// The reference figures the scenario's validation section points to (relative to the file).
    func references() throws -> [ReferenceFigure] {
        guard let spec = scenario.validation else {
            throw inputFailure(InputError(file: path, keyPath: "validation", message: "no validation section: the scenario names no reference figures"))
        }
        let directory = (path as NSString).deletingLastPathComponent
        let file = (spec.referencesFile as NSString).isAbsolutePath ? spec.referencesFile
            : (directory as NSString).appendingPathComponent(spec.referencesFile)
        return try reportingInputErrors { try ReferenceFigure.load(contentsOf: file) }
    }
}
