/// Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror and Shaw,
/// "Parallel random numbers: as easy as 1, 2, 3" (SC'11), as specified by Random123.
///
/// A pure function of (counter, key): any block can be computed on any thread in any order,
/// which is what makes Monte Carlo results independent of scheduling.
public enum Philox4x32 {
    // Round multipliers and Weyl key increments of Philox4x32 (Random123, philox.h).
    @usableFromInline static var multiplier0: UInt64 { 0xD251_1F53 }
    @usableFromInline static var multiplier1: UInt64 { 0xCD9E_8D57 }
    @usableFromInline static var weyl0: UInt32 { 0x9E37_79B9 }
    @usableFromInline static var weyl1: UInt32 { 0xBB67_AE85 }

    /// The 128-bit output block for one 128-bit counter under one 64-bit key.
    @inlinable @inline(__always)
    public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
        var c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3]
        var k0 = key[0], k1 = key[1]
        for round in 0..<10 {
            // The key is bumped between rounds, not before the first.
            if round > 0 {
                k0 &+= weyl0
                k1 &+= weyl1
            }
            let product0 = multiplier0 &* UInt64(c0)
            let product1 = multiplier1 &* UInt64(c2)
            let next0 = UInt32(truncatingIfNeeded: product1 >> 32) ^ c1 ^ k0
            let next2 = UInt32(truncatingIfNeeded: product0 >> 32) ^ c3 ^ k1
            c1 = UInt32(truncatingIfNeeded: product1)
            c3 = UInt32(truncatingIfNeeded: product0)
            c0 = next0
            c2 = next2
        }
        return SIMD4(c0, c1, c2, c3)
    }
}
