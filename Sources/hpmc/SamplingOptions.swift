import ArgumentParser
import ParallelRunner
import Sampling
import UncertaintyStudy

/// The options every sampling command shares: what determines the draws, and the thread count
/// (which never changes them).
struct SamplingOptions: ParsableArguments {
    // Optional, with the defaults below, so that a command can refuse them where they would be ignored.
    static let defaultSeed: UInt64 = 1, defaultSampler = SamplerKind.sobol

    @Option(name: .customLong("seed"), parsing: .unconditional,
            help: ArgumentHelp("Random seed (a non-negative integer; default \(SamplingOptions.defaultSeed)).", valueName: "seed"))
    var givenSeed: UInt64?

    @Option(name: .customLong("sampler"), help: ArgumentHelp("Sampler: mc (plain), lhs (Latin hypercube, stratified per chunk of \(StudySettings.chunkSize)), "
                                                             + "sobol (scrambled Sobol'); default \(SamplingOptions.defaultSampler.rawValue).", valueName: "sampler"))
    var givenSampler: SamplerKind?

    var seed: UInt64 { givenSeed ?? Self.defaultSeed }
    var sampler: SamplerKind { givenSampler ?? Self.defaultSampler }

    /// The options given that choose the draws, by name, `--samples` first when `samples` was given:
    /// what a command that draws nothing refuses.
    func givenDrawOptions(samples: Int?) -> [String] {
        (samples == nil ? [] : ["--samples"]) + (givenSeed == nil ? [] : ["--seed"]) + (givenSampler == nil ? [] : ["--sampler"])
    }

    @Option(parsing: .unconditional, help: "Worker threads (default: all cores). Never changes the results.")
    var threads: Int = availableCoreCount()

    func settings(samples: Int, percentiles: [Double] = StudySettings.defaultPercentiles) -> StudySettings {
        StudySettings(samples: samples, seed: seed, sampler: sampler, threads: threads, percentiles: percentiles)
    }
}

extension SamplerKind: ExpressibleByArgument {}
