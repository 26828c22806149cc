import Foundation
import LinearAlgebra

/// Imposes a rank-correlation structure on independent uniforms through a Gaussian copula
/// (Iman–Conover style): z = Φ⁻¹(u), z' = L z with L L' the Pearson correlation, u' = Φ(z').
///
/// Each marginal stays uniform, so the inputs' own quantile functions are applied afterwards.
public struct GaussianCopula: Sendable, Equatable {
    /// The number of correlated dimensions.
    public let dimensions: Int
    /// Lower Cholesky factor L of the Pearson correlation matrix, row-major n×n (zeros above the diagonal).
    public let choleskyFactor: [Double]

    /// Validates the Spearman rank-correlation matrix (square, symmetric, unit diagonal,
    /// off-diagonal entries in (-1, 1)),
    /// converts it to the Pearson correlation of the underlying normals, 2 sin(π ρs / 6), and factors it;
    /// the converted matrix must be positive definite.
    public init(rankCorrelation: [[Double]]) throws(DistributionError) {
        let n = rankCorrelation.count
        func reject(_ row: Int, _ column: Int, _ allowed: String) -> DistributionError {
            DistributionError(distribution: "GaussianCopula", parameter: "rankCorrelation[\(row)][\(column)]",
                              value: "\(rankCorrelation[row][column])", allowed: allowed)
        }
        guard n > 0 else {
            throw DistributionError(distribution: "GaussianCopula", parameter: "rankCorrelation", value: "[]",
                                    allowed: "a non-empty square matrix")
        }
        for (row, entries) in rankCorrelation.enumerated() where entries.count != n {
            throw DistributionError(distribution: "GaussianCopula", parameter: "rankCorrelation[\(row)].count",
                                    value: "\(entries.count)", allowed: "\(n), the number of rows (square matrix)")
        }
        var pearson = [Double](repeating: 0, count: n * n)
        for row in 0..<n {
            for column in 0..<n {
                let entry = rankCorrelation[row][column]
                if row == column {
                    guard entry == 1 else { throw reject(row, column, "1 (unit diagonal)") }
                } else {
                    guard entry > -1 && entry < 1 else {
                        throw reject(row, column, "in (-1, 1) off the diagonal (±1 would make two inputs one)")
                    }
                    guard entry == rankCorrelation[column][row] else {
                        throw reject(row, column, "equal to rankCorrelation[\(column)][\(row)] = "
                                     + "\(rankCorrelation[column][row]) (symmetric)")
                    }
                }
                pearson[row * n + column] = row == column ? 1 : 2 * sin(Double.pi * entry / 6)
            }
        }
        // Symmetric, so its row-major elements are also its column-major ones.
        let factor: Matrix
        do {
            factor = try choleskyLower(Matrix(rows: n, columns: n, columnMajor: pearson))
        } catch {
            let order = if case .notPositiveDefinite(_, let minor) = error as? LAPACKError { minor } else { n }
            throw DistributionError(
                distribution: "GaussianCopula", parameter: "rankCorrelation",
                value: "a matrix whose leading \(order)×\(order) block is not positive definite",
                allowed: "positive definite after conversion to Pearson correlation 2 sin(π ρ / 6); "
                    + "check the correlations among the first \(order) inputs for contradictions")
        }
        for row in 0..<n {
            for column in 0..<n { pearson[row * n + column] = column <= row ? factor[row, column] : 0 }
        }
        dimensions = n
        choleskyFactor = pearson
    }

    /// Correlates `count` points in place. Coordinate d of point i is `uniforms[d * count + i]`
    /// (dimension-major, as the samplers write them); values stay strictly inside (0, 1).
    public func correlate(_ uniforms: UnsafeMutableBufferPointer<Double>, dimensions: Int, count: Int) {
        precondition(dimensions == self.dimensions, "the copula has \(self.dimensions) dimensions, not \(dimensions)")
        precondition(uniforms.count >= dimensions * count, "the buffer holds fewer than dimensions × count values")
        guard let z = uniforms.baseAddress, count > 0 else { return }
        let total = dimensions * count
        for k in 0..<total { z[k] = standardNormalQuantile(z[k]) }
        // z' = L z row by row from the last dimension up: row d reads only rows ≤ d, which are
        // still unmodified, so no scratch space is needed and each update is a contiguous axpy.
        for d in stride(from: dimensions - 1, through: 0, by: -1) {
            let target = z + d * count
            let diagonal = choleskyFactor[d * dimensions + d]
            for i in 0..<count { target[i] *= diagonal }
            for k in 0..<d {
                let weight = choleskyFactor[d * dimensions + k]
                if weight == 0 { continue }
                let source = z + k * count
                for i in 0..<count { target[i] += weight * source[i] }
            }
        }
        let smallest = Double.leastNonzeroMagnitude, largest = (1.0).nextDown
        for k in 0..<total { z[k] = Swift.min(Swift.max(standardNormalCDF(z[k]), smallest), largest) }
    }
}
