/// Exact Sobol' indices of a test function.
public struct AnalyticIndices: Sendable, Hashable {
    /// Variance of the output.
    public let variance: Double
    /// First-order indices.
    public let S1: [Double]
    /// Total-order indices.
    public let ST: [Double]
    /// Second-order indices S2[i][j] = S2[j][i], NaN on the diagonal.
    public let S2: [[Double]]
}
