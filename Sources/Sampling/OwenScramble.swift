/// Nested uniform (Owen) scrambling of a 32-bit binary fraction, hash-based.
///
/// In bit-reversed order a nested scramble is a bijection in which output bit k flips as a function of
/// the input bits below k only. Every step here has that form: x ^= x·even (the product's bit k depends
/// on bits below k), x += c and x ·= odd (carries only move upwards). The steps and constants are
/// N. Vegdahl's improved Laine–Karras hash ("Building a better LK hash", 2021), the form used by
/// B. Burley, "Practical hash-based Owen scrambling", JCGT 9(4), 2020.
@inline(__always)
func owenScramble(_ x: UInt32, seed: UInt32) -> UInt32 {
    var v = reversedBits(x)
    v ^= v &* 0x3D20_ADEA
    v &+= seed
    v &*= (seed >> 16) | 1
    v ^= v &* 0x0552_6C56
    v ^= v &* 0x53A2_2864
    return reversedBits(v)
}

@inline(__always)
func reversedBits(_ x: UInt32) -> UInt32 {
    var v = x
    v = ((v >> 1) & 0x5555_5555) | ((v & 0x5555_5555) << 1)
    v = ((v >> 2) & 0x3333_3333) | ((v & 0x3333_3333) << 2)
    v = ((v >> 4) & 0x0F0F_0F0F) | ((v & 0x0F0F_0F0F) << 4)
    v = ((v >> 8) & 0x00FF_00FF) | ((v & 0x00FF_00FF) << 8)
    return (v >> 16) | (v << 16)
}
