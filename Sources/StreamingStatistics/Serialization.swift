/// Why serialized accumulator bytes were rejected.
public enum StatisticsDecodingError: Error, Equatable, CustomStringConvertible {
    /// Fewer bytes than the header announces.
    case truncated(expectedBytes: Int, actualBytes: Int)
    /// The bytes do not start with the accumulator magic.
    case badMagic
    /// Written by an unknown format version.
    case unsupportedVersion(UInt32)
    /// The payload does not match its checksum: corrupted.
    case checksumMismatch(stored: UInt64, computed: UInt64)
    /// More bytes than the header announces.
    case trailingBytes(count: Int)
    /// The checksum matched but the content is inconsistent.
    case malformed(String)

    public var description: String {
        switch self {
        case let .truncated(expected, actual):
            "statistics file truncated: \(actual) bytes, header announces \(expected)"
        case .badMagic: "not a statistics file (bad magic)"
        case let .unsupportedVersion(version): "unsupported statistics format version \(version)"
        case let .checksumMismatch(stored, computed):
            "statistics file corrupted: checksum \(String(stored, radix: 16)), content hashes to \(String(computed, radix: 16))"
        case let .trailingBytes(count): "statistics file has \(count) unexpected trailing bytes"
        case let .malformed(reason): "malformed statistics file: \(reason)"
        }
    }
}

/// Format: "HPMCSTAT", version (u32), payload length (u64), FNV-1a 64 of the payload (u64), payload.
/// Payload: series count (u32); every series' range (two f64); then per series the moments
/// (count, non-finite count: u64; sums: i128; min, max: f64; saturated: u8) and its non-zero bins as
/// varint pairs (gap since the previous non-zero bin, count) after their number. All little-endian.
/// Equal states give equal bytes.
enum SerializedFormat {
    static let magic = Array("HPMCSTAT".utf8)
    static let version: UInt32 = 1
    static let headerSize = magic.count + 4 + 8 + 8
}

extension StatisticsAccumulator {
    /// Compact, versioned, checksummed little-endian bytes of the whole state, layout included.
    public func serialized() -> [UInt8] {
        var payload = ByteWriter()
        payload.write(UInt32(layout.seriesCount))
        for range in layout.ranges {
            payload.write(range.lower)
            payload.write(range.upper)
        }
        for series in 0..<layout.seriesCount {
            let m = moments[series]
            payload.write(m.count)
            payload.write(m.nonFiniteCount)
            payload.write(m.shiftedSum)
            payload.write(m.shiftedSquareSum)
            payload.write(m.minimum)
            payload.write(m.maximum)
            payload.write(UInt8(m.saturated ? 1 : 0))
            let range = layout.slotOffsets[series]..<layout.slotOffsets[series + 1]
            let nonZero = range.filter { bins[$0] != 0 || binHighWords[$0] != nil }
            payload.writeVarint(UInt64(nonZero.count))
            var previous = range.lowerBound - 1
            for bin in nonZero {
                payload.writeVarint(UInt64(bin - previous - 1))
                payload.writeVarint(binCount(flatIndex: bin))
                previous = bin
            }
        }
        var file = ByteWriter()
        file.append(SerializedFormat.magic)
        file.write(SerializedFormat.version)
        file.write(UInt64(payload.bytes.count))
        file.write(fnv1a64(payload.bytes))
        file.append(payload.bytes)
        return file.bytes
    }

