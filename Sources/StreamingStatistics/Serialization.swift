import ByteCoding
import Digest
import ParallelRunner

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
    /// Intact, but of another layout than the accumulator it was to be merged into.
    case differentLayout
    /// Intact, but the memory for its bins was refused.
    case unallocated(BinAllocationError)

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
        case .differentLayout: "statistics of another histogram layout"
        case let .unallocated(error): error.description
        }
    }
}

/// Format: "HPMCSTAT", version (u32), payload length (u64), XXH64 of the payload (u64), payload.
/// Payload: series count (u32); every series' range (two f64); the samples with a non-finite value
/// (u64); then per series the moments (count, non-finite count: u64; sums: i128; min, max: f64),
/// the wide sums (u8 flags: 1 present, 2 sum overflowed, 4 squares overflowed; if present, the two
/// exact sums' limbs, u64 each), its non-zero bins as varint pairs (gap since the previous non-zero
/// bin, count) after their number, and its spilled keys in ascending order after their number (the
/// first key as i64, then varint pairs: gap since the previous key, count). All little-endian.
/// Equal states give equal bytes.
enum SerializedFormat {
    static let magic = Array("HPMCSTAT".utf8)
    /// 3: spilled keys, wide sums and the non-finite sample count.
    static let version: UInt32 = 3
    static let headerSize = magic.count + 4 + 8 + 8
}

extension StatisticsAccumulator {
    /// Compact, versioned, checksummed little-endian bytes of the whole state, layout included; the
    /// series are encoded in runs on up to `threads` threads, each run's bytes where one thread
    /// alone would put them.
    public func serialized(threads: Int = 1) -> [UInt8] {
        var payload = ByteWriter()
        payload.write(UInt32(layout.seriesCount))
        for range in layout.ranges {
            payload.write(range.lower)
            payload.write(range.upper)
        }
        payload.write(nonFiniteSamples)
        let threads = threads > 1 ? min(threads, availableCoreCount(), layout.seriesCount) : 1
        // The whole made at its final size, and each part within its bound: with heavy tails the
        // spilled keys are most of a state, which growing arrays held up to five times at once.
        do {
            let runs = threads > 1 ? seriesRuns(count: 4 * threads) : [0..<layout.seriesCount]
            let parts = parallelMap(runs.indices, threads: threads) { serializedSeries(runs[$0]) }
            payload.reserveCapacity(parts.reduce(payload.bytes.count) { $0 + $1.count })
            for part in parts { payload.append(part) }
        }
        var file = ByteWriter()
        file.reserveCapacity(SerializedFormat.headerSize + payload.bytes.count)
        file.append(SerializedFormat.magic)
        file.write(SerializedFormat.version)
        file.write(UInt64(payload.bytes.count))
        file.write(XXH64.digest(payload.bytes))
        file.append(payload.bytes)
        return file.bytes
    }

    /// `count` consecutive runs of series (fewer when there are fewer series) with about equal
    /// numbers of bins between their extremes, the bins an encoding scans.
    private func seriesRuns(count: Int) -> [Range<Int>] {
        let weights = (0..<layout.seriesCount).map { occupiedBins(series: $0).finite.count + 1 }
        let total = weights.reduce(0, +)
        var runs: [Range<Int>] = [], start = 0, sum = 0
        for (series, weight) in weights.enumerated() {
            sum += weight
            if sum * count >= total * (runs.count + 1) || series == weights.count - 1 {
                runs.append(start..<series + 1)
                start = series + 1
            }
        }
        return runs
    }

