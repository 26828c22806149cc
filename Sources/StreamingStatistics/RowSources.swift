import LaneVectors

/// Where each series' values lie in a batch of rows (`count` values from an offset), and the order
/// in which `HistogramStaging` takes the series.
///
/// A series either has a row of its own or is a weighted sum of rows, `0 + w₁r₁ + w₂r₂ + …` added
/// up in order by `FusedLanes.addingTerm`, as the model's kernel adds up its totals: summing while
/// staging spares the producer writing those rows, and the terms, staged just before, are still in cache.
public struct RowSources: Sendable {
    struct Entry {
        var series: Int
        /// The series' own row; nil for a sum.
        var row: Int?
        var firstTerm: Int
        var termCount: Int
    }

    private(set) var entries: [Entry] = []
    /// Index into `entries` per series.
    private var entryOfSeries: [Int: Int] = [:]
    private var termRows: [Int] = []
    private var termWeights: [Double] = []
    /// The lowest and highest series described.
    private var lowestSeries = Int.max, highestSeries = Int.min

    public init() {}

    /// Number of series described.
    public var count: Int { entries.count }

    /// Takes `series` from its own row at `row`.
    public mutating func add(series: TrackedSeriesIndex, row: Int) {
        append(Entry(series: series.position, row: row, firstTerm: termRows.count, termCount: 0))
    }

    /// Takes `series` as the weighted sum of `terms`, in order (an empty sum is zero).
    public mutating func add(series: TrackedSeriesIndex, sumOf terms: [(row: Int, weight: Double)]) {
        append(Entry(series: series.position, row: nil, firstTerm: termRows.count, termCount: terms.count))
        termRows += terms.map(\.row)
        termWeights += terms.map(\.weight)
    }

    private mutating func append(_ entry: Entry) {
        precondition(entryOfSeries[entry.series] == nil, "series \(entry.series) described twice")
        entryOfSeries[entry.series] = entries.count
        entries.append(entry)
        lowestSeries = min(lowestSeries, entry.series)
        highestSeries = max(highestSeries, entry.series)
    }

    /// True when every series `0..<seriesCount` is described, once: no series is described twice,
    /// so as many series as that, all within the range, are all of them.
    func covers(seriesCount: Int) -> Bool {
        entries.count == seriesCount && (seriesCount == 0 || (lowestSeries >= 0 && highestSeries < seriesCount))
    }

    /// The values of `series`, written to `destination`.
    public func write(series: TrackedSeriesIndex, rows: UnsafePointer<Double>, count: Int, into destination: UnsafeMutablePointer<Double>) {
        let entry = entries[entryOfSeries[series.position]!]
        let values = self.values(entry, rows: rows, count: count, scratch: destination)
        if values != UnsafePointer(destination) { destination.update(from: values, count: count) }
    }

    /// Hands `body` the values of every series in staging order: its own row, or its sum written to
    /// `scratch` (room for `count` values).
    public func forEachSeries(rows: UnsafePointer<Double>, count: Int, scratch: UnsafeMutablePointer<Double>,
                              _ body: (TrackedSeriesIndex, UnsafeBufferPointer<Double>) -> Void) {
        for entry in entries {
            body(TrackedSeriesIndex(entry.series), UnsafeBufferPointer(start: values(entry, rows: rows, count: count, scratch: scratch), count: count))
        }
    }

    /// A sum of two rows as the fast pass reads it, added up in registers; nil for other entries.
    @inline(__always)
    func pairSum(_ entry: Entry, rows: UnsafePointer<Double>) -> PairSum? {
        guard entry.row == nil && entry.termCount == 2 else { return nil }
        let t = entry.firstTerm
        return PairSum(first: rows + termRows[t], second: rows + termRows[t + 1],
                       firstWeight: termWeights[t], secondWeight: termWeights[t + 1])
    }

