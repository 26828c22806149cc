/// Sobol's G function f = Π (|4 x_i − 2| + a_i) / (1 + a_i) on [0, 1]^k (Saltelli and Sobol' 1995).
///
/// Smaller a_i means a more important input: a = 0 important, a = 9 unimportant, a = 99 negligible.
public struct SobolGFunction: BatchEvaluator, Hashable {
    /// One coefficient a_i ≥ 0 per input.
    public let a: [Double]

    public init(a: [Double]) {
        self.a = a
    }

    /// Names x1 … xk.
    public var inputNames: [String] { a.indices.map { "x\($0 + 1)" } }

    public mutating func evaluate(points: UnsafeBufferPointer<Double>, count: Int,
                                  into outputs: UnsafeMutableBufferPointer<Double>) {
        precondition(points.count >= a.count * count && outputs.count >= count, "buffers too small")
        for i in 0..<count { outputs[i] = 1 }
        for (d, ad) in a.enumerated() {
            let scale = 1 / (1 + ad)
            for i in 0..<count { outputs[i] *= (abs(4 * points[d * count + i] - 2) + ad) * scale }
        }
    }

    /// Exact indices: each factor has mean 1 and variance V_i = 1 / (3 (1 + a_i)²), so by the product
    /// form V_I = Π_{i∈I} V_i for every subset I, V = Π (1 + V_i) − 1,
    /// S_i = V_i / V, S_ij = V_i V_j / V and ST_i = V_i Π_{j≠i} (1 + V_j) / V.
    public var analyticIndices: AnalyticIndices {
        let partial = a.map { 1 / (3 * (1 + $0) * (1 + $0)) }
        let product = partial.reduce(1) { $0 * (1 + $1) }
        let variance = product - 1
        let s2 = partial.indices.map { i in
            partial.indices.map { j in i == j ? .nan : partial[i] * partial[j] / variance }
        }
        return AnalyticIndices(variance: variance,
                               S1: partial.map { $0 / variance },
                               ST: partial.map { $0 * product / (1 + $0) / variance },
                               S2: s2)
    }
}
