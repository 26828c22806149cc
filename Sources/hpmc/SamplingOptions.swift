import ArgumentParser
import ParallelRunner
import Sampling
import UncertaintyStudy

/// The options every sampling command shares: what determines the draws, and the thread count
/// (which never changes them).
struct SamplingOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Random seed (a non-negative integer).")
    var seed: UInt64 = 1

    @Option(help: "Sampler: mc (plain), lhs (Latin hypercube, stratified per chunk of \(StudySettings.chunkSize)), sobol (scrambled Sobol').")
    var sampler: SamplerKind = .sobol

    @Option(parsing: .unconditional, help: "Worker threads (default: all cores). Never changes the results.")
    var threads: Int = availableCoreCount()

    func settings(samples: Int, percentiles: [Double] = StudySettings.defaultPercentiles) -> StudySettings {
        StudySettings(samples: samples, seed: seed, sampler: sampler, threads: threads, percentiles: percentiles)
    }
}

extension SamplerKind: ExpressibleByArgument {}