    /// Restores an accumulator from `serialized()` bytes, rejecting anything damaged.
    public init(serialized bytes: [UInt8]) throws(StatisticsDecodingError) {
        let magic = SerializedFormat.magic
        guard bytes.prefix(magic.count).elementsEqual(magic.prefix(bytes.count)) else { throw .badMagic }
        guard bytes.count >= SerializedFormat.headerSize else {
            throw .truncated(expectedBytes: SerializedFormat.headerSize, actualBytes: bytes.count)
        }
        var header = ByteReader(bytes[magic.count..<SerializedFormat.headerSize])
        let version = try header.read(UInt32.self)
        guard version == SerializedFormat.version else { throw .unsupportedVersion(version) }
        let announced = try header.read(UInt64.self)
        let available = UInt64(bytes.count - SerializedFormat.headerSize)
        guard announced <= available else {
            let expected = announced > UInt64(Int.max / 2) ? Int.max : SerializedFormat.headerSize + Int(announced)
            throw .truncated(expectedBytes: expected, actualBytes: bytes.count)
        }
        guard announced == available else { throw .trailingBytes(count: Int(available - announced)) }
        let stored = try header.read(UInt64.self)
        let payload = bytes[SerializedFormat.headerSize...]
        let computed = fnv1a64(payload)
        guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }
        self = try Self.decodePayload(ByteReader(payload), payloadSize: payload.count)
    }

    private static func decodePayload(_ reader: consuming ByteReader,
                                      payloadSize: Int) throws(StatisticsDecodingError) -> StatisticsAccumulator {
        let seriesCount = Int(try reader.read(UInt32.self))
        guard seriesCount * 16 <= payloadSize else { throw .malformed("series count exceeds the payload") }
        var ranges: [SeriesRange] = []
        for _ in 0..<seriesCount {
            let range = SeriesRange(lower: try reader.readDouble(), upper: try reader.readDouble())
            guard range.isValid else { throw .malformed("invalid series range \(range)") }
            ranges.append(range)
        }
        var result = StatisticsAccumulator(layout: HistogramLayout(ranges: ranges))
        for series in 0..<seriesCount {
            try result.decodeSeries(series, from: &reader)
        }
        guard reader.isAtEnd else { throw .malformed("unexpected bytes after the last series") }
        return result
    }

    private mutating func decodeSeries(_ series: Int, from reader: inout ByteReader) throws(StatisticsDecodingError) {
        var m = SeriesMoments()
        m.count = try reader.read(UInt64.self)
        m.nonFiniteCount = try reader.read(UInt64.self)
        m.shiftedSum = try reader.readInt128()
        m.shiftedSquareSum = try reader.readInt128()
        m.minimum = try reader.readDouble()
        m.maximum = try reader.readDouble()
        let saturated = try reader.read(UInt8.self)
        guard saturated <= 1 else { throw .malformed("series \(series): bad saturation flag") }
        m.saturated = saturated == 1
        let extremesConsistent = m.count == 0
            ? m.minimum == .infinity && m.maximum == -.infinity
            : m.minimum.isFinite && m.maximum.isFinite && m.minimum <= m.maximum
        guard extremesConsistent else { throw .malformed("series \(series): inconsistent minimum/maximum") }

        let geometry = layout.geometries[series]
        let offset = layout.slotOffsets[series]
        let nonZeroCount = try reader.readVarint()
        guard nonZeroCount <= UInt64(geometry.slotCount) else { throw .malformed("series \(series): too many bins") }
        var slot = -1
        var total: UInt64 = 0
        for _ in 0..<nonZeroCount {
            let gap = try reader.readVarint()
            guard gap < UInt64(geometry.slotCount - slot - 1) else { throw .malformed("series \(series): bin index out of range") }
            slot += 1 + Int(gap)
            let count = try reader.readVarint()
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard count > 0, !overflow else { throw .malformed("series \(series): bad bin count") }
            total = sum
            bins[offset + slot] = UInt32(truncatingIfNeeded: count)
            if count >> 32 != 0 { binHighWords[offset + slot] = UInt32(count >> 32) }
        }
        guard total == m.count &+ m.nonFiniteCount,
              binCount(flatIndex: offset + geometry.nonFiniteSlot) == m.nonFiniteCount
        else { throw .malformed("series \(series): bin counts disagree with the value counts") }
        moments[series] = m
    }
}
