/// Little-endian writer for the serialized accumulator.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ value: Double) { write(value.bitPattern) }

    mutating func write(_ value: Int128) {
        write(UInt64(truncatingIfNeeded: value))
        write(UInt64(truncatingIfNeeded: value >> 64))
    }

    /// Unsigned LEB128: small counts and index gaps take one or two bytes.
    mutating func writeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }
}

/// Bounds-checked little-endian reader; every read past the end throws.
struct ByteReader {
    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    var isAtEnd: Bool { position == bytes.endIndex }

    mutating func read<T: FixedWidthInteger>(_: T.Type) throws(StatisticsDecodingError) -> T {
        let size = MemoryLayout<T>.size
        guard bytes.endIndex - position >= size else { throw .malformed("payload ends inside a field") }
        var value = T.zero
        for i in 0..<size { value |= T(bytes[position + i]) << (8 * i) }
        position += size
        return value
    }

    mutating func readDouble() throws(StatisticsDecodingError) -> Double {
        Double(bitPattern: try read(UInt64.self))
    }

    mutating func readInt128() throws(StatisticsDecodingError) -> Int128 {
        let low = try read(UInt64.self), high = try read(UInt64.self)
        return Int128(bitPattern: UInt128(high) << 64 | UInt128(low))
    }

    mutating func readVarint() throws(StatisticsDecodingError) -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            guard position < bytes.endIndex else { throw .malformed("payload ends inside a varint") }
            let byte = bytes[position]
            position += 1
            let bits = UInt64(byte & 0x7F)
            guard shift < 63 || bits <= 1 else { throw .malformed("varint exceeds 64 bits") }
            value |= bits << UInt64(shift)
            if byte & 0x80 == 0 { return value }
        }
        throw .malformed("varint exceeds 64 bits")
    }
}

/// FNV-1a, 64-bit (Fowler, Noll, Vo; parameters from the IETF draft draft-eastlake-fnv).
func fnv1a64<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    return hash
}
