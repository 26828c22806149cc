import Sampling

/// What a Monte Carlo study runs: everything that determines its numbers, plus the thread count,
/// which never changes them.
public struct StudySettings: Sendable, Equatable {
    public var samples: Int
    public var seed: UInt64
    public var sampler: SamplerKind
    public var threads: Int
    /// Percentiles reported for every series, in per cent.
    public var percentiles: [Double]
    /// Conditions whose probability is counted sample by sample (they must be known as the samples run).
    public var targets: [TargetCondition]
    /// The series tracked and written (checked against the scenario by `MonteCarloStudy`).
    public var focus: StudyFocus

    /// Samples per chunk: the unit of scheduling, of Latin hypercube stratification and of sharding.
    /// Part of the study's identity: changing it changes the numbers.
    public static let chunkSize = 2048
    /// Samples folded together into the statistics' moments (one block's summary is rounded once):
    /// a whole chunk, so that each series' fold into fixed point costs little per sample. Part of the
    /// study's identity, in the last bits of means and standard deviations.
    static let blockSize = chunkSize
    /// Samples the kernel evaluates at once: a multiple of eight that divides `blockSize`, large
    /// enough to spread each step's fixed costs over many lanes (256 measured fastest of 16 to 512
    /// on the reference machine since the kernel leaves the totals to the staging; 128 before). It
    /// never changes the numbers.
    public static let kernelLanes = 256
    /// Chunks a worker stages before counting them into its bins: each series' live bins come into
    /// cache once per commit, so fewer commits mean less memory traffic. Counts are integers, so it
    /// never changes the numbers.
    static let chunksPerCommit = 4
    /// How long a round of chunks runs: progress and checkpoints come between rounds, and each round
    /// ends in a barrier where workers wait for the last chunk (about 1 ms on the reference machine),
    /// so rounds are bounded by time rather than by chunks. It never changes the numbers.
    public static let roundDuration = Duration.milliseconds(250)
    /// The most samples a study can have: 2^27 chunks, the headroom the statistics' fixed-point
    /// moments leave in Int128 (`SeriesMoments.chunkLimit`); chunk and sample arithmetic then stays
    /// far inside Int and the 64-bit counters.
    public static let maximumSamples = (1 << 27) * chunkSize
    /// The percentiles reported unless a command is given others (`run --percentiles`).
    public static let defaultPercentiles: [Double] = [5, 25, 50, 75, 95]

    /// `samples` samples; the defaults are `hpmc run`'s, except one thread. Checked by `validate()`,
    /// which `MonteCarloStudy` calls.
    public init(samples: Int, seed: UInt64 = 1, sampler: SamplerKind = .sobol, threads: Int = 1,
                percentiles: [Double] = defaultPercentiles, targets: [TargetCondition] = [], focus: StudyFocus = .all) {
        self.samples = samples
        self.seed = seed
        self.sampler = sampler
        self.threads = threads
        self.percentiles = percentiles
        self.targets = targets
        self.focus = focus
    }

    /// Checks the settings; the message says what is allowed.
    public func validate() throws(StudyError) {
        guard samples > 0, samples <= Self.maximumSamples else {
            throw StudyError(.sampleCount, "\(samples) samples; give 1 to \(Self.maximumSamples)")
        }
        if sampler == .sobol && samples > 1 << SobolSequence.bits {
            throw StudyError(.sampleCount, "\(samples) samples; the sobol sampler has 2^\(SobolSequence.bits) = \(1 << SobolSequence.bits) points (use mc or lhs for more)")
        }
        guard threads > 0 else { throw StudyError(.threads, "\(threads) threads; it must be at least 1") }
        try Self.validate(percentiles: percentiles)
    }

    /// The sampler of these settings over `dimensionKeys` (one per input), with `seed` instead of theirs if given.
    func sampler(seed: UInt64? = nil, dimensionKeys: [UInt64]) throws(StudyError) -> UniformSampler {
        do {
            return try UniformSampler(kind: sampler, seed: seed ?? self.seed, dimensionKeys: dimensionKeys)
        } catch {
            throw StudyError(.sampler, "\(error)")
        }
    }

    /// Checks a list of percentiles: at least one, each strictly between 0 and 100, strictly increasing.
    public static func validate(percentiles: [Double]) throws(StudyError) {
        guard !percentiles.isEmpty else { throw StudyError(.percentiles, "give at least one percentile") }
        for p in percentiles where !(p > 0 && p < 100) {
            throw StudyError(.percentiles, "\(p) is not a percentile strictly between 0 and 100")
        }
        for (a, b) in zip(percentiles, percentiles.dropFirst()) where !(a < b) {
            throw StudyError(.percentiles, "\(a) then \(b): give each percentile once, in increasing order")
        }
    }
}
