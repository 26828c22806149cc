/// Streaming, exactly mergeable statistics for many output series: counts, mean, standard deviation,
/// exact extremes and log-linear histograms for quantiles.
///
/// Memory depends on the layout only. The final state is bit-identical whatever the order and
/// grouping in which chunks are added and accumulators merged, provided each chunk of each series
/// is added in one `add` call: a chunk's floating-point partial sums are computed in a fixed order
/// and then folded into integer fixed-point sums, and everything else is integer counts.
///
/// Bin counts are 32-bit; a bin that wraps carries into a sparse 32-bit high word, so counts are
/// exact up to 2⁶⁴ while the hot histograms stay compact: 4 bytes per bin, e.g. about 24 KB for a
/// positive series spanning 6 octaves and about 115 KB for one straddling zero. `add` touches only
/// the bins of one series, so larger chunks amortize bringing them into cache.
///
/// Values in a series' unresolved slots (below or above its range, or near zero) are also counted
/// by their full signed key in a sparse spill store, so quantiles are resolved to 2⁻¹⁰ whatever the
/// spread; a series holds fewer than two entries per distinct key (`SpillCounts`), and fewer than
/// 2²² keys, whatever the number of values.
public struct StatisticsAccumulator: Sendable, Equatable {
    /// The histogram geometry; accumulators merge only with the same layout.
    public let layout: HistogramLayout
    /// Low 32 bits of every bin count, all series back to back (see `HistogramLayout.slotOffsets`).
    var bins: BinCounts
    /// High 32 bits of the few bins whose counts passed 2³² − 1, by flat bin index.
    var binHighWords: [Int: UInt32]
    var moments: [SeriesMoments]
    /// Per series with values in its unresolved slots: their counts by `SeriesGeometry.spillKey(of:)`.
    /// The counts of a series' keys in one unresolved slot add up to that slot's bin count.
    var spills: [Int: SpillCounts]
    /// Per series with chunks too far out for the fixed-point sums: those chunks' sums.
    var wideMoments: [Int: WideMoments]
    /// Samples with a non-finite value in at least one series, of those staged a batch of rows at a
    /// time (`HistogramStaging.append(rows:sources:count:)`).
    public internal(set) var nonFiniteSamples: UInt64

    /// An empty accumulator.
    public init(layout: HistogramLayout) throws(BinAllocationError) {
        self.init(layout: layout, bins: try BinCounts(zeros: layout.totalBinCount))
    }

    /// An empty accumulator on `bins`, which must be zero.
    private init(layout: HistogramLayout, bins: BinCounts) {
        self.layout = layout
        self.bins = bins
        binHighWords = [:]
        moments = Array(repeating: SeriesMoments(), count: layout.seriesCount)
        spills = [:]
        wideMoments = [:]
        nonFiniteSamples = 0
    }

    /// Empties the accumulator and gives it `layout`, keeping the memory of its bins where it can
    /// (see `BinCounts.reset`): only the bins that can hold counts are zeroed.
    public mutating func reset(layout newLayout: HistogramLayout) throws(BinAllocationError) {
        let occupied = (0..<layout.seriesCount).flatMap { series in
            let bins = occupiedBins(series: series)
            return [bins.finite, bins.nonFinite]
        }
        try bins.reset(zeros: newLayout.totalBinCount) { base in
            for bins in occupied { (base + bins.lowerBound).update(repeating: 0, count: bins.count) }
        }
        self = StatisticsAccumulator(layout: newLayout, bins: bins)
    }

    /// Maps every page of the bins now, their counts unchanged: then `HistogramStaging` may warm any
    /// bin ahead of the first commit (`reset(layout:binsMapped:)`). False where the system cannot.
    public mutating func mapBins() -> Bool {
        bins.mapPages()
    }

    /// Adds one chunk's values of one series. Non-finite values are only counted.
    public mutating func add(series index: TrackedSeriesIndex, values: UnsafeBufferPointer<Double>) {
        let series = index.position
        let geometry = layout.geometries[series]
        let offset = layout.slotOffsets[series]
        let chunk = ChunkSummary(values: values, shift: geometry.shift)
        let before = moments[series].count + moments[series].nonFiniteCount
        if before + UInt64(values.count) <= UInt64(UInt32.max) {
            // No bin of this series can wrap: a plain loop, one increment per value.
            bins.withUnsafeMutableBufferPointer { all in
                let slots = all.baseAddress! + offset
                if geometry.isPositiveOnly && chunk.nonFiniteCount == 0 {
                    for value in values { slots[geometry.positiveSlot(of: value)] &+= 1 }
                } else {
                    for value in values { slots[geometry.slot(of: value)] &+= 1 }
                }
            }
        } else {
            for value in values { increment(bin: offset + geometry.slot(of: value), by: 1) }
        }
        if chunk.finiteCount > 0 && geometry.mayHoldSpilled(minimum: chunk.minimum, maximum: chunk.maximum) {
            var runs = SpillRuns()
            for value in values where geometry.isSpilled(slot: geometry.slot(of: value)) { runs.add(value) }
            addSpills(runs.take(), series: series)
        }
        fold(chunk, series: series)
    }

