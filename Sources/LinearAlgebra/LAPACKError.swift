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
        }
    }
}

/// Throws for a negative LAPACK `info`; positive values are routine-specific and left to the caller.
func throwIfIllegalArgument(_ info: Int32, routine: String) throws {
    if info < 0 { throw LAPACKError.illegalArgument(routine: routine, index: Int(-info)) }
}

/// The `char` LAPACKE expects for a one-letter option such as "L" or "N".
func lapackFlag(_ letter: Unicode.Scalar) -> CChar {
    CChar(UInt8(ascii: letter))
}
