import CLapack

extension Matrix {
    /// Matrix product `lhs · rhs` (BLAS dgemm).
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.columns == rhs.rows,
                     "Cannot multiply \(lhs.rows)×\(lhs.columns) by \(rhs.rows)×\(rhs.columns)")
        var result = Matrix(rows: lhs.rows, columns: rhs.columns)
        guard lhs.rows > 0, rhs.columns > 0, lhs.columns > 0 else { return result }
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans,
                    Int32(lhs.rows), Int32(rhs.columns), Int32(lhs.columns),
                    1, lhs.elements, Int32(lhs.rows), rhs.elements, Int32(rhs.rows),
                    0, &result.elements, Int32(result.rows))
        return result
    }

    /// Matrix–vector product `lhs · rhs` (BLAS dgemv).
    public static func * (lhs: Matrix, rhs: [Double]) -> [Double] {
        precondition(lhs.columns == rhs.count,
                     "Cannot multiply \(lhs.rows)×\(lhs.columns) by a vector of length \(rhs.count)")
        var result = [Double](repeating: 0, count: lhs.rows)
        guard lhs.rows > 0, lhs.columns > 0 else { return result }
        cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(lhs.rows), Int32(lhs.columns),
                    1, lhs.elements, Int32(lhs.rows), rhs, 1, 0, &result, 1)
        return result
    }

    /// `selfᵀ · vector` without forming the transpose (BLAS dgemv).
    public func transposeTimes(_ vector: [Double]) -> [Double] {
        precondition(rows == vector.count,
                     "Cannot multiply the transpose of \(rows)×\(columns) by a vector of length \(vector.count)")
        var result = [Double](repeating: 0, count: columns)
        guard rows > 0, columns > 0 else { return result }
        cblas_dgemv(CblasColMajor, CblasTrans, Int32(rows), Int32(columns),
                    1, elements, Int32(rows), vector, 1, 0, &result, 1)
        return result
    }
}