    /// Folds one chunk's summary into the moments of `series`, its sums into the wide ones if they
    /// do not fit the fixed-point format.
    mutating func fold(_ chunk: ChunkSummary, series: Int) {
        if !moments[series].fold(chunk, geometry: layout.geometries[series]) { wideMoments[series, default: WideMoments()].add(chunk) }
    }

    /// The memory that the counts of spilled values hold: what grows with the samples where values
    /// fall far beyond the pilot's range.
    public var spilledByteCount: Int {
        spills.values.reduce(0) { $0 + $1.byteCount }
    }

    /// The series whose spilled counts hold the most memory (of equals the first, whatever the
    /// dictionary's order); nil with none.
    public var largestSpill: TrackedSeriesIndex? {
        spills.map { (bytes: $0.value.byteCount, series: $0.key) }.max { ($0.bytes, $1.series) < ($1.bytes, $0.series) }
            .map { TrackedSeriesIndex($0.series) }
    }

    /// Adds spilled counts of `series`, in any order, a key possibly more than once.
    mutating func addSpills(_ entries: [SpillEntry], series: Int) {
        guard !entries.isEmpty else { return }
        spills[series, default: SpillCounts()].add(entries)
    }

    /// Adds everything `other` has seen. Exact, associative and commutative. Only the bins `other`
    /// can have counted are read (see `occupiedBins`).
    public mutating func merge(_ other: StatisticsAccumulator) {
        precondition(layout == other.layout, "StatisticsAccumulator.merge needs identical layouts")
        for series in 0..<layout.seriesCount {
            let mine = moments[series], theirs = other.moments[series]
            let total = mine.count + mine.nonFiniteCount + theirs.count + theirs.nonFiniteCount
            let occupied = other.occupiedBins(series: series)
            if total <= UInt64(UInt32.max) {
                bins.withUnsafeMutableBufferPointer { mine in
                    other.bins.withUnsafeBufferPointer { theirs in
                        for bin in occupied.finite { mine[bin] &+= theirs[bin] }
                        for bin in occupied.nonFinite { mine[bin] &+= theirs[bin] }
                    }
                }
            } else {
                for bin in occupied.finite { increment(bin: bin, by: UInt64(other.bins[bin])) }
                for bin in occupied.nonFinite { increment(bin: bin, by: UInt64(other.bins[bin])) }
            }
            moments[series].merge(theirs)
        }
        for (bin, high) in other.binHighWords { binHighWords[bin, default: 0] += high }
        for (series, counts) in other.spills { spills[series, default: SpillCounts()].merge(counts) }
        for (series, wide) in other.wideMoments { wideMoments[series, default: WideMoments()].merge(wide) }
        nonFiniteSamples += other.nonFiniteSamples
    }

    /// The flat bins of `series` that can hold counts: its finite values lie between the slots of its
    /// extremes and its non-finite ones in one slot, so every other bin of the series is zero.
    func occupiedBins(series: Int) -> (finite: Range<Int>, nonFinite: Range<Int>) {
        let geometry = layout.geometries[series], offset = layout.slotOffsets[series], m = moments[series]
        let finite = m.count > 0 ? offset + geometry.slot(of: m.minimum) ..< offset + geometry.slot(of: m.maximum) + 1 : offset..<offset
        let nonFinite = offset + geometry.nonFiniteSlot
        return (finite, nonFinite ..< nonFinite + (m.nonFiniteCount > 0 ? 1 : 0))
    }

    /// Adds a full 64-bit amount to one flat bin, carrying into its high word.
    @inline(__always)
    mutating func increment(bin: Int, by amount: UInt64) {
        let (sum, wrapped) = bins[bin].addingReportingOverflow(UInt32(truncatingIfNeeded: amount))
        bins[bin] = sum
        let high = UInt32(amount >> 32) + (wrapped ? 1 : 0)
        if high > 0 { binHighWords[bin, default: 0] += high }
    }

    /// Full 64-bit count of one flat bin.
    func binCount(flatIndex: Int) -> UInt64 {
        let high = binHighWords.isEmpty ? 0 : UInt64(binHighWords[flatIndex] ?? 0)
        return high << 32 | UInt64(bins[flatIndex])
    }
}
