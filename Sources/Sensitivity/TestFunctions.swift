import Foundation

/// Ishigami & Homma (1990): f = sin x1 + a sin² x2 + b x3⁴ sin x1, x_i uniform on [−π, π].
/// Its Sobol' indices are known in closed form.
public struct Ishigami: BatchEvaluator, Sendable {
    public var a: Double
    public var b: Double
    public init(a: Double = 7, b: Double = 0.1) { self.a = a; self.b = b }

    public func evaluate(points: UnsafeBufferPointer<Double>, count: Int, into outputs: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<count {
            let x1 = -Double.pi + 2 * Double.pi * points[i]
            let x2 = -Double.pi + 2 * Double.pi * points[count + i]
            let x3 = -Double.pi + 2 * Double.pi * points[2 * count + i]
            outputs[i] = sin(x1) + a * sin(x2) * sin(x2) + b * pow(x3, 4) * sin(x1)
        }
    }

    /// Analytic first-order and total indices of x1, x2, x3.
    public var analyticIndices: (S1: [Double], ST: [Double]) {
        let pi4 = pow(Double.pi, 4), pi8 = pow(Double.pi, 8)
        let v1 = 0.5 * pow(1 + b * pi4 / 5, 2)
        let v2 = a * a / 8
        let v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50)
        let v = v1 + v2 + v13
        return ([v1 / v, v2 / v, 0], [(v1 + v13) / v, v2 / v, v13 / v])
    }
}

/// Sobol's G function: f = Π (|4x_i − 2| + a_i) / (1 + a_i) on [0, 1]^k; small a_i, important input.
public struct SobolG: BatchEvaluator, Sendable {
    public var a: [Double]
    public init(a: [Double]) { self.a = a }

    public func evaluate(points: UnsafeBufferPointer<Double>, count: Int, into outputs: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<count {
            var product = 1.0
            for (d, ad) in a.enumerated() { product *= (abs(4 * points[d * count + i] - 2) + ad) / (1 + ad) }
            outputs[i] = product
        }
    }

    /// V_i = 1 / (3 (1 + a_i)²), V = Π(1 + V_i) − 1, S1_i = V_i / V, ST_i = V_i Π_{j≠i}(1 + V_j) / V.
    public var analyticIndices: (S1: [Double], ST: [Double]) {
        let partial = a.map { 1 / (3 * (1 + $0) * (1 + $0)) }
        let all = partial.reduce(1) { $0 * (1 + $1) }
        let v = all - 1
        return (partial.map { $0 / v }, partial.map { $0 * all / (1 + $0) / v })
    }
}
