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
        append(count: varintLength(value)) { _ = StreamingStatistics.writeVarint(value, to: $0) }
    }

    /// Appends exactly `count` bytes that `body` writes through a pointer, without a check per byte.
    mutating func append(count: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Void) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: count))
        bytes.withUnsafeMutableBufferPointer { body($0.baseAddress! + start) }
    }

    mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }
}

/// Bytes of `value` as an unsigned LEB128 varint.
@inline(__always)
func varintLength(_ value: UInt64) -> Int {
    (64 - (value | 1).leadingZeroBitCount + 6) / 7
}

/// Writes `value` as an unsigned LEB128 varint at `out`; returns the position after it.
@inline(__always)
func writeVarint(_ value: UInt64, to out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
    var rest = value, p = out
    while rest >= 0x80 {
        p.pointee = UInt8(truncatingIfNeeded: rest) | 0x80
        p += 1
        rest >>= 7
    }
    p.pointee = UInt8(truncatingIfNeeded: rest)
    return p + 1
}

/// Bounds-checked little-endian reader over borrowed bytes; every read past the end throws.
struct ByteReader {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { position == bytes.count }

    mutating func read<T: FixedWidthInteger>(_: T.Type) throws(StatisticsDecodingError) -> T {
        let size = MemoryLayout<T>.size
        guard bytes.count - position >= size else { throw .malformed("payload ends inside a field") }
        defer { position += size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
    }

    mutating func readDouble() throws(StatisticsDecodingError) -> Double {
        Double(bitPattern: try read(UInt64.self))
    }

    mutating func readInt128() throws(StatisticsDecodingError) -> Int128 {
        let low = try read(UInt64.self), high = try read(UInt64.self)
        return Int128(bitPattern: UInt128(high) << 64 | UInt128(low))
    }

    @inline(__always)
    mutating func readVarint() throws(StatisticsDecodingError) -> UInt64 {
        // Most counts and gaps fit one byte.
        if position < bytes.count, bytes[position] < 0x80 {
            defer { position += 1 }
            return UInt64(bytes[position])
        }
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            guard position < bytes.count else { throw .malformed("payload ends inside a varint") }
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
