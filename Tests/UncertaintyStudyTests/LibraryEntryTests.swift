import Foundation
import Testing
import RoadmapModel
import StudyOutputs
import UncertaintyStudy

/// The embedders' entry point (README, "Using hpmc as a library") reads what the general API reads.
struct LibraryEntryTests {
    @Test func scenarioFileStudyGivesTheBandsPercentiles() throws {
        let path = repositoryRoot.appendingPathComponent("Scenarios/cns.yaml").path
        let settings = StudySettings(samples: StudySettings.chunkSize + 100, seed: 5, threads: 2)
        let study = try MonteCarloStudy(scenarioFile: path, settings: settings)
        let state = try study.run()
        let general = try MonteCarloStudy(setup: setup(), settings: settings)
        let rows = general.bands(try general.run(chunks: 0..<general.plan.chunkCount))
        let total = SeriesKey(market: Names.total, metric: .reduction)
        for (percent, stat) in [(5.0, "p5"), (50, "p50"), (95, "p95")] {
            let row = try #require(rows.first { $0.key == total && $0.year == 2060 && $0.stat == stat })
            #expect(study.percentile(percent, of: total, year: 2060, in: state) == row.value)
        }
        // Only the study's percentiles, its series and its years have values.
        #expect(study.percentile(2.5, of: total, year: 2060, in: state) == nil)
        #expect(study.percentile(50, of: total, year: 2061, in: state) == nil)
        #expect(study.percentile(50, of: SeriesKey(market: "cooling", metric: .reduction), year: 2060, in: state) == nil)
    }

    @Test func missingScenarioFileThrows() {
        #expect(throws: (any Error).self) {
            try MonteCarloStudy(scenarioFile: repositoryRoot.appendingPathComponent("Scenarios/none.yaml").path, settings: StudySettings(samples: 10))
        }
    }
}
