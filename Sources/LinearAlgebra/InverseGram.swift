import CLapack

/// (AᵀA)⁻¹ for a tall matrix A of full column rank, computed from a column-pivoted QR
/// factorisation A P = Q R (LAPACK dgeqp3) and inv(RᵀR) (LAPACK dpotri), so AᵀA is never formed
/// and its squared condition number never enters.
/// - Parameter rankTolerance: A counts as rank deficient when some |R_kk| ≤ rankTolerance · |R_11|;
///   `nil` means max(m, n) · machine epsilon.
/// - Throws: `LAPACKError.singular` when A is (numerically) rank deficient.
public func inverseGram(_ a: Matrix, rankTolerance: Double? = nil) throws -> Matrix {
    let routine = "dgeqp3"
    let m = a.rows, n = a.columns
    guard m >= n else {
        throw LAPACKError.singular(routine: routine, detail: "\(m) rows cannot give rank \(n)")
    }
    guard n > 0 else { return Matrix(rows: 0, columns: 0) }
    let (r, pivots) = try pivotedTriangularFactor(a)
    let tolerance = rankTolerance ?? Double(max(m, n)) * Double.ulpOfOne
    let largest = abs(r[0, 0])
    for k in 0..<n where !(abs(r[k, k]) > tolerance * largest) {
        throw LAPACKError.singular(routine: routine,
                                   detail: "pivoted QR diagonal \(k + 1) is \(r[k, k]) against \(r[0, 0])")
    }
    let permutedInverse = try inverseFromTriangularFactor(r, lower: false)
    // Column j of A P is column pivots[j] − 1 of A, so (AᵀA)⁻¹ = P inv(RᵀR) Pᵀ.
    var inverse = Matrix(rows: n, columns: n)
    for j in 0..<n {
        for i in 0..<n {
            inverse[Int(pivots[i]) - 1, Int(pivots[j]) - 1] = permutedInverse[i, j]
        }
    }
    return inverse
}

/// Numerical rank of A: the number of diagonal entries of R in its column-pivoted QR factorisation
/// A P = Q R (LAPACK dgeqp3) above `rankTolerance` · |R_11| (0 for a zero matrix).
public func numericalRank(_ a: Matrix, rankTolerance: Double) throws -> Int {
    guard a.rows > 0, a.columns > 0 else { return 0 }
    let (r, _) = try pivotedTriangularFactor(a)
    let largest = abs(r[0, 0])
    return (0..<min(a.rows, a.columns)).filter { abs(r[$0, $0]) > rankTolerance * largest }.count
}

/// R (its leading min(m, n) rows) and the pivots of A P = Q R by LAPACK dgeqp3, for a non-empty A.
private func pivotedTriangularFactor(_ a: Matrix) throws -> (r: Matrix, pivots: [Int32]) {
    let routine = "dgeqp3"
    let m = a.rows, n = a.columns
    try requireFiniteNorm(a.elements, routine: routine)
    var factored = a
    var pivots = [Int32](repeating: 0, count: n)
    var tau = [Double](repeating: 0, count: min(m, n))
    let info = LAPACKE_dgeqp3(LAPACK_COL_MAJOR, Int32(m), Int32(n), &factored.elements, Int32(m), &pivots, &tau)
    try throwIfIllegalArgument(info, routine: routine)
    var r = Matrix(rows: min(m, n), columns: n)
    for j in 0..<n {
        for i in 0...min(j, m - 1) { r[i, j] = factored[i, j] }
    }
    return (r, pivots)
}
