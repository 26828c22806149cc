/// The Sobol' index estimators on the outputs of a `SobolDesign`, for any multiset of base rows.
///
/// First order: Saltelli et al. (2010), V_i ≈ mean(f(B)·(f(A_B^i) − f(A))). Total: Jansen (1999),
/// mean((f(A) − f(A_B^i))²) / 2. Second order: Saltelli (2002) as in SALib,
/// S_ij = mean(f(B_A^i)·f(A_B^j) − f(A)·f(B)) / V − S_i − S_j. All are divided by V, the population
/// variance of [f(A), f(B)] over the rows used.
struct SaltelliEstimators: Sendable {
    /// Outputs minus their overall mean (as SALib centres them): the first-order and second-order
    /// estimators are not shift-invariant, and centring keeps their products small.
    let centred: [Double]
    let factorCount: Int
    let secondOrder: Bool

    init(outputs: [Double], factorCount: Int, secondOrder: Bool) {
        let mean = outputs.reduce(0, +) / Double(outputs.count)
        centred = outputs.map { $0 - mean }
        self.factorCount = factorCount
        self.secondOrder = secondOrder
    }

    var pointsPerRow: Int { (secondOrder ? 2 : 1) * factorCount + 2 }
    var pairCount: Int { secondOrder ? factorCount * (factorCount - 1) / 2 : 0 }
    /// k first-order, k total, then the pairs i < j in row-major order.
    var statisticCount: Int { 2 * factorCount + pairCount }

    /// Writes the indices estimated on `rows` into `out` (zeroed on entry, `statisticCount` long) and
    /// returns the variance V they are normalised by.
    @discardableResult
    func estimate(rows: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Double>) -> Double {
        let k = factorCount, stride = pointsPerRow, n = Double(rows.count)
        return centred.withUnsafeBufferPointer { y in
            var sum = 0.0
            for r in rows { sum += y[r * stride] + y[r * stride + stride - 1] }
            let mean = sum / (2 * n)
            var squares = 0.0
            for r in rows {
                let a = y[r * stride] - mean, b = y[r * stride + stride - 1] - mean
                squares += a * a + b * b
            }
            let variance = squares / (2 * n)
            for r in rows {
                let point = y.baseAddress! + r * stride
                let a = point[0], b = point[stride - 1]
                for i in 0..<k {
                    let ab = point[1 + i]
                    out[i] += b * (ab - a)
                    out[k + i] += (a - ab) * (a - ab)
                }
                guard secondOrder else { continue }
                var pair = 2 * k
                for i in 0..<k {
                    let ba = point[1 + k + i]
                    for j in (i + 1)..<k {
                        out[pair] += ba * point[1 + j] - a * b
                        pair += 1
                    }
                }
            }
            for i in 0..<k {
                out[i] /= n * variance
                out[k + i] /= 2 * n * variance
            }
            var pair = 2 * k
            for i in 0..<k where secondOrder {
                for j in (i + 1)..<k {
                    out[pair] = out[pair] / (n * variance) - out[i] - out[j]
                    pair += 1
                }
            }
            return variance
        }
    }
}
