import HugePageMemory

/// What an accumulator and a staging occupy, for estimating a run's memory before it starts.
extension HistogramLayout {
    /// Bytes of one accumulator's histogram bins (32-bit counts; mapped lazily, so at most this is touched).
    public var binByteCount: Int { totalBinCount * MemoryLayout<UInt32>.stride }
}

extension HistogramStaging {
    /// Bytes of the staged slots of a staging for `layout` with room for `capacity` values per
    /// series, with what their huge pages' alignment reserves (`hugePageReservation`).
    public static func slotByteCount(layout: HistogramLayout, capacity: Int) -> Int {
        hugePageReservation(byteCount: layout.seriesCount * capacity * MemoryLayout<UInt16>.stride)
    }
}
