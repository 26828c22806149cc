import Sampling

/// An analysis that cannot run as requested.
public enum SensitivityError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No inputs were named.
    case noInputs
    /// A group list was given but holds no group.
    case noGroups
    /// A group lists no input.
    case emptyGroup(group: String)
    /// A group names an input index outside 0 ..< inputCount.
    case unknownInput(index: Int, group: String, inputCount: Int)
    /// An input appears twice, in one group or in two.
    case inputListedTwice(input: String, group: String)
    /// An input belongs to no group; every input must be in exactly one.
    case ungroupedInput(input: String)
    /// Fewer than two base samples for Sobol' indices.
    case tooFewBaseSamples(Int)
    /// More base samples than the Sobol' sequence can index.
    case tooManyBaseSamples(Int, maximum: Int)
    /// More inputs than the Sobol' sequence has dimensions for (it needs two per input).
    case tooManyInputs(Int, maximum: Int)
    /// Fewer than two Morris trajectories.
    case tooFewTrajectories(Int)
    /// More model evaluations than a design may have (rows times points per row).
    case tooManyEvaluations(rows: Int, pointsPerRow: Int, maximum: Int)
    /// More outputs than may be kept in memory (evaluations times outputs per point).
    case tooManyOutputs(evaluations: Int, outputsPerPoint: Int, maximum: Int)
    /// Fewer than two Morris grid levels.
    case tooFewLevels(Int)
    /// An odd number of Morris levels: the jump p / 2 levels would fall between grid points.
    case oddLevels(Int)
    /// A thread count below one.
    case invalidThreadCount(Int)
    /// A row range outside the design.
    case rowsOutOfRange(Range<Int>, rowCount: Int)
    /// Fewer than two bootstrap resamples.
    case tooFewResamples(Int)
    /// More bootstrap resamples than their replicates' memory allows.
    case tooManyResamples(Int, maximum: Int)
    /// A confidence level outside (0, 1).
    case invalidConfidenceLevel(Double)
    /// Tornado quantile levels not satisfying 0 < low < high < 1.
    case invalidQuantileLevels(low: Double, high: Double)
    /// The number of outputs does not match the design.
    case outputCountMismatch(expected: Int, actual: Int)
    /// An output is NaN or infinite.
    case nonFiniteOutput(index: Int, value: Double)
    /// The outputs of A and B do not vary beyond rounding, so indices are undefined.
    case constantOutput
    /// The design's sampler refused its dimensions.
    case sampling(SamplingError)
    /// Of several outputs analysed together, these (indices into them) do not vary.
    case constantOutputs([Int])

    public var description: String {
        switch self {
        case .noInputs: "no inputs: sensitivity analysis needs at least one input"
        case .noGroups: "an empty group list was given; pass nil to analyse inputs one by one"
        case let .emptyGroup(group): "group '\(group)' lists no input"
        case let .unknownInput(index, group, count): "group '\(group)' names input \(index), outside 0..<\(count)"
        case let .inputListedTwice(input, group): "input '\(input)' is listed a second time, in group '\(group)'"
        case let .ungroupedInput(input): "input '\(input)' belongs to no group; every input must be in exactly one"
        case let .tooFewBaseSamples(n): "\(n) base samples requested; Sobol' indices need at least 2"
        case let .tooManyBaseSamples(n, maximum): "\(n) base samples requested; at most \(maximum) are supported"
        case let .tooManyInputs(k, maximum): "\(k) inputs; Sobol' sampling supports at most \(maximum)"
        case let .tooFewTrajectories(r): "\(r) Morris trajectories requested; at least 2 are needed"
        case let .tooManyEvaluations(rows, perRow, maximum):
            "\(rows) × \(perRow) model evaluations requested; at most \(maximum) are supported (their outputs are kept in memory)"
        case let .tooManyOutputs(evaluations, perPoint, maximum):
            "\(evaluations) model evaluations × \(perPoint) outputs each; at most \(maximum) outputs are supported (they are kept in memory)"
        case let .tooFewLevels(p): "\(p) Morris levels requested; at least 2 are needed"
        case let .oddLevels(p): "\(p) Morris levels requested; the level count must be even so that jumps stay on the grid"
        case let .invalidThreadCount(t): "thread count \(t) must be at least 1"
        case let .rowsOutOfRange(rows, count): "rows \(rows) lie outside the design's 0..<\(count)"
        case let .tooFewResamples(b): "\(b) bootstrap resamples requested; at least 2 are needed"
        case let .tooManyResamples(b, maximum): "\(b) bootstrap resamples requested; at most \(maximum) are supported"
        case let .invalidConfidenceLevel(level): "confidence level \(level) must lie strictly between 0 and 1"
        case let .invalidQuantileLevels(low, high): "quantile levels low \(low), high \(high) must satisfy 0 < low < high < 1"
        case let .outputCountMismatch(expected, actual): "\(actual) outputs given; the design has \(expected) evaluations"
        case let .nonFiniteOutput(index, value): "output \(index) is \(value); every output must be finite"
        case .constantOutput: "the model output does not vary over the sample (beyond rounding), so sensitivity indices are undefined"
        case let .sampling(error): "\(error)"
        case let .constantOutputs(outputs): "outputs \(outputs) do not vary over the sample (beyond rounding), so their sensitivity indices are undefined"
        }
    }
}
