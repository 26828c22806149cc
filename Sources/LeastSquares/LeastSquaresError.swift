/// Why `levenbergMarquardt` could not start.
public enum LeastSquaresError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The problem's sizes, bounds or starting point are inconsistent.
    case invalidProblem(String)
    /// The residuals at the starting point contain NaN or infinity.
    case nonFiniteResidualsAtStart
    /// The Jacobian at the starting point contains NaN or infinity.
    case nonFiniteJacobianAtStart

    public var description: String {
        switch self {
        case let .invalidProblem(detail):
            "Invalid least-squares problem: \(detail)"
        case .nonFiniteResidualsAtStart:
            "The residuals at the starting point are not all finite (NaN or infinity, or their sum of squares overflows); choose another start"
        case .nonFiniteJacobianAtStart:
            "The Jacobian at the starting point is not all finite (NaN or infinity, or its entries so large that their squares overflow); choose another start"
        }
    }
}