    /// The payload's part for the series of `seriesRun`: each one's moments, wide sums, non-zero bins and spilled keys.
    private func serializedSeries(_ seriesRun: Range<Int>) -> [UInt8] {
        var payload = ByteWriter()
        // Exactly what the series take when they hold spilled keys: those are then most of a state, and
        // an array grown past them would hold them twice at once. Without, growing costs little, and
        // counting would scan the bins once more.
        if seriesRun.contains(where: { spills[$0] != nil }) { payload.reserveCapacity(seriesRun.reduce(0) { $0 + serializedByteCount(series: $1, bound: false) }) }
        // A series' pairs go to scratch first, as their number leads them: per bin at most 3 bytes
        // of gap (slots are below 2^15) and 10 of count.
        let widest = seriesRun.map(layout.binCount(series:)).max() ?? 0
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, 13 * widest))
        defer { scratch.deallocate() }
        for series in seriesRun {
            let m = moments[series]
            payload.write(m.count)
            payload.write(m.nonFiniteCount)
            payload.write(m.shiftedSum)
            payload.write(m.shiftedSquareSum)
            payload.write(m.minimum)
            payload.write(m.maximum)
            writeWideMoments(series: series, to: &payload)
            var nonZero = 0, out = scratch
            forEachOccupiedBin(series: series) { gap, count in
                nonZero += 1
                out = writeVarint(gap, to: out)
                out = writeVarint(count, to: out)
            }
            payload.writeVarint(UInt64(nonZero))
            payload.append(UnsafeBufferPointer(start: scratch, count: out - scratch))
            writeSpills(series: series, to: &payload)
        }
        return payload.bytes
    }

    /// Calls `body` with the gap from the occupied bin before (less one) and the count of each occupied
    /// bin of `series`, in order: those between its extremes, then its non-finite bin.
    @inline(__always)
    private func forEachOccupiedBin(series: Int, _ body: (_ gap: UInt64, _ count: UInt64) -> Void) {
        let wide = !binHighWords.isEmpty, occupied = occupiedBins(series: series)
        bins.withUnsafeBufferPointer { all in
            let counts = all.baseAddress!
            @inline(__always) func isOccupied(_ bin: Int) -> Bool { counts[bin] != 0 || (wide && binHighWords[bin] != nil) }
            /// The first occupied bin of `part` from `bin` on, or its end; most bins are empty, so
            /// eight at a time while they are (a bin with only a high word is not zero: not then).
            @inline(__always) func nextOccupied(_ bin: Int, in part: Range<Int>) -> Int {
                var bin = bin
                if !wide {
                    while bin + 8 <= part.upperBound {
                        let eight = UnsafeRawPointer(counts + bin)
                        let any = eight.loadUnaligned(as: UInt64.self) | eight.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                            | eight.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | eight.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                        if any != 0 { break }
                        bin += 8
                    }
                }
                while bin < part.upperBound && !isOccupied(bin) { bin += 1 }
                return bin
            }
            var previous = layout.slotOffsets[series] - 1
            for part in [occupied.finite, occupied.nonFinite] {
                var bin = nextOccupied(part.lowerBound, in: part)
                while bin < part.upperBound {
                    body(UInt64(bin - previous - 1), wide ? binCount(flatIndex: bin) : UInt64(counts[bin]))
                    previous = bin
                    bin = nextOccupied(bin + 1, in: part)
                }
            }
        }
    }

    /// The bytes `serializedSeries` writes for `series` (its spilled keys' at most: several runs of
    /// them are merged as they are written). `bound`: as if every bin between its extremes were
    /// occupied (a gap and a count of 3 and 10 bytes each), with no scan of the bins.
    func serializedByteCount(series: Int, bound: Bool) -> Int {
        var binBytes = 0
        if bound {
            let occupied = occupiedBins(series: series)
            binBytes = 10 + 13 * (occupied.finite.count + occupied.nonFinite.count)
        } else {
            var nonZero = 0
            forEachOccupiedBin(series: series) { gap, count in
                nonZero += 1
                binBytes += varintLength(gap) + varintLength(count)
            }
            binBytes += varintLength(UInt64(nonZero))
        }
        let spilled = spills[series].map { (count: $0.entryCountBound, bytes: $0.mergedByteBound) } ?? (count: 0, bytes: 0)
        // Count and non-finite count, the two Int128 shifted sums, the extremes; the wide flag and limbs.
        let moments = 8 + 8 + 16 + 16 + 8 + 8 + 1 + (wideMoments[series] == nil ? 0 : 2 * ExactSum.limbCount * 8)
        return moments + binBytes + varintLength(UInt64(spilled.count)) + spilled.bytes
    }

    /// The bytes of `serialized()` (at most, by its spilled keys'): what encoding the state takes, twice
    /// (its parts, then the whole). `bound`: see `serializedByteCount(series:bound:)`.
    public func serializedByteCount(bound: Bool = false) -> Int {
        (0..<layout.seriesCount).reduce(SerializedFormat.headerSize + 4 + 16 * layout.seriesCount + 8) { $0 + serializedByteCount(series: $1, bound: bound) }
    }

    /// The wide sums' flags and, when there are wide sums, their limbs.
    private func writeWideMoments(series: Int, to payload: inout ByteWriter) {
        guard let wide = wideMoments[series] else { return payload.write(UInt8(0)) }
        payload.write(UInt8(1 | (wide.sumOverflowed ? 2 : 0) | (wide.squaresOverflowed ? 4 : 0)))
        for limb in wide.sum.limbs + wide.squareSum.limbs { payload.write(limb) }
    }

    /// The spilled keys in ascending order, so that equal states give equal bytes: their number,
    /// then the run's packing, which is this format's.
    private func writeSpills(series: Int, to payload: inout ByteWriter) {
        let run = spills[series]?.merged ?? SpillRun()
        payload.writeVarint(UInt64(run.count))
        payload.append(run.bytes)
    }

    /// Restores an accumulator from `serialized()` bytes, rejecting anything damaged.
    public init(serialized bytes: ArraySlice<UInt8>) throws(StatisticsDecodingError) {
        var result: StatisticsAccumulator?
        try Self.readPayload(bytes) { ranges, nonFiniteSamples, reader throws(StatisticsDecodingError) in
            var accumulator: StatisticsAccumulator
            do throws(BinAllocationError) {
                accumulator = try StatisticsAccumulator(layout: HistogramLayout(ranges: ranges))
            } catch {
                throw .unallocated(error)
            }
            accumulator.nonFiniteSamples = nonFiniteSamples
            for series in ranges.indices { try accumulator.addSeries(series, from: &reader) }
            result = accumulator
        }
        self = result!
    }

    public init(serialized bytes: [UInt8]) throws(StatisticsDecodingError) {
        try self.init(serialized: bytes[...])
    }

    /// Adds the state in `serialized()` bytes, exactly as `merge` adds the accumulator they hold,
    /// reading only their non-zero bins: merging many shard files costs what they hold, not the
    /// layout's size each. On a throw the accumulator is left part-merged: discard it.
    public mutating func merge(serialized bytes: ArraySlice<UInt8>) throws(StatisticsDecodingError) {
        try Self.readPayload(bytes) { ranges, nonFiniteSamples, reader throws(StatisticsDecodingError) in
            guard ranges == layout.ranges else { throw .differentLayout }
            self.nonFiniteSamples += nonFiniteSamples
            for series in ranges.indices { try addSeries(series, from: &reader) }
        }
    }

    private typealias Reader = ByteReader<StatisticsDecodingError>

    private static func malformedPayload(_ problem: String) -> StatisticsDecodingError { .malformed("payload \(problem)") }

    /// Checks the header and checksum of `bytes` and reads the ranges; `body` reads the series.
    private static func readPayload(_ bytes: ArraySlice<UInt8>,
                                    body: ([SeriesRange], UInt64, inout Reader) throws(StatisticsDecodingError) -> Void) throws(StatisticsDecodingError) {
        let magic = SerializedFormat.magic
        guard bytes.prefix(magic.count).elementsEqual(magic.prefix(bytes.count)) else { throw .badMagic }
        guard bytes.count >= SerializedFormat.headerSize else {
            throw .truncated(expectedBytes: SerializedFormat.headerSize, actualBytes: bytes.count)
        }
        let outcome = bytes.withUnsafeBytes { all -> StatisticsDecodingError? in
            do throws(StatisticsDecodingError) {
                var header = Reader(UnsafeRawBufferPointer(rebasing: all[magic.count..<SerializedFormat.headerSize]), failure: Self.malformedPayload)
                let version = try header.read(UInt32.self)
                guard version == SerializedFormat.version else { throw .unsupportedVersion(version) }
                let announced = try header.read(UInt64.self)
                let available = UInt64(all.count - SerializedFormat.headerSize)
                guard announced <= available else {
                    let expected = announced > UInt64(Int.max / 2) ? Int.max : SerializedFormat.headerSize + Int(announced)
                    throw .truncated(expectedBytes: expected, actualBytes: all.count)
                }
                guard announced == available else { throw .trailingBytes(count: Int(available - announced)) }
                let stored = try header.read(UInt64.self)
                let payload = UnsafeRawBufferPointer(rebasing: all[SerializedFormat.headerSize...])
                let computed = XXH64.digest(payload)
                guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }
                var reader = Reader(payload, failure: Self.malformedPayload)
                let seriesCount = Int(try reader.read(UInt32.self))
                guard seriesCount * 16 <= payload.count else { throw .malformed("series count exceeds the payload") }
                var ranges: [SeriesRange] = []
                for _ in 0..<seriesCount {
                    let range = SeriesRange(lower: try reader.readDouble(), upper: try reader.readDouble())
                    guard range.isValid else { throw .malformed("invalid series range \(range)") }
                    ranges.append(range)
                }
                let nonFiniteSamples = try reader.read(UInt64.self)
                try body(ranges, nonFiniteSamples, &reader)
                guard reader.isAtEnd else { throw .malformed("unexpected bytes after the last series") }
                return nil
            } catch {
                return error
            }
        }
        if let outcome { throw outcome }
    }

    /// Decodes one series and adds it: its moments, then its bins as they are read.
    private mutating func addSeries(_ series: Int, from reader: inout Reader) throws(StatisticsDecodingError) {
        var m = SeriesMoments()
        m.count = try reader.read(UInt64.self)
        m.nonFiniteCount = try reader.read(UInt64.self)
        m.shiftedSum = try reader.readInt128()
        m.shiftedSquareSum = try reader.readInt128()
        m.minimum = try reader.readDouble()
        m.maximum = try reader.readDouble()
        let wideFlags = try reader.read(UInt8.self)
        guard wideFlags == 0 || (wideFlags & 1 == 1 && wideFlags <= 7) else { throw .malformed("series \(series): bad wide-sum flags") }
        var wide: WideMoments?
        if wideFlags != 0 {
            var w = WideMoments(sumOverflowed: wideFlags & 2 != 0, squaresOverflowed: wideFlags & 4 != 0)
            for i in 0..<ExactSum.limbCount { w.sum.limbs[i] = try reader.read(UInt64.self) }
            for i in 0..<ExactSum.limbCount { w.squareSum.limbs[i] = try reader.read(UInt64.self) }
            wide = w
        }
        let extremesConsistent = m.count == 0
            ? m.minimum == .infinity && m.maximum == -.infinity
            : m.minimum.isFinite && m.maximum.isFinite && m.minimum <= m.maximum
        guard extremesConsistent else { throw .malformed("series \(series): inconsistent minimum/maximum") }

        let geometry = layout.geometries[series]
        let offset = layout.slotOffsets[series]
        let nonZeroCount = try reader.readVarint()
        guard nonZeroCount <= UInt64(geometry.slotCount) else { throw .malformed("series \(series): too many bins") }
        // Counts only where values can be, as `occupiedBins` assumes.
        let finiteSlots = m.count > 0 ? geometry.slot(of: m.minimum)...geometry.slot(of: m.maximum) : nil
        var slot = -1
        var total: UInt64 = 0, nonFinite: UInt64 = 0
        var spilledSlots: [Int: UInt64] = [:]
        for _ in 0..<nonZeroCount {
            let gap = try reader.readVarint()
            guard gap < UInt64(geometry.slotCount - slot - 1) else { throw .malformed("series \(series): bin index out of range") }
            slot += 1 + Int(gap)
            let count = try reader.readVarint()
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard count > 0, !overflow else { throw .malformed("series \(series): bad bin count") }
            total = sum
            guard finiteSlots?.contains(slot) == true || slot == geometry.nonFiniteSlot else { throw .malformed("series \(series): a bin outside the extremes") }
            increment(bin: offset + slot, by: count)
            if slot == geometry.nonFiniteSlot { nonFinite = count }
            if geometry.isSpilled(slot: slot) { spilledSlots[slot] = count }
        }
        guard total == m.count &+ m.nonFiniteCount, nonFinite == m.nonFiniteCount
        else { throw .malformed("series \(series): bin counts disagree with the value counts") }

        // Spilled keys: ascending, between the extremes' keys, each in an unresolved slot, and
        // adding up to those slots' counts.
        let entryCount = try reader.readVarint()
        // At most one per finite key: 2047 exponents of 1024 keys, on each side of zero.
        guard entryCount <= 1 << 23 else { throw .malformed("series \(series): too many spilled keys") }
        // The file packs them as a run does: once checked, its bytes are the run (not unpacked and
        // packed again, 8 times their size at once for a series of heavy tails).
        let packedStart = reader.offset
        var key = Int64.min
        for i in 0..<Int(entryCount) {
            if i == 0 {
                key = try reader.read(Int64.self)
            } else {
                let gap = try reader.readVarint()
                guard gap < UInt64(Int64.max), key <= Int64.max - 1 - Int64(gap) else { throw .malformed("series \(series): spilled key out of range") }
                key += 1 + Int64(gap)
            }
            let count = try reader.readVarint()
            // A zero extreme stands for both signed zeros: a chunk's extremes need not tell them apart.
            guard m.count > 0, key >= SeriesGeometry.spillKey(of: m.minimum == 0 ? -0.0 : m.minimum),
                  key <= SeriesGeometry.spillKey(of: m.maximum == 0 ? 0.0 : m.maximum)
            else { throw .malformed("series \(series): a spilled key outside the extremes") }
            let slot = geometry.slot(of: SeriesGeometry.value(spillKey: key))
            guard geometry.isSpilled(slot: slot) else { throw .malformed("series \(series): a spilled key in a resolved slot") }
            let (left, short) = (spilledSlots[slot] ?? 0).subtractingReportingOverflow(count)
            guard count > 0, !short else { throw .malformed("series \(series): bad spilled count") }
            spilledSlots[slot] = left
        }
        guard spilledSlots.values.allSatisfy({ $0 == 0 }) else { throw .malformed("series \(series): spilled counts disagree with the bins") }
        moments[series].merge(m)
        if entryCount > 0 {
            spills[series, default: SpillCounts()].merge(SpillCounts(SpillRun(packed: reader.bytes(since: packedStart), count: Int(entryCount))))
        }
        if let wide { wideMoments[series, default: WideMoments()].merge(wide) }
    }
}
