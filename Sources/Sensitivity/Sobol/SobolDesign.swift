import Sampling

/// Saltelli's sampling plan for Sobol' indices.
///
/// Base matrices A and B are the first and last `inputCount` coordinates of a scrambled Sobol' sequence
/// of dimension 2 · inputCount. Each base row j yields, in SALib's order, the points
/// A_j, A_B^(1)_j … A_B^(k)_j, [B_A^(1)_j … B_A^(k)_j,] B_j, where A_B^(i) is A with the columns of
/// factor i taken from B and B_A^(i) the reverse; k is the number of factors (inputs or groups).
public struct SobolDesign: SensitivityDesign {
    /// Names of the model's inputs.
    public let inputNames: [String]
    /// Names of the factors indices are reported for: the inputs, or the groups.
    public let names: [String]
    /// Base samples N, a power of two.
    public let baseSamples: Int
    /// The requested base sample count when it was not a power of two and was rounded up; otherwise nil.
    public let roundedFrom: Int?
    /// Whether the design holds B_A^(i) for second-order indices.
    public let secondOrder: Bool
    /// Seed of the scramble and of the bootstrap.
    public let seed: UInt64
    let factors: Factors
    private let sampler: UniformSampler

    /// A design for `inputNames` (or for `groups` of them) with `baseSamples` rounded up to a power of two.
    public init(inputNames: [String], groups: [InputGroup]? = nil, baseSamples: Int,
                secondOrder: Bool = false, seed: UInt64) throws(SensitivityError) {
        factors = try Factors(inputNames: inputNames, groups: groups)
        guard baseSamples >= 2 else { throw .tooFewBaseSamples(baseSamples) }
        // Sobol' indices must stay below 2^32.
        let maximum = 1 << 31
        guard baseSamples <= maximum else { throw .tooManyBaseSamples(baseSamples, maximum: maximum) }
        let maximumInputs = SobolSequence.maxDimensions / 2
        guard inputNames.count <= maximumInputs else { throw .tooManyInputs(inputNames.count, maximum: maximumInputs) }
        let rounded = 1 << (Int.bitWidth - (baseSamples - 1).leadingZeroBitCount)
        self.inputNames = inputNames
        names = factors.names
        self.baseSamples = rounded
        roundedFrom = rounded == baseSamples ? nil : baseSamples
        self.secondOrder = secondOrder
        self.seed = seed
        // Keys only need to be distinct: the Sobol' scramble is keyed by seed and dimension position.
        do {
            sampler = try UniformSampler(kind: .sobol, seed: seed, dimensionKeys: (0..<(2 * inputNames.count)).map(UInt64.init))
        } catch {
            throw .sampling(error)
        }
        try checkEvaluationCount()
    }

    /// Number of factors k (inputs, or groups).
    public var factorCount: Int { factors.count }
    public var dimensions: Int { inputNames.count }
    public var rowCount: Int { baseSamples }
    /// k + 2, or 2k + 2 with second order.
    public var pointsPerRow: Int { (secondOrder ? 2 : 1) * factors.count + 2 }

    public func fill(rows: Range<Int>, into points: UnsafeMutableBufferPointer<Double>) {
        let n = rows.count, inputs = dimensions, k = factors.count, stride = pointsPerRow
        let count = n * stride
        precondition(points.count >= inputs * count, "point buffer too small")
        guard n > 0 else { return }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * inputs * n) { base in
            sampler.fill(firstIndex: rows.lowerBound, count: n, into: base)
            for d in 0..<inputs {
                let factor = factors.factorOfInput[d]
                let a = base.baseAddress! + d * n, b = base.baseAddress! + (inputs + d) * n
                let column = points.baseAddress! + d * count
                for j in 0..<n {
                    let row = column + j * stride
                    row[0] = a[j]
                    for i in 0..<k { row[1 + i] = i == factor ? b[j] : a[j] }
                    if secondOrder {
                        for i in 0..<k { row[1 + k + i] = i == factor ? a[j] : b[j] }
                    }
                    row[stride - 1] = b[j]
                }
            }
        }
    }
}
