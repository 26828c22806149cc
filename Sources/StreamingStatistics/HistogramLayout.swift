/// The histogram geometry of all series of one accumulator: fixed at construction so that
/// accumulators built from the same ranges can be merged exactly.
public struct HistogramLayout: Sendable, Equatable {
    /// The ranges the layout was built from, one per series.
    public let ranges: [SeriesRange]
    let geometries: [SeriesGeometry]
    /// Index of each series' first slot in the accumulator's flat slot array; one extra entry for the end.
    let slotOffsets: [Int]

    /// One series per range; each range must be valid (finite, `lower <= upper`).
    public init(ranges: [SeriesRange]) {
        self.ranges = ranges
        geometries = ranges.map(SeriesGeometry.init(range:))
        var offsets = [0]
        offsets.reserveCapacity(ranges.count + 1)
        for geometry in geometries { offsets.append(offsets[offsets.count - 1] + geometry.slotCount) }
        slotOffsets = offsets
    }

    /// Number of series.
    public var seriesCount: Int { ranges.count }

    /// Number of histogram bins of one series, including underflow, overflow and non-finite counters.
    package func binCount(series: Int) -> Int { geometries[series].slotCount }

    /// Bins of all series together: the size of one accumulator's histogram.
    package var totalBinCount: Int { slotOffsets[slotOffsets.count - 1] }

    public static func == (lhs: HistogramLayout, rhs: HistogramLayout) -> Bool {
        lhs.ranges == rhs.ranges
    }
}
