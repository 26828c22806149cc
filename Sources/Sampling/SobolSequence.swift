/// The Sobol' sequence with Joe–Kuo direction numbers, as 32-bit fixed-point coordinates (x / 2^32).
///
/// Points are in Gray-code order, the order of Joe and Kuo's reference generator and of most libraries:
/// point n is the XOR of the direction numbers selected by the bits of n ^ (n >> 1). Any aligned block of
/// 2^m indices holds the same points as in natural order, so the net properties are those of the sequence.
public struct SobolSequence: Sendable {
    /// The number of dimensions the direction-number table supports.
    public static let maxDimensions = 1024
    /// Bits per coordinate; indices must stay below 2^bits.
    public static let bits = 32

    /// The number of dimensions of this sequence.
    public let dimensions: Int
    /// Direction numbers v_{d,j} (bit j of the index) at `directions[d * 32 + j]`.
    let directions: [UInt32]

    /// The first `dimensions` dimensions of the sequence; dimension 0 is the van der Corput sequence.
    public init(dimensions: Int) throws(SamplingError) {
        guard dimensions >= 0 else { throw .negativeDimensionCount(dimensions) }
        guard dimensions <= Self.maxDimensions else {
            throw .tooManyDimensions(requested: dimensions, supported: Self.maxDimensions)
        }
        self.dimensions = dimensions
        directions = Self.directionNumbers(dimensions: dimensions)
    }

    /// Unscrambled coordinate `dimension` of point `index` (index < 2^32), as a 32-bit fraction.
    public func point(_ index: UInt64, dimension: Int) -> UInt32 {
        precondition(index >> Self.bits == 0, "Sobol' indices must be below 2^32")
        precondition(dimension >= 0 && dimension < dimensions, "dimension out of range")
        var gray = index ^ (index >> 1)
        var x: UInt32 = 0
        var bit = dimension * Self.bits
        while gray != 0 {
            if gray & 1 != 0 { x ^= directions[bit] }
            gray >>= 1
            bit += 1
        }
        return x
    }

    /// Coordinate `dimension` of points firstIndex, firstIndex + 1, … into `output`, one XOR per point
    /// (Antonov–Saleev Gray-code update).
    public func fill(dimension: Int, from firstIndex: UInt64, into output: UnsafeMutableBufferPointer<UInt32>) {
        forEachPoint(dimension: dimension, from: firstIndex, count: output.count) { output[$0] = $1 }
    }

    /// Calls `body(i, x)` with coordinate x of point firstIndex + i for i in 0..<count, in order.
    @inline(__always)
    func forEachPoint(dimension: Int, from firstIndex: UInt64, count: Int, _ body: (Int, UInt32) -> Void) {
        guard count > 0 else { return }
        precondition((firstIndex + UInt64(count) - 1) >> Self.bits == 0, "Sobol' indices must be below 2^32")
        var x = point(firstIndex, dimension: dimension)
        body(0, x)
        let base = dimension * Self.bits
        directions.withUnsafeBufferPointer { v in
            for i in 1..<count {
                // Gray codes of n - 1 and n differ in bit ctz(n).
                x ^= v[base + (firstIndex + UInt64(i)).trailingZeroBitCount]
                body(i, x)
            }
        }
    }

    /// Direction numbers of the first `dimensions` dimensions, from the Joe–Kuo text (parsing only
    /// the lines needed: all 1024 would cost a short run a noticeable part of its time).
    static func directionNumbers(dimensions: Int) -> [UInt32] {
        var table = [UInt32](repeating: 0, count: dimensions * bits)
        guard dimensions > 0 else { return table }
        for j in 0..<bits { table[j] = 1 << (31 - j) }
        let lines = joeKuoDirectionNumbers.split(separator: "\n", maxSplits: dimensions - 1)
        for (offset, line) in lines.prefix(dimensions - 1).enumerated() {
            let fields = line.split(separator: " ").map { UInt32($0)! }
            let degree = Int(fields[1]), coefficients = fields[2], initial = fields[3...]
            let base = (offset + 1) * bits
            for (j, m) in initial.enumerated() { table[base + j] = m << (31 - j) }
            // v_j = v_{j-s} ^ (v_{j-s} >> s) ^ XOR over k of a_k v_{j-k}, a_k the coefficient bits (Bratley–Fox).
            for j in degree..<bits {
                var v = table[base + j - degree] ^ (table[base + j - degree] >> UInt32(degree))
                for k in 1..<degree where (coefficients >> UInt32(degree - 1 - k)) & 1 == 1 {
                    v ^= table[base + j - k]
                }
                table[base + j] = v
            }
        }
        return table
    }
}
