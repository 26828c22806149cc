import Foundation

/// Ishigami and Homma's (1990) function f = sin x1 + a sin² x2 + b x3⁴ sin x1, x_i uniform on [−π, π].
///
/// Three inputs; unit coordinate u maps to x = π(2u − 1).
public struct IshigamiFunction: BatchEvaluator, Hashable {
    public let a: Double
    public let b: Double

    /// The usual parameters are a = 7, b = 0.1 (Marrel et al. 2009; Sobol' and Levitan 1999).
    public init(a: Double = 7, b: Double = 0.1) {
        self.a = a
        self.b = b
    }

    public static let inputNames = ["x1", "x2", "x3"]

    public mutating func evaluate(points: UnsafeBufferPointer<Double>, count: Int,
                                  into outputs: UnsafeMutableBufferPointer<Double>) {
        precondition(points.count >= 3 * count && outputs.count >= count, "buffers too small")
        for i in 0..<count {
            let x1 = Double.pi * (2 * points[i] - 1)
            let x2 = Double.pi * (2 * points[count + i] - 1)
            let x3 = Double.pi * (2 * points[2 * count + i] - 1)
            let sin2 = sin(x2), x3Squared = x3 * x3
            outputs[i] = sin(x1) * (1 + b * x3Squared * x3Squared) + a * sin2 * sin2
        }
    }

    /// Exact indices. Write f = sin x1 · (1 + b x3⁴) + a sin² x2 with the moments over [−π, π]
    /// E sin² = 1/2, E sin⁴ = 3/8, E x⁴ = π⁴/5, E x⁸ = π⁸/9. Then
    /// V1 = ½ (1 + b π⁴/5)², V2 = a²/8, V3 = 0, V13 = ½ b² (E x⁸ − (E x⁴)²) = 8 b² π⁸ / 225,
    /// V12 = V23 = 0 and V = V1 + V2 + V13.
    public var analyticIndices: AnalyticIndices {
        let pi4 = pow(Double.pi, 4), pi8 = pi4 * pi4
        let v1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5)
        let v2 = a * a / 8
        let v13 = 8 * b * b * pi8 / 225
        let variance = v1 + v2 + v13
        var s2 = [[Double]](repeating: [0, 0, 0], count: 3)
        for i in 0..<3 { s2[i][i] = .nan }
        s2[0][2] = v13 / variance
        s2[2][0] = v13 / variance
        return AnalyticIndices(variance: variance,
                               S1: [v1 / variance, v2 / variance, 0],
                               ST: [(v1 + v13) / variance, v2 / variance, v13 / variance],
                               S2: s2)
    }
}
