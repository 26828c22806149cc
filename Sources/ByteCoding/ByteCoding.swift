/// Little-endian binary writer for hpmc's file formats: fixed-width integers, doubles, 128-bit
/// integers and unsigned LEB128 varints.
@frozen public struct ByteWriter {
    @usableFromInline var storage: [UInt8]

    /// What is written so far.
    @inlinable public var bytes: [UInt8] { storage }

    @inlinable public init(_ bytes: [UInt8] = []) { storage = bytes }

    /// Room for `count` bytes in all, so that a writer of known size never grows (twice its size at once).
    @inlinable public mutating func reserveCapacity(_ count: Int) { storage.reserveCapacity(count) }

    @inlinable public mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { storage.append(contentsOf: $0) }
    }

    @inlinable public mutating func write(_ value: Double) { write(value.bitPattern) }

    @inlinable public mutating func write(_ value: Int128) {
        write(UInt64(truncatingIfNeeded: value))
        write(UInt64(truncatingIfNeeded: value >> 64))
    }

    /// Unsigned LEB128: small counts and index gaps take one or two bytes.
    @inlinable public mutating func writeVarint(_ value: UInt64) {
        append(count: varintLength(value)) { _ = ByteCoding.writeVarint(value, to: $0) }
    }

    /// Appends exactly `count` bytes that `body` writes through a pointer, without a check per byte.
    @inlinable public mutating func append(count: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Void) {
        let start = storage.count
        storage.append(contentsOf: repeatElement(0, count: count))
        storage.withUnsafeMutableBufferPointer { body($0.baseAddress! + start) }
    }

    @inlinable public mutating func append<Bytes: Collection<UInt8>>(_ other: Bytes) { storage.append(contentsOf: other) }
}

/// Bytes of `value` as an unsigned LEB128 varint.
@inlinable @inline(__always)
public func varintLength(_ value: UInt64) -> Int {
    (64 - (value | 1).leadingZeroBitCount + 6) / 7
}

/// Writes `value` as an unsigned LEB128 varint at `out`; returns the position after it.
@inlinable @inline(__always)
public func writeVarint(_ value: UInt64, to out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
    var rest = value, p = out
    while rest >= 0x80 {
        p.pointee = UInt8(truncatingIfNeeded: rest) | 0x80
        p += 1
        rest >>= 7
    }
    p.pointee = UInt8(truncatingIfNeeded: rest)
    return p + 1
}

/// Bounds-checked little-endian reader over borrowed bytes; every read past the end throws the
/// caller's error, made by `failure` from a description of what went wrong.
@frozen public struct ByteReader<Failure: Error> {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline var position = 0
    @usableFromInline let failure: (String) -> Failure

    @inlinable public init(_ bytes: UnsafeRawBufferPointer, failure: @escaping (String) -> Failure) {
        self.bytes = bytes
        self.failure = failure
    }

    /// Bytes read so far.
    @inlinable public var offset: Int { position }

    @inlinable public var isAtEnd: Bool { position == bytes.count }

    @inlinable public mutating func read<T: FixedWidthInteger>(_: T.Type) throws(Failure) -> T {
        let size = MemoryLayout<T>.size
        guard bytes.count - position >= size else { throw failure("ends inside a field") }
        defer { position += size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
    }

    @inlinable public mutating func readDouble() throws(Failure) -> Double {
        Double(bitPattern: try read(UInt64.self))
    }

    @inlinable public mutating func readInt128() throws(Failure) -> Int128 {
        let low = try read(UInt64.self), high = try read(UInt64.self)
        return Int128(bitPattern: UInt128(high) << 64 | UInt128(low))
    }

    /// A copy of the bytes read since `start` (an earlier `offset`): what was read and checked, kept as it is.
    @inlinable public func bytes(since start: Int) -> [UInt8] {
        Array(UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
    }

    /// Steps over `count` bytes (a section read elsewhere).
    @inlinable public mutating func skip(_ count: UInt64) throws(Failure) {
        guard count <= UInt64(bytes.count - position) else { throw failure("a section runs past the end") }
        position += Int(count)
    }

    @inlinable @inline(__always)
    public mutating func readVarint() throws(Failure) -> UInt64 {
        // Most counts and gaps fit one byte.
        if position < bytes.count, bytes[position] < 0x80 {
            defer { position += 1 }
            return UInt64(bytes[position])
        }
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            guard position < bytes.count else { throw failure("ends inside a varint") }
            let byte = bytes[position]
            position += 1
            let bits = UInt64(byte & 0x7F)
            guard shift < 63 || bits <= 1 else { throw failure("varint exceeds 64 bits") }
            value |= bits << UInt64(shift)
            if byte & 0x80 == 0 {
                // Only the shortest form, as `writeVarint` writes: equal values, equal bytes.
                guard byte != 0 else { throw failure("varint not in its shortest form") }
                return value
            }
        }
        throw failure("varint exceeds 64 bits")
    }
}
