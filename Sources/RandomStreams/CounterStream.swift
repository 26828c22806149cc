/// Uniform doubles addressed by (seed, stream, index): one Philox4x32-10 block per index.
///
/// The key is the seed's two 32-bit halves and the counter is
/// (index low, index high, stream low, stream high), so distinct (seed, stream, index) triples
/// always map to distinct blocks: no hashing, hence no collisions between streams.
public struct CounterStream: Sendable, Hashable {
    /// The generator seed (the Philox key).
    public let seed: UInt64
    /// The stream identifier, typically `streamKey(name)` of an uncertain input.
    public let stream: UInt64

    /// A stream of the generator seeded with `seed`.
    public init(seed: UInt64, stream: UInt64) {
        self.seed = seed
        self.stream = stream
    }

    /// The uniform draw at `index`: the first half (words 0 and 1) of the block at `index`.
    @inlinable
    public func uniform(at index: UInt64) -> Double {
        let words = bits(at: index)
        return Self.openUnitInterval(words[0], words[1])
    }

    /// Both uniforms of the block at `index`; `.0` equals `uniform(at: index)`, `.1` comes from
    /// words 2 and 3 and is independent of it.
    @inlinable
    public func uniformPair(at index: UInt64) -> (Double, Double) {
        let words = bits(at: index)
        return (Self.openUnitInterval(words[0], words[1]), Self.openUnitInterval(words[2], words[3]))
    }

    /// Writes `uniform(at: firstIndex + i)` into `output[i]` for every i; no allocation.
    @inlinable
    public func fill(from firstIndex: UInt64, into output: UnsafeMutableBufferPointer<Double>) {
        guard let base = output.baseAddress else { return }
        let key = SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
        let streamLow = UInt32(truncatingIfNeeded: stream), streamHigh = UInt32(truncatingIfNeeded: stream >> 32)
        // Each iteration is independent, so the ten rounds of neighbouring indices pipeline.
        for i in 0..<output.count {
            let index = firstIndex &+ UInt64(i)
            let counter = SIMD4(UInt32(truncatingIfNeeded: index), UInt32(truncatingIfNeeded: index >> 32),
                                streamLow, streamHigh)
            let words = Philox4x32.block(counter: counter, key: key)
            base[i] = Self.openUnitInterval(words[0], words[1])
        }
    }

    /// The raw 128-bit Philox block at `index`, for consumers that need integers (seeds, hashes) rather than uniforms.
    @inlinable
    public func bits(at index: UInt64) -> SIMD4<UInt32> {
        let counter = SIMD4(UInt32(truncatingIfNeeded: index), UInt32(truncatingIfNeeded: index >> 32),
                            UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32))
        let key = SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
        return Philox4x32.block(counter: counter, key: key)
    }

    /// (k + 1/2) * 2^-52 with k the top 52 bits of the two words: every value is exact, lies strictly
    /// inside (0, 1) and 1 - u is a value too. 52 bits, not 53: doubles in [1/2, 1) are spaced
    /// 2^-53 apart, so a 53-bit midpoint there would round and the largest would become 1.
    @inlinable @inline(__always)
    static func openUnitInterval(_ high: UInt32, _ low: UInt32) -> Double {
        let bits = (UInt64(high) << 20) | UInt64(low >> 12)
        return (Double(bits) + 0.5) * 0x1p-52
    }
}
