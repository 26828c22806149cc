import Foundation
import RoadmapModel
import StudyOutputs
import UncertaintyStudy

// Usage: Embedding SCENARIO.yaml — prints the median of the scenario's 2060 total CO2 reduction.
guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: Embedding SCENARIO.yaml\n".utf8))
    exit(2)
}
do {
    // Seed 1 and the scrambled Sobol' sampler, as `hpmc run`; the thread count never changes the numbers.
    let settings = StudySettings(samples: 10_000, seed: 1, threads: ProcessInfo.processInfo.activeProcessorCount)
    let study = try MonteCarloStudy(scenarioFile: CommandLine.arguments[1], settings: settings)
    let state = try study.run()
    let totalReduction = SeriesKey(market: Names.total, metric: .reduction)
    guard let median = study.percentile(50, of: totalReduction, year: 2060, in: state) else {
        FileHandle.standardError.write(Data("error: the scenario has no 2060 total reduction\n".utf8))
        exit(1)
    }
    print(median)  // 1e8 tCO2/yr, the roadmap's unit: bands.csv's p50 of `hpmc run --samples 10000`
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
