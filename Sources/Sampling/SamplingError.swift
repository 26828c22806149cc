/// A sampler that cannot be built as requested.
public enum SamplingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// More Sobol' dimensions were requested than the direction-number table holds.
    case tooManyDimensions(requested: Int, supported: Int)
    /// A dimension count below zero.
    case negativeDimensionCount(Int)
    /// Two dimensions share a key, so they would receive identical draws.
    case duplicateDimensionKey(UInt64, firstPosition: Int, secondPosition: Int)

    public var description: String {
        switch self {
        case let .tooManyDimensions(requested, supported):
            "\(requested) Sobol' dimensions requested, but the Joe–Kuo table here supports at most \(supported); "
                + "use fewer uncertain inputs or the mc or lhs sampler"
        case let .negativeDimensionCount(count):
            "dimension count \(count) is negative; it must be ≥ 0"
        case let .duplicateDimensionKey(key, first, second):
            "dimensions \(first) and \(second) have the same key \(key); every uncertain input needs its own name"
        }
    }
}
