import CLapack

/// Result of a linear least-squares solve.
public struct LeastSquaresSolution: Sendable, Equatable {
    /// The minimum-norm minimiser of ‖A x − b‖.
    public var solution: [Double]
    /// Effective rank of A (singular values above `rcond · σ_max`).
    public var rank: Int
    /// Singular values of A in decreasing order.
    public var singularValues: [Double]
}

/// Minimum-norm solution of min ‖A x − b‖ by LAPACK dgelsd (SVD, divide and conquer), which
/// stays well defined when A is rank deficient.
/// - Parameter rcond: singular values below `rcond · σ_max` count as zero; negative means machine precision.
public func leastSquares(_ a: Matrix, _ b: [Double], rcond: Double = -1) throws -> LeastSquaresSolution {
    let routine = "dgelsd"
    guard b.count == a.rows else {
        throw LAPACKError.dimensionMismatch(routine: routine,
                                            detail: "A is \(a.rows)×\(a.columns), b has \(b.count) entries")
    }
    let m = a.rows, n = a.columns
    guard m > 0, n > 0 else {
        return LeastSquaresSolution(solution: [Double](repeating: 0, count: n), rank: 0, singularValues: [])
    }
    try requireFiniteNorm(a.elements, routine: routine)
    try requireFiniteNorm(b, routine: routine)
    var work = a.elements
    // dgelsd overwrites b (length max(m, n)) with the solution in its first n entries.
    var rhs = b + [Double](repeating: 0, count: max(0, n - m))
    var singularValues = [Double](repeating: 0, count: min(m, n))
    var rank: Int32 = 0
    let info = LAPACKE_dgelsd(LAPACK_COL_MAJOR, Int32(m), Int32(n), 1, &work, Int32(m),
                              &rhs, Int32(max(m, n)), &singularValues, rcond, &rank)
    try throwIfIllegalArgument(info, routine: routine)
    if info > 0 { throw LAPACKError.noConvergence(routine: routine, info: Int(info)) }
    return LeastSquaresSolution(solution: Array(rhs.prefix(n)), rank: Int(rank), singularValues: singularValues)
}
