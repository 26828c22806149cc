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
    /// f(A) and f(B) of row r (centred) at `ends[2r]` and `ends[2r + 1]`, and their sum at `endSums[r]`:
    /// the mean and variance passes read these instead of the rows' every point.
    let ends: [Lanes]
    let endSums: [Lanes]
    /// Outputs held, at most `width`.
    let outputCount: Int
    let factorCount: Int
    let secondOrder: Bool

    /// `outputs`: one to `width` collections of equal length, one per output.
    init<Output: RandomAccessCollection<Double>>(outputs: [Output], factorCount: Int, secondOrder: Bool) {
        let count = outputs.first?.count ?? 0
        var centred = [Lanes](repeating: .zero, count: count)
        for (lane, output) in outputs.prefix(Self.width).enumerated() {
            let mean = output.reduce(0, +) / Double(output.count)
            for (e, value) in output.enumerated() { centred[e][lane] = value - mean }
        }
        self.centred = centred
        let stride = (secondOrder ? 2 : 1) * factorCount + 2
        // Appended rather than flat-mapped from a pair per row, which allocates once per row.
        var ends: [Lanes] = [], endSums: [Lanes] = []
        ends.reserveCapacity(2 * (count / stride))
        endSums.reserveCapacity(count / stride)
        for r in 0..<(count / stride) {
            let a = centred[r * stride], b = centred[r * stride + stride - 1]
            ends.append(a)
            ends.append(b)
            endSums.append(a + b)
        }
        self.ends = ends
        self.endSums = endSums
        outputCount = min(outputs.count, Self.width)
        self.factorCount = factorCount
        self.secondOrder = secondOrder
    }

    var pointsPerRow: Int { (secondOrder ? 2 : 1) * factorCount + 2 }
    var pairCount: Int { secondOrder ? factorCount * (factorCount - 1) / 2 : 0 }
    /// k first-order, k total, then the pairs i < j in row-major order.
    var statisticCount: Int { 2 * factorCount + pairCount }

    /// Estimates the indices on `replicates` multisets of rows at once, multiset j the `rowCount` rows
    /// `rows[j * rowCount ..< (j + 1) * rowCount]` in ascending order, a row repeated as often as drawn
    /// (every row once for the whole design), into `out[j * statisticCount ..< (j + 1) * statisticCount]`,
    /// the mean of [f(A), f(B)] into `means[j]` and their variances V into `variances[j]`, one lane per
    /// output. Each sum runs over its multiset's rows in that order, so an index does not depend on how
    /// the work below is arranged.
    func estimate(rows drawn: UnsafeBufferPointer<UInt32>, replicates m: Int, into out: UnsafeMutableBufferPointer<Lanes>,
                  means: UnsafeMutableBufferPointer<Lanes>, variances: UnsafeMutableBufferPointer<Lanes>) {
        let k = factorCount, statistics = statisticCount
        let rowCount = drawn.count / m, n = Double(rowCount)
        out.update(repeating: .zero)
        variances.update(repeating: .zero)
        centred.withUnsafeBufferPointer { centred in
            let y = centred.baseAddress!
            // One chain per multiset, the multisets in step so that their chains overlap.
            means.update(repeating: .zero)
            endSums.withUnsafeBufferPointer { endSums in
                for t in 0..<rowCount {
                    for j in 0..<m { means[j] += endSums[Int(drawn[j * rowCount + t])] }
                }
            }
            for j in 0..<m { means[j] /= 2 * n }
            ends.withUnsafeBufferPointer { ends in
                for t in 0..<rowCount {
                    for j in 0..<m {
                        let r = 2 * Int(drawn[j * rowCount + t])
                        let a = ends[r] - means[j], b = ends[r + 1] - means[j]
                        variances[j] = variances[j].addingProduct(a, a).addingProduct(b, b)
                    }
                }
            }
            for j in 0..<m { variances[j] /= 2 * n }
            // Rows a block at a time, so that a block's outputs stay in cache while every multiset and
            // every group of factors sums over them; each multiset resumes where its last block ended.
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * m) { cursors in
                let next = UnsafeMutableBufferPointer(rebasing: cursors[0..<m]), end = UnsafeMutableBufferPointer(rebasing: cursors[m...])
                next.initialize(repeating: 0)
                end.initialize(repeating: 0)
                for blockStart in Swift.stride(from: 0, to: rowCount, by: Self.rowsPerBlock) {
                    let blockEnd = min(blockStart + Self.rowsPerBlock, rowCount)
                    for j in 0..<m {
                        let list = drawn.baseAddress! + j * rowCount
                        var e = next[j]
                        while e < rowCount && Int(list[e]) < blockEnd { e += 1 }
                        end[j] = e
                        let sums = out.baseAddress! + j * statistics
                        for first in Swift.stride(from: 0, to: k, by: Self.factorsPerGroup) {
                            sumFirstOrderAndTotal(y, rows: list + next[j], count: e - next[j], factors: first..<min(first + Self.factorsPerGroup, k), into: sums)
                        }
                        if secondOrder { sumSecondOrder(y, rows: list + next[j], count: e - next[j], into: sums) }
                        next[j] = e
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

    /// Delta-method standard deviations of the indices `estimates` (from `estimate` over every row once,
    /// with its `mean` and `variance`) into `deviations`, one lane per output, in one pass over the rows.
    ///
    /// Each index is S = mean(X)/V over the n rows, V = mean(W) − mean(M)² with W = (a² + b²)/2 and
    /// M = (a + b)/2 (a = f(A), b = f(B), c_i = f(A_B^i), centred): X = b(c_i − a) for S1_i,
    /// (a − c_i)²/2 for ST_i and, S_ij being mean(P)/V − S_i − S_j with P = f(B_A^i) f(A_B^j) − ab,
    /// X = P − X_i − X_j (the first-order X's) for S2_ij. Row r's influence on S is
    /// φ_r = [(X_r − X̄) − S (W_r − W̄) + 2 M̄ S (M_r − M̄)] / V = (X_r − S v_r) / V, because
    /// W_r − W̄ − 2 M̄ (M_r − M̄) = v_r − V with v_r = ((a_r − M̄)² + (b_r − M̄)²)/2 and X̄ = S V; the second
    /// form has no cancellation between large terms. Var(S) ≈ Σ φ_r² / (n (n − 1)): the sample variance
    /// of φ (whose mean is 0 by construction; n − 1 for the degree of freedom the means take) over n.
    func asymptoticDeviations(estimates: UnsafeBufferPointer<Lanes>, mean: Lanes, variance: Lanes,
                              into deviations: UnsafeMutableBufferPointer<Lanes>) {
        let k = factorCount, stride = pointsPerRow, rowCount = centred.count / stride
        deviations.update(repeating: .zero)
        centred.withUnsafeBufferPointer { centred in
            withUnsafeTemporaryAllocation(of: Lanes.self, capacity: k) { firstOrderTerms in
                for r in 0..<rowCount {
                    let point = centred.baseAddress! + r * stride
                    let a = point[0], b = point[stride - 1]
                    let da = a - mean, db = b - mean
                    let v = (da * da + db * db) / 2
                    for i in 0..<k {
                        let d = a - point[1 + i]
                        let first = -b * d, total = d * d / 2
                        firstOrderTerms[i] = first
                        let f = first - estimates[i] * v, t = total - estimates[k + i] * v
                        deviations[i] = deviations[i].addingProduct(f, f)
                        deviations[k + i] = deviations[k + i].addingProduct(t, t)
                    }
                    var pair = 2 * k
                    for i in 0..<k where secondOrder {
                        let ba = point[1 + k + i]
                        for l in (i + 1)..<k {
                            let x = ba * point[1 + l] - a * b - firstOrderTerms[i] - firstOrderTerms[l]
                            let p = x - estimates[pair] * v
                            deviations[pair] = deviations[pair].addingProduct(p, p)
                            pair += 1
                        }
                    }
                }
            }
        }
        let n = Lanes(repeating: Double(rowCount))
        for s in 0..<statisticCount { deviations[s] = (deviations[s] / (n * (n - 1))).squareRoot() / variance }
    }

    /// Rows summed over together: a block's outputs (k + 2 lanes a row, 28 kB at 12 factors) stay in
    /// the first-level cache (measured: no slower than 256 rows, in the second-level cache).
    static let rowsPerBlock = 64
    /// Factors whose first-order and total sums are kept in registers together (8 accumulators).
    static let factorsPerGroup = 4

    /// Adds the first-order and total terms of `factors` (at most `factorsPerGroup`) over `count` rows
    /// to `sums[i]` and `sums[k + i]`, row by row in the given order.
    private func sumFirstOrderAndTotal(_ y: UnsafePointer<Lanes>, rows: UnsafePointer<UInt32>, count: Int, factors: Range<Int>,
                                       into sums: UnsafeMutablePointer<Lanes>) {
        let k = factorCount, stride = pointsPerRow
        // A group short of factors repeats its last one; only the real ones are stored back.
        let last = factors.upperBound - 1
        let i0 = factors.lowerBound, i1 = min(i0 + 1, last), i2 = min(i0 + 2, last), i3 = min(i0 + 3, last)
        var s0 = sums[i0], s1 = sums[i1], s2 = sums[i2], s3 = sums[i3]
        var t0 = sums[k + i0], t1 = sums[k + i1], t2 = sums[k + i2], t3 = sums[k + i3]
        for e in 0..<count {
            let point = y + Int(rows[e]) * stride
            let a = point[0], minusB = -point[stride - 1]
            // d = f(A) − f(A_B^i): b·(f(A_B^i) − f(A)) = −b·d, and (f(A) − f(A_B^i))² = d·d.
            let d0 = a - point[1 + i0], d1 = a - point[1 + i1], d2 = a - point[1 + i2], d3 = a - point[1 + i3]
            s0 = s0.addingProduct(minusB, d0)
            s1 = s1.addingProduct(minusB, d1)
            s2 = s2.addingProduct(minusB, d2)
            s3 = s3.addingProduct(minusB, d3)
            t0 = t0.addingProduct(d0, d0)
            t1 = t1.addingProduct(d1, d1)
            t2 = t2.addingProduct(d2, d2)
            t3 = t3.addingProduct(d3, d3)
        }
        let kept = factors.count
        sums[i0] = s0
        sums[k + i0] = t0
        if kept > 1 { sums[i1] = s1; sums[k + i1] = t1 }
        if kept > 2 { sums[i2] = s2; sums[k + i2] = t2 }
        if kept > 3 { sums[i3] = s3; sums[k + i3] = t3 }
    }

    /// Adds the second-order terms over `count` rows to the pair sums from `sums[2k]` on, row by row.
    private func sumSecondOrder(_ y: UnsafePointer<Lanes>, rows: UnsafePointer<UInt32>, count: Int, into sums: UnsafeMutablePointer<Lanes>) {
        let k = factorCount, stride = pointsPerRow
        for e in 0..<count {
            let point = y + Int(rows[e]) * stride
            let ab = point[0] * point[stride - 1]
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
