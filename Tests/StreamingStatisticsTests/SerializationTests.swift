import Digest
import Testing
@testable import StreamingStatistics

@Suite struct SerializationTests {
    static var accumulator: StatisticsAccumulator {
        get throws {
            var random = TestRandom(state: 9)
            let layout = HistogramLayout(ranges: [SeriesRange(lower: -2, upper: 5), SeriesRange(lower: 10, upper: 100)])
            var result = try StatisticsAccumulator(layout: layout)
            add(random.values(500) { $0.normal() } + [.nan], series: 0, chunkSize: 64, to: &result)
            add(random.values(500) { 10 + 90 * $0.uniform() }, series: 1, chunkSize: 64, to: &result)
            return result
        }
    }

    static var bytes: [UInt8] { get throws { try accumulator.serialized() } }
    static let headerSize = 28

    @Test func roundTripRestoresTheState() throws {
        let restored = try StatisticsAccumulator(serialized: Self.bytes)
        #expect(try restored == Self.accumulator)
        #expect(try restored.serialized() == Self.bytes)
        #expect(try restored.quantile(series: TrackedSeriesIndex(0), probability: 0.3) == Self.accumulator.quantile(series: TrackedSeriesIndex(0), probability: 0.3))
        #expect(restored.nonFiniteCount(series: TrackedSeriesIndex(0)) == 1)
        #expect(try Self.accumulator.serializedByteCount() == Self.bytes.count)
    }

    @Test func headerIsMagicThenLittleEndianVersion() throws {
        #expect(try Array(Self.bytes[0..<8]) == Array("HPMCSTAT".utf8))
        #expect(try Array(Self.bytes[8..<12]) == [3, 0, 0, 0])
    }

    @Test func sparseBinsKeepTheFileSmall() throws {
        // 1001 values over ~30 000 bins: far below one 4-byte word per bin.
        #expect(try Self.bytes.count < 4000)
    }

    @Test func corruptedPayloadIsRejected() throws {
        var bytes = try Self.bytes
        bytes[Self.headerSize + 40] ^= 0x10
        #expect {
            try StatisticsAccumulator(serialized: bytes)
        } throws: { error in
            if case StatisticsDecodingError.checksumMismatch = error { true } else { false }
        }
    }

    @Test func badMagicAndVersionAreRejected() throws {
        var magic = try Self.bytes
        magic[0] = UInt8(ascii: "X")
        #expect(throws: StatisticsDecodingError.badMagic) { try StatisticsAccumulator(serialized: magic) }
        var version = try Self.bytes
        version[8] = 1
        #expect(throws: StatisticsDecodingError.unsupportedVersion(1)) { try StatisticsAccumulator(serialized: version) }
    }

    @Test(arguments: [0, 5, 8, 27, 28, 100, 1000])
    func truncatedBytesAreRejected(length: Int) throws {
        let prefix = try Array(Self.bytes.prefix(length))
        #expect {
            try StatisticsAccumulator(serialized: prefix)
        } throws: { error in
            if case StatisticsDecodingError.truncated = error { true } else { false }
        }
    }

    @Test func trailingBytesAreRejected() {
        #expect(throws: StatisticsDecodingError.trailingBytes(count: 1)) {
            try StatisticsAccumulator(serialized: Self.bytes + [0])
        }
    }

    @Test func inconsistentContentWithValidChecksumIsRejected() throws {
        // Raise the first series' count (first field after the ranges and the non-finite sample
        // count) and re-sign the payload.
        var payload = try Array(Self.bytes[Self.headerSize...])
        payload[4 + 2 * 16 + 8] &+= 1
        var bytes = try Array(Self.bytes[..<20])
        withUnsafeBytes(of: XXH64.digest(payload).littleEndian) { bytes.append(contentsOf: $0) }
        bytes += payload
        #expect {
            try StatisticsAccumulator(serialized: bytes)
        } throws: { error in
            if case StatisticsDecodingError.malformed = error { true } else { false }
        }
    }

    @Test func countsOutsideTheExtremesAreRejected() throws {
        // Series 0 holds values up to about 3; claim its maximum is its minimum and re-sign: the
        // bins above the minimum's then hold counts where no value can be.
        let seriesCount = try Self.accumulator.layout.seriesCount
        let minimumOffset = 4 + 16 * seriesCount + 8 + 8 + 16 + 16
        var payload = try Array(Self.bytes[Self.headerSize...])
        payload.replaceSubrange((minimumOffset + 8)..<(minimumOffset + 16), with: payload[minimumOffset..<(minimumOffset + 8)])
        var bytes = try Array(Self.bytes[..<20])
        withUnsafeBytes(of: XXH64.digest(payload).littleEndian) { bytes.append(contentsOf: $0) }
        bytes += payload
        #expect(throws: StatisticsDecodingError.malformed("series 0: a bin outside the extremes")) {
            try StatisticsAccumulator(serialized: bytes)
        }
    }

    @Test func errorsDescribeThemselves() {
        #expect(StatisticsDecodingError.truncated(expectedBytes: 28, actualBytes: 5).description.contains("truncated"))
        #expect(StatisticsDecodingError.checksumMismatch(stored: 1, computed: 2).description.contains("corrupted"))
    }
}

@Suite struct MergeSerializedTests {
    static let layout = HistogramLayout(ranges: [SeriesRange(lower: 1, upper: 9), SeriesRange(lower: -4, upper: 4)])

    @Test func mergingBytesEqualsMergingTheAccumulator() throws {
        var random = TestRandom(state: 3)
        var a = try StatisticsAccumulator(layout: Self.layout), b = try StatisticsAccumulator(layout: Self.layout)
        add(random.values(300) { 1 + 8 * $0.uniform() }, series: 0, chunkSize: 64, to: &a)
        add(random.values(300) { $0.normal() } + [.infinity], series: 1, chunkSize: 64, to: &a)
        add(random.values(200) { 1 + 8 * $0.uniform() }, series: 0, chunkSize: 64, to: &b)
        add(random.values(200) { $0.normal() }, series: 1, chunkSize: 64, to: &b)
        var whole = a, fromBytes = a
        whole.merge(b)
        try fromBytes.merge(serialized: b.serialized()[...])
        #expect(fromBytes == whole)
    }

    @Test func anotherLayoutIsRefused() throws {
        var accumulator = try StatisticsAccumulator(layout: Self.layout)
        let other = try StatisticsAccumulator(layout: HistogramLayout(ranges: [SeriesRange(lower: 1, upper: 10)]))
        #expect(throws: StatisticsDecodingError.differentLayout) { try accumulator.merge(serialized: other.serialized()[...]) }
    }

    @Test func countsAboveThirtyTwoBitsCarryIntoTheHighWord() throws {
        let layout = HistogramLayout(ranges: [SeriesRange(lower: 1, upper: 2)])
        var big = try StatisticsAccumulator(layout: layout)
        big.moments[0].count = 3 << 32
        big.moments[0].minimum = 1.5
        big.moments[0].maximum = 1.5
        // The bin of 1.5: counts lie where the extremes say values are.
        let flat = layout.slotOffsets[0] + layout.geometries[0].slot(of: 1.5)
        big.binHighWords[flat] = 3
        var accumulator = try StatisticsAccumulator(layout: layout)
        try accumulator.merge(serialized: big.serialized()[...])
        try accumulator.merge(serialized: big.serialized()[...])
        #expect(accumulator.binCount(flatIndex: flat) == 6 << 32)
        #expect(try StatisticsAccumulator(serialized: accumulator.serialized()) == accumulator)
    }
}
