/// A series of a `HistogramLayout`, and so of the accumulators, staging and row sources built on
/// it: typed so that it is not taken for a row, a slot or a computed series. A wrapper of its
/// position, which is all it compiles to.
public struct TrackedSeriesIndex: Hashable, Comparable, Sendable {
    /// Position in the layout's `ranges`.
    public let position: Int

    package init(_ position: Int) { self.position = position }

    public static func < (a: TrackedSeriesIndex, b: TrackedSeriesIndex) -> Bool { a.position < b.position }
}

extension HistogramLayout {
    /// Every series' index, in order.
    public var seriesIndices: [TrackedSeriesIndex] { ranges.indices.map(TrackedSeriesIndex.init) }
}
