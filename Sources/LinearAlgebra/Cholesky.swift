import CLapack

/// Lower-triangular L with A = L Lᵀ (LAPACK dpotrf); the strict upper triangle of the result is zero.
/// Only the lower triangle of `a` is read.
public func choleskyLower(_ a: Matrix) throws -> Matrix {
    let routine = "dpotrf"
    try requireSquare(a, routine: routine)
    var factor = a
    guard a.rows > 0 else { return factor }
    try requireFiniteNorm(a.elements, routine: routine)
    let info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, lapackFlag("L"), Int32(a.rows), &factor.elements, Int32(a.rows))
    try throwIfIllegalArgument(info, routine: routine)
    if info > 0 { throw LAPACKError.notPositiveDefinite(routine: routine, minorOrder: Int(info)) }
    for j in 1..<a.columns {
        for i in 0..<j { factor[i, j] = 0 }
    }
    return factor
}

/// A⁻¹ for symmetric positive definite A (LAPACK dpotrf then dpotri), returned as a full
/// symmetric matrix. Only the lower triangle of `a` is read.
public func inverseSymmetricPositiveDefinite(_ a: Matrix) throws -> Matrix {
    let factor = try choleskyLower(a)
    guard a.rows > 0 else { return factor }
    return try inverseFromTriangularFactor(factor, lower: true)
}

/// (FᵀF)⁻¹ or (F Fᵀ)⁻¹ from a triangular Cholesky-type factor (LAPACK dpotri), mirrored into a
/// full symmetric matrix. `lower` says which triangle of `factor` holds it.
func inverseFromTriangularFactor(_ factor: Matrix, lower: Bool) throws -> Matrix {
    let routine = "dpotri"
    var inverse = factor
    let n = factor.rows
    let info = LAPACKE_dpotri(LAPACK_COL_MAJOR, lapackFlag(lower ? "L" : "U"), Int32(n),
                              &inverse.elements, Int32(n))
    try throwIfIllegalArgument(info, routine: routine)
    if info > 0 {
        throw LAPACKError.singular(routine: routine, detail: "diagonal element \(info) of the factor is zero")
    }
    for j in 0..<n {
        for i in (j + 1)..<n {
            if lower { inverse[j, i] = inverse[i, j] } else { inverse[i, j] = inverse[j, i] }
        }
    }
    return inverse
}

func requireSquare(_ a: Matrix, routine: String) throws {
    guard a.rows == a.columns else {
        throw LAPACKError.dimensionMismatch(routine: routine, detail: "matrix is \(a.rows)×\(a.columns), not square")
    }
}
