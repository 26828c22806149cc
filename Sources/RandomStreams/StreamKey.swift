/// A stable 64-bit key for a named random stream: FNV-1a (64-bit) of the name's UTF-8 bytes.
///
/// Stable across runs, platforms and Swift versions (unlike `Hasher`), so the same input name
/// always draws from the same stream; that is what gives common random numbers between scenarios.
/// Constants from Fowler, Noll and Vo's FNV specification: offset basis 14695981039346656037,
/// prime 2^40 + 2^8 + 0xb3 = 1099511628211.
public func streamKey(_ name: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in name.utf8 {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
    }
    return hash
}
