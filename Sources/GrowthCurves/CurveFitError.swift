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
    /// A start parameter lies where the curve is not defined (Richards' ν ≤ 0).
    case startOutsideDomain(model: CurveModel, parameter: String, value: Double)
    /// Fewer distinct times than parameters: the curve's shape cannot be determined.
    case tooFewDistinctTimes(model: CurveModel, needed: Int, got: Int)
    /// The times are so large for their spread that t − t0 loses most of its digits.
    case timesNotResolved(spread: Double, magnitude: Double)
    /// Every weighted observation is 0: the curve through them has K = 0, and then no other
    /// parameter changes it, so any values of them fit (and would be reported as if estimated).
    case allZero(model: CurveModel)
    /// The largest |y|·√w (with relative residuals: a |y|/√w) lies outside 1e-150...1e150, where the
    /// sums of squares leave double precision.
    case valuesOutOfRange(size: Double, relative: Bool)

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
        case let .startOutsideDomain(model, parameter, value):
            "start \(parameter) = \(value) is outside the \(model.rawValue) curve's domain: \(parameter) must be at least \(richardsLeastNu)"
        case let .tooFewDistinctTimes(model, needed, got):
            "\(model.rawValue) needs observations at \(needed) or more distinct times to determine its parameters, got \(got)"
        case let .allZero(model):
            "every y is 0: the \(model.rawValue) curve through them has K = 0, and its other parameters (\(model.parameterNames.dropFirst().joined(separator: ", "))) are then arbitrary; give data that rise"
        case let .valuesOutOfRange(size, relative):
            (relative ? "a y (over the square root of its weight) of \(size) lies" : "the largest |y| (times the square root of its weight) is \(size),")
                + " outside 1e-150 to 1e150, where the sums of squares leave double precision"
        case let .timesNotResolved(spread, magnitude):
            "the times span \(spread) at magnitude \(magnitude), where doubles are \(magnitude.ulp) apart: t - t0 cannot be resolved; subtract an origin from t"
        }
    }
}
