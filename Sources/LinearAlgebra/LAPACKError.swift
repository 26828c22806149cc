/// A failure reported by a LAPACK routine, naming the routine.
public enum LAPACKError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Argument number `index` of `routine` had an illegal value (LAPACK `info < 0`).
    case illegalArgument(routine: String, index: Int)
    /// The matrix is singular or rank deficient; `detail` says where.
    case singular(routine: String, detail: String)
    /// The leading minor of order `minorOrder` is not positive definite.
    case notPositiveDefinite(routine: String, minorOrder: Int)
    /// An iterative routine (such as an SVD) did not converge.
    case noConvergence(routine: String, info: Int)
    /// The operands' shapes do not fit the routine.
    case dimensionMismatch(routine: String, detail: String)
    /// An operand holds NaN or infinity, or entries so large that its norm overflows; the routine
    /// was not called (LAPACK would print its own complaint to stderr, or its scaling break down).
    case notRepresentable(routine: String)

    public var description: String {
        switch self {
        case let .illegalArgument(routine, index):
            "\(routine): argument \(index) had an illegal value"
        case let .singular(routine, detail):
            "\(routine): matrix is singular or rank deficient (\(detail))"
        case let .notPositiveDefinite(routine, minorOrder):
            "\(routine): matrix is not positive definite (leading minor of order \(minorOrder))"
        case let .noConvergence(routine, info):
            "\(routine): the algorithm did not converge (info = \(info))"
        case let .dimensionMismatch(routine, detail):
            "\(routine): dimension mismatch (\(detail))"
        case let .notRepresentable(routine):
            "\(routine): the matrix holds NaN, infinity or entries so large that its norm overflows"
        }
    }
}

/// Throws for a negative LAPACK `info`; positive values are routine-specific and left to the caller.
func throwIfIllegalArgument(_ info: Int32, routine: String) throws {
    if info < 0 { throw LAPACKError.illegalArgument(routine: routine, index: Int(-info)) }
}

/// Throws `notRepresentable` unless the sum of squares of `values` is finite.
func requireFiniteNorm(_ values: [Double], routine: String) throws {
    guard values.reduce(0, { $0 + $1 * $1 }).isFinite else { throw LAPACKError.notRepresentable(routine: routine) }
}

/// The `char` LAPACKE expects for a one-letter option such as "L" or "N".
func lapackFlag(_ letter: Unicode.Scalar) -> CChar {
    CChar(UInt8(ascii: letter))
}
