import Testing
@testable import StreamingStatistics

@Suite struct GeometryTests {
    static let ranges = [
        SeriesRange(lower: 100, upper: 1000),
        SeriesRange(lower: -1000, upper: -100),
        SeriesRange(lower: -4, upper: 4),
        SeriesRange(lower: 0, upper: 50),
        SeriesRange(lower: -50, upper: 0),
        SeriesRange(lower: -3, upper: 1e6),
        SeriesRange(lower: 3.7, upper: 3.7),
        SeriesRange(lower: 0, upper: 0),
    ]

    /// Values over the whole double line: negatives, zeros, subnormals, tiny, huge.
    static let probes: [Double] = {
        var random = TestRandom(state: 11)
        var values: [Double] = [0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                                .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1, -1, 3.7, 100, 1000]
        for _ in 0..<4000 {
            let magnitude = Double(sign: .plus, exponent: Int(random.next() % 80) - 40, significand: 1 + random.uniform())
            values.append(random.next() & 1 == 0 ? magnitude : -magnitude)
        }
        return values.sorted()
    }()

    @Test(arguments: ranges)
    func slotsAreMonotoneInTheValue(range: SeriesRange) {
        let geometry = SeriesGeometry(range: range)
        let slots = Self.probes.map(geometry.slot(of:))
        #expect(zip(slots, slots.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(slots.allSatisfy { $0 >= 0 && $0 <= geometry.overflowSlot })
    }

    @Test(arguments: ranges)
    func everyValueLiesInItsSlotInterval(range: SeriesRange) {
        let geometry = SeriesGeometry(range: range)
        for value in Self.probes {
            let interval = geometry.valueInterval(slot: geometry.slot(of: value))
            #expect(interval.lower <= value && value <= interval.upper, "\(value) outside \(interval)")
            if interval.resolved {
                // Log-linear buckets are at most 2⁻¹⁰ wide relative to their smaller edge.
                let width = interval.upper - interval.lower
                #expect(width <= 0x1p-10 * min(abs(interval.lower), abs(interval.upper)))
            }
        }
    }

    @Test(arguments: ranges)
    func rangeBoundsAreResolvedOrExact(range: SeriesRange) {
        let geometry = SeriesGeometry(range: range)
        for bound in [range.lower, range.upper] {
            let slot = geometry.slot(of: bound)
            #expect(slot > 0 && slot < geometry.overflowSlot)
        }
    }

    @Test func positiveShortcutAgreesWithTheGeneralMapping() {
        let geometry = SeriesGeometry(range: SeriesRange(lower: 100, upper: 1000))
        #expect(geometry.isPositiveOnly)
        #expect(!SeriesGeometry(range: SeriesRange(lower: 0, upper: 1000)).isPositiveOnly)
        #expect(!SeriesGeometry(range: SeriesRange(lower: -1000, upper: -100)).isPositiveOnly)
        for value in Self.probes {
            #expect(geometry.positiveSlot(of: value) == geometry.slot(of: value), "\(value)")
        }
    }

    @Test(arguments: ranges)
    func fourSlotsAtOnceAgreeWithTheGeneralMapping(range: SeriesRange) {
        let geometry = SeriesGeometry(range: range)
        let values = Self.probes + [.nan, -.nan, .infinity, -.infinity, .signalingNaN, .leastNormalMagnitude, -.leastNormalMagnitude]
        for start in stride(from: 0, to: values.count - 3, by: 4) {
            let four = SIMD4(values[start..<(start + 4)])
            let slots = geometry.slots(of: four)
            #expect((0..<4).allSatisfy { Int(slots[$0]) == geometry.slot(of: four[$0]) }, "\(four)")
        }
    }

    /// The 32-bit lanes give every finite value's slot, in the order x0 x1 y0 y1 x2 x3 y2 y3.
    @Test(arguments: ranges)
    func eightFiniteSlotsAtOnceAgreeWithTheGeneralMapping(range: SeriesRange) {
        let geometry = SeriesGeometry(range: range)
        let values = Self.probes + [.leastNormalMagnitude, -.leastNormalMagnitude, range.lower, range.upper, -range.lower, -range.upper]
        let order = [0, 1, 4, 5, 2, 3, 6, 7]
        #expect(order.indices.map(SeriesGeometry.valueInGroup(ofSlot:)) == order)
        for start in stride(from: 0, to: values.count - 7, by: 8) {
            let x = SIMD4(values[start..<(start + 4)]), y = SIMD4(values[(start + 4)..<(start + 8)])
            let slots = geometry.slots(ofFinite: x, y)
            #expect((0..<8).allSatisfy { Int(slots[$0]) == geometry.slot(of: values[start + order[$0]]) }, "\(x) \(y)")
        }
    }

    @Test func nonFiniteValuesHaveTheirOwnSlot() {
        let geometry = SeriesGeometry(range: SeriesRange(lower: -4, upper: 4))
        for value in [Double.nan, -.nan, .infinity, -.infinity, .signalingNaN] {
            #expect(geometry.slot(of: value) == geometry.nonFiniteSlot)
        }
    }

    @Test func binCountFollowsTheOctaves() {
        // [100, 1000]: octaves 2^5 ..< 2^11 (one octave margin below, at least a factor 2 above),
        // 1024 buckets each, plus underflow, overflow and non-finite.
        let layout = HistogramLayout(ranges: [SeriesRange(lower: 100, upper: 1000),
                                              SeriesRange(lower: -4, upper: 4)])
        #expect(layout.binCount(series: 0) == 6 * 1024 + 3)
        // [−4, 4]: floor 2^(2−12); each side 2^−10 ..< 2^4, plus the near-zero bucket.
        #expect(layout.binCount(series: 1) == 2 * 14 * 1024 + 1 + 3)
        #expect(layout.totalBinCount == layout.binCount(series: 0) + layout.binCount(series: 1))
    }

    /// A series index is its position and nothing more (the hot loops pay nothing for the type),
    /// and a layout hands out one per range, in order.
    @Test func trackedSeriesIndicesAreTheLayoutsPositions() {
        #expect(MemoryLayout<TrackedSeriesIndex>.size == MemoryLayout<Int>.size)
        let layout = HistogramLayout(ranges: Self.ranges)
        #expect(layout.seriesIndices.map(\.position) == Array(Self.ranges.indices))
        #expect(layout.seriesIndices == layout.seriesIndices.sorted())
    }
}
