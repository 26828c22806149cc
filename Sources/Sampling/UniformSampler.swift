import RandomStreams

/// Uniform points in (0, 1)^d for a Monte Carlo study, reproducible for any split of the sample range.
public struct UniformSampler: Sendable {
    public let kind: SamplerKind
    public let seed: UInt64
    /// One key per dimension, normally `streamKey(inputName)`.
    public let dimensionKeys: [UInt64]
    let sobol: SobolSequence?
    /// Per-dimension Owen scramble seeds (sobol only).
    let scrambleSeeds: [UInt32]
    /// Seed of the streams that permute and jitter Latin hypercube strata, derived from `seed`.
    let latinHypercubeSeed: UInt64

    // Purposes of derived randomness, as stream identifiers under the study seed (FNV-1a of a label).
    static let latinHypercubePurpose = streamKey("hpmc.sampling.latin-hypercube")
    static let sobolScramblePurpose = streamKey("hpmc.sampling.sobol-scramble")

    /// A sampler over `dimensionKeys.count` dimensions. Keys must be distinct; sobol supports at most
    /// `SobolSequence.maxDimensions` dimensions.
    public init(kind: SamplerKind, seed: UInt64, dimensionKeys: [UInt64]) throws(SamplingError) {
        var firstPosition: [UInt64: Int] = [:]
        for (position, key) in dimensionKeys.enumerated() {
            if let first = firstPosition[key] {
                throw .duplicateDimensionKey(key, firstPosition: first, secondPosition: position)
            }
            firstPosition[key] = position
        }
        self.kind = kind
        self.seed = seed
        self.dimensionKeys = dimensionKeys
        let derived = CounterStream(seed: seed, stream: Self.latinHypercubePurpose).bits(at: 0)
        latinHypercubeSeed = UInt64(derived[0]) | UInt64(derived[1]) << 32
        if kind == .sobol {
            sobol = try SobolSequence(dimensions: dimensionKeys.count)
            let seeds = CounterStream(seed: seed, stream: Self.sobolScramblePurpose)
            scrambleSeeds = dimensionKeys.indices.map { seeds.bits(at: UInt64($0))[0] }
        } else {
            sobol = nil
            scrambleSeeds = []
        }
    }

    /// Coordinates d of samples firstIndex ..< firstIndex + count into `out[d * count + i]`, each in (0, 1).
    ///
    /// - mc: `CounterStream(seed: seed, stream: dimensionKeys[d]).uniform(at: firstIndex + i)`: random access,
    ///   so any split gives the same numbers and two scenarios sharing an input name share its draws.
    /// - lhs: the block is one Latin hypercube of `count` points; dimension d's strata are permuted
    ///   (Fisher–Yates) and jittered by the draws at indices firstIndex ..< firstIndex + count of a stream
    ///   keyed by the seed and the dimension key. Callers pass whole fixed-size chunks, so the points do
    ///   not depend on threads or shards.
    /// - sobol: Owen-scrambled Sobol' point firstIndex + i, coordinate d; scramble keyed by seed and d.
    ///   The coordinate and the scramble both follow the position d, not `dimensionKeys[d]`: a dimension's points change with its
    ///   place in the list, and keys only need to be distinct.
    ///   Point 0 is kept: scrambled, it is as good as any (Owen, "On dropping the first Sobol' point", 2020).
    public func fill(firstIndex: Int, count: Int, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(firstIndex >= 0 && count >= 0, "negative sample range")
        precondition(out.count >= dimensionKeys.count * count, "output holds fewer than dimensions × count values")
        guard count > 0, let base = out.baseAddress else { return }
        for d in dimensionKeys.indices {
            let column = UnsafeMutableBufferPointer(start: base + d * count, count: count)
            switch kind {
            case .mc:
                CounterStream(seed: seed, stream: dimensionKeys[d]).fill(from: UInt64(firstIndex), into: column)
            case .lhs:
                fillLatinHypercubeColumn(dimension: d, firstIndex: firstIndex, into: column)
            case .sobol:
                let scrambleSeed = scrambleSeeds[d]
                // The Gray-code walk is serial; the scramble then runs over all points at once, in
                // vector registers.
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: count) { points in
                    sobol!.forEachPoint(dimension: d, from: UInt64(firstIndex), count: count) { i, x in points[i] = x }
                    for i in 0..<count {
                        // The midpoint of the 2^-32 cell keeps the point strictly inside (0, 1).
                        column[i] = (Double(owenScramble(points[i], seed: scrambleSeed)) + 0.5) * 0x1p-32
                    }
                }
            }
        }
    }

    private func fillLatinHypercubeColumn(dimension d: Int, firstIndex: Int,
                                          into column: UnsafeMutableBufferPointer<Double>) {
        let count = column.count
        let stream = CounterStream(seed: latinHypercubeSeed, stream: dimensionKeys[d])
        let strata = Double(count)
        for i in 0..<count { column[i] = Double(i) }
        // Fisher–Yates from the top: once step i has swapped, slot i is final and can be jittered at once,
        // so each point costs one Philox block (first half: swap, second half: position in the stratum).
        for i in stride(from: count - 1, through: 0, by: -1) {
            let (swapDraw, jitter) = stream.uniformPair(at: UInt64(firstIndex + i))
            let j = min(Int(swapDraw * Double(i + 1)), i)
            column.swapAt(i, j)
            let stratum = column[i]
            let position = min(stratum + jitter, (stratum + 1).nextDown)
            column[i] = min(position / strata, (1.0).nextDown)
        }
    }
}
