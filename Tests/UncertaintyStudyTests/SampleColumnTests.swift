import Foundation
import Scenario
import Testing
@testable import RoadmapModel
@testable import UncertaintyStudy

/// Issue 14, part 7a: an input named like a samples.csv column would give the file two columns of one name.
struct SampleColumnNames {
    func renamed(_ name: String) throws -> ModelSetup {
        let text = try String(contentsOfFile: repositoryRoot.appendingPathComponent("Scenarios/cns.yaml").path, encoding: .utf8)
        return try ModelSetup(scenario: Scenario.parse(text: text.replacingOccurrences(of: "name: grid_2030", with: "name: \(name)"),
                                                       file: "renamed.yaml"))
    }

    @Test func inputsNamedLikeOutputColumnsAreRefused() throws {
        let header = try MonteCarloStudy(setup: setup(), settings: StudySettings(samples: 10, seed: 1, sampler: .mc)).samplesHeader
        let inputs = Set(try setup().scenario.uncertain.map(\.name))
        let ownColumns = header.filter { !inputs.contains($0) }
        #expect(ownColumns.contains("sample") && ownColumns.contains("reduction_total_2060") && ownColumns.contains("value_hotwater_2060"))
        for column in ownColumns {
            let model = try renamed(column)
            do {
                try MonteCarloStudy.checkInputNames(model, file: "renamed.yaml")
                Issue.record("'\(column)' should be refused")
            } catch let error as InputError {
                #expect(error.file == "renamed.yaml" && error.keyPath == "uncertain[0].name" && error.line != nil, "\(error)")
                #expect(error.description.contains("'\(column)' is a column of samples.csv"), "\(error)")
            }
        }
    }

    @Test func otherNamesPass() throws {
        for name in ["reduction_total_2050", "samples", "sales_gas_2060"] {
            #expect(throws: Never.self) { try MonteCarloStudy.checkInputNames(self.renamed(name), file: "renamed.yaml") }
        }
        #expect(throws: Never.self) { try MonteCarloStudy.checkInputNames(setup("ngs"), file: "ngs.yaml") }
    }
}
