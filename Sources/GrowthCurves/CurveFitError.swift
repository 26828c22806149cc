/// Invalid input to `fitCurve`.
public enum CurveFitError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `t` and `y` have different lengths.
    case countMismatch(t: Int, y: Int)
    /// `weights` does not have one entry per observation.
    case weightCountMismatch(weights: Int, observations: Int)
    /// Fewer usable observations than parameters.
    case tooFewPoints(model: CurveModel, needed: Int, got: Int)
    /// An observation is NaN or infinite.
    case nonFiniteData(index: Int)
    /// Relative residuals divide by y, which must then be positive.
    case nonPositiveValueWithRelativeResiduals(index: Int, value: Double)
    /// Weights must be finite and non-negative.
    case invalidWeight(index: Int, value: Double)
    /// The explicit start has the wrong length or is not finite.
    case invalidStart(model: CurveModel, start: [Double])

    public var description: String {
        switch self {
        case let .countMismatch(t, y):
            "t has \(t) values but y has \(y); they must pair up"
        case let .weightCountMismatch(weights, observations):
            "\(weights) weights given for \(observations) observations"
        case let .tooFewPoints(model, needed, got):
            "\(model.rawValue) needs at least \(needed) observations with positive weight, got \(got)"
        case let .nonFiniteData(index):
            "observation \(index) is NaN or infinite"
        case let .nonPositiveValueWithRelativeResiduals(index, value):
            "relative residuals need positive y, but observation \(index) is \(value)"
        case let .invalidWeight(index, value):
            "weight \(index) is \(value); weights must be finite and non-negative"
        case let .invalidStart(model, start):
            "start \(start) is not \(model.parameterCount) finite values for \(model.rawValue) \(model.parameterNames)"
        }
    }
}
