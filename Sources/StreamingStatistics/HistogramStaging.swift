/// Batches histogram increments across the blocks of a chunk.
///
/// A caller that produces a chunk's values block by block (a few hundred samples at a time, for
/// every series) would otherwise pull each series' bins into cache once per block. Staging records
/// each block's slot indices instead; `commit` then counts them series by series, so each series'
/// bins are visited once per chunk. Counts are integers, so staging never changes a result bit.
public final class HistogramStaging: @unchecked Sendable {
    let capacity: Int
    let slots: UnsafeMutablePointer<UInt32>
    var filled: [Int]

    /// Room for `capacity` values of every series of `layout`.
    public init(layout: HistogramLayout, capacity: Int) {
        self.capacity = capacity
        slots = .allocate(capacity: max(1, layout.seriesCount * capacity))
        filled = Array(repeating: 0, count: layout.seriesCount)
    }

    deinit { slots.deallocate() }
}

extension StatisticsAccumulator {
    /// Like `add(series:values:)`, but the histogram increments wait in `staging` until `commit`.
    /// The moments are folded now, per call, exactly as `add` would.
    public mutating func add(series: Int, values: UnsafeBufferPointer<Double>, staging: HistogramStaging) {
        let geometry = layout.geometries[series]
        let start = staging.filled[series]
        precondition(start + values.count <= staging.capacity, "staging holds \(staging.capacity) values per series")
        let target = staging.slots + series * staging.capacity + start
        let chunk: ChunkSummary
        if geometry.isPositiveOnly, let fast = ChunkSummary(positiveValues: values, geometry: geometry, slots: target) {
            chunk = fast
        } else {
            chunk = ChunkSummary(values: values, shift: geometry.shift)
            for (i, value) in values.enumerated() { target[i] = UInt32(truncatingIfNeeded: geometry.slot(of: value)) }
        }
        staging.filled[series] = start + values.count
        moments[series].fold(chunk, geometry: geometry)
    }

    /// Counts every staged slot and empties the staging.
    public mutating func commit(_ staging: HistogramStaging) {
        for series in 0..<layout.seriesCount where staging.filled[series] > 0 {
            let offset = layout.slotOffsets[series]
            let staged = UnsafeBufferPointer(start: staging.slots + series * staging.capacity, count: staging.filled[series])
            // The moments already include the staged values, so this bounds every bin of the series.
            if moments[series].count + moments[series].nonFiniteCount <= UInt64(UInt32.max) {
                bins.withUnsafeMutableBufferPointer { all in
                    let base = all.baseAddress! + offset
                    for slot in staged { base[Int(slot)] &+= 1 }
                }
            } else {
                for slot in staged { increment(bin: offset + Int(slot), by: 1) }
            }
            staging.filled[series] = 0
        }
    }
}