    /// The values of one entry: its row, or its sum written to `scratch`.
    @inline(__always)
    func values(_ entry: Entry, rows: UnsafePointer<Double>, count: Int, scratch: UnsafeMutablePointer<Double>) -> UnsafePointer<Double> {
        if let row = entry.row { return rows + row }
        typealias Lanes = SIMD4<Double>
        let raw = UnsafeMutableRawPointer(scratch)
        // Term by term over the lanes: the same chain per value as value by value, in tight loops.
        for t in entry.firstTerm..<(entry.firstTerm + entry.termCount) {
            let w = termWeights[t], row = rows + termRows[t], first = t == entry.firstTerm
            var i = 0
            while i &+ 4 <= count {
                let x = UnsafeRawPointer(row + i).loadUnaligned(as: Lanes.self)
                let sum = first ? Lanes(broadcast: 0) : raw.load(fromByteOffset: i &* 8, as: Lanes.self)
                raw.storeBytes(of: sum.addingTerm(w, x), toByteOffset: i &* 8, as: Lanes.self)
                i &+= 4
            }
            while i < count {
                scratch[i] = (first ? 0 : scratch[i]).addingTerm(w, row[i])
                i += 1
            }
        }
        if entry.termCount == 0 { scratch.update(repeating: 0, count: count) }
        return UnsafePointer(scratch)
    }
}

/// The values of one series in a batch of rows: its own row, or a sum of two rows added up in
/// registers as it is read (`RowSources.forEachSeries(rows:other:otherRows:…)`, which pairs like
/// with like: the staging takes each kind of pair through its own pass).
public struct SeriesValues {
    enum Source { case row(StoredValues), sum(PairSum) }
    let source: Source

    /// The values stored from `row` on.
    public init(_ row: UnsafePointer<Double>) { source = .row(StoredValues(base: row)) }

    init(_ sum: PairSum) { source = .sum(sum) }

    static let unlikePair = "a pair of a stored row and a sum: forEachSeries pairs like with like"
}

extension RowSources {
    /// Hands `body` the values of every series in `rows` and in `otherRows`, two batches of rows laid
    /// out alike (two models' outputs), this source describing the first and `other` (the same series
    /// in the same order, with sums of the same rows, perhaps other weights) the second, in staging
    /// order. A sum of two rows is added up as it is read; other sums are written to `scratch` and
    /// `otherScratch` (room for `count` values each).
    public func forEachSeries(rows: UnsafePointer<Double>, other: RowSources, otherRows: UnsafePointer<Double>, count: Int,
                              scratch: UnsafeMutablePointer<Double>, otherScratch: UnsafeMutablePointer<Double>,
                              _ body: (TrackedSeriesIndex, _ values: SeriesValues, _ otherValues: SeriesValues) -> Void) {
        precondition(other.entries.count == entries.count, "the same series in both sources")
        for (entry, otherEntry) in zip(entries, other.entries) {
            precondition(entry.series == otherEntry.series && entry.row == otherEntry.row && entry.termCount == otherEntry.termCount,
                         "the same series from the same rows in both sources")
            body(TrackedSeriesIndex(entry.series), seriesValues(entry, rows: rows, count: count, scratch: scratch),
                 other.seriesValues(otherEntry, rows: otherRows, count: count, scratch: otherScratch))
        }
    }

    @inline(__always)
    func seriesValues(_ entry: Entry, rows: UnsafePointer<Double>, count: Int, scratch: UnsafeMutablePointer<Double>) -> SeriesValues {
        if let sum = pairSum(entry, rows: rows) { return SeriesValues(sum) }
        return SeriesValues(values(entry, rows: rows, count: count, scratch: scratch))
    }
}

/// `w₁r₁ + w₂r₂` from zero, value by value as `RowSources.values` adds it up, so with the same bits.
struct PairSum: LaneValues {
    let first: UnsafePointer<Double>, second: UnsafePointer<Double>
    let firstWeight: Double, secondWeight: Double

    @inline(__always) func lanes(at i: Int) -> SIMD4<Double> {
        let a = UnsafeRawPointer(first + i).loadUnaligned(as: SIMD4<Double>.self)
        let b = UnsafeRawPointer(second + i).loadUnaligned(as: SIMD4<Double>.self)
        return SIMD4(broadcast: 0).addingTerm(firstWeight, a).addingTerm(secondWeight, b)
    }

    @inline(__always) func value(at i: Int) -> Double {
        0.0.addingTerm(firstWeight, first[i]).addingTerm(secondWeight, second[i])
    }
}
