/// The Sobol' index estimators on the outputs of a `SobolDesign`, for any multiset of base rows, for up
/// to `width` outputs at once (such as one series in several years), one per SIMD lane.
///
/// First order: Saltelli et al. (2010), V_i ≈ mean(f(B)·(f(A_B^i) − f(A))). Total: Jansen (1999),
/// mean((f(A) − f(A_B^i))²) / 2. Second order: Saltelli (2002) as in SALib,
/// S_ij = mean(f(B_A^i)·f(A_B^j) − f(A)·f(B)) / V − S_i − S_j. All are divided by V, the population
/// variance of [f(A), f(B)] over the rows used. Each lane's arithmetic is that of its output alone, so
/// an output's indices do not depend on the outputs that share its block.
struct SaltelliEstimators: Sendable {
    typealias Lanes = SIMD4<Double>
    static let width = Lanes.scalarCount

    /// Each output minus its overall mean (as SALib centres them), output l of evaluation e at
    /// `centred[e][l]`, unused lanes zero: the first-order and second-order estimators are not
    /// shift-invariant, and centring keeps their products small.
    let centred: [Lanes]
    /// Outputs held, at most `width`.
    let outputCount: Int
    let factorCount: Int
    let secondOrder: Bool

    /// `outputs`: one to `width` arrays of equal length, one per output.
    init(outputs: [[Double]], factorCount: Int, secondOrder: Bool) {
        let count = outputs.first?.count ?? 0
        var centred = [Lanes](repeating: .zero, count: count)
        for (lane, output) in outputs.prefix(Self.width).enumerated() {
            let mean = output.reduce(0, +) / Double(output.count)
            for e in 0..<count { centred[e][lane] = output[e] - mean }
        }
        self.centred = centred
        outputCount = min(outputs.count, Self.width)
        self.factorCount = factorCount
        self.secondOrder = secondOrder
    }

    var pointsPerRow: Int { (secondOrder ? 2 : 1) * factorCount + 2 }
    var pairCount: Int { secondOrder ? factorCount * (factorCount - 1) / 2 : 0 }
    /// k first-order, k total, then the pairs i < j in row-major order.
    var statisticCount: Int { 2 * factorCount + pairCount }

    /// Estimates the indices on `replicates` multisets of rows at once, row r drawn
    /// `counts[r * replicates + j]` times in multiset j (every row once for the whole design), into
    /// `out[j * statisticCount ..< (j + 1) * statisticCount]`, and their variances V into `variances[j]`,
    /// one lane per output. Sums run over the rows in ascending order, a row as often as drawn.
    func estimate(counts: UnsafeBufferPointer<UInt32>, replicates m: Int,
                  into out: UnsafeMutableBufferPointer<Lanes>, variances: UnsafeMutableBufferPointer<Lanes>) {
        let k = factorCount, stride = pointsPerRow, statistics = statisticCount
        let rowCount = counts.count / m, n = Double(rowCount)
        out.update(repeating: .zero)
        variances.update(repeating: .zero)
        centred.withUnsafeBufferPointer { y in
            withUnsafeTemporaryAllocation(of: Lanes.self, capacity: m) { means in
                means.initialize(repeating: .zero)
                for r in 0..<rowCount {
                    let ends = y[r * stride] + y[r * stride + stride - 1]
                    for j in 0..<m {
                        for _ in 0..<counts[r * m + j] { means[j] += ends }
                    }
                }
                for j in 0..<m { means[j] /= 2 * n }
                for r in 0..<rowCount {
                    for j in 0..<m where counts[r * m + j] > 0 {
                        let a = y[r * stride] - means[j], b = y[r * stride + stride - 1] - means[j]
                        for _ in 0..<counts[r * m + j] { variances[j] = variances[j].addingProduct(a, a).addingProduct(b, b) }
                    }
                }
            }
            for j in 0..<m { variances[j] /= 2 * n }
            for r in 0..<rowCount {
                let point = y.baseAddress! + r * stride
                let a = point[0], b = point[stride - 1], ab = a * b
                for j in 0..<m where counts[r * m + j] > 0 {
                    let sums = out.baseAddress! + j * statistics
                    for _ in 0..<counts[r * m + j] {
                        for i in 0..<k {
                            // d = f(A) − f(A_B^i): b·(f(A_B^i) − f(A)) = −b·d, and (f(A) − f(A_B^i))² = d·d.
                            let d = a - point[1 + i]
                            sums[i] = sums[i].addingProduct(-b, d)
                            sums[k + i] = sums[k + i].addingProduct(d, d)
                        }
                        guard secondOrder else { continue }
                        var pair = 2 * k
                        for i in 0..<k {
                            let ba = point[1 + k + i]
                            for l in (i + 1)..<k {
                                sums[pair] += ba * point[1 + l] - ab
                                pair += 1
                            }
                        }
                    }
                }
            }
        }
        for j in 0..<m {
            let sums = out.baseAddress! + j * statistics, variance = variances[j]
            for i in 0..<k {
                sums[i] /= n * variance
                sums[k + i] /= 2 * n * variance
            }
            var pair = 2 * k
            for i in 0..<k where secondOrder {
                for l in (i + 1)..<k {
                    sums[pair] = sums[pair] / (n * variance) - sums[i] - sums[l]
                    pair += 1
                }
            }
        }
    }
}
