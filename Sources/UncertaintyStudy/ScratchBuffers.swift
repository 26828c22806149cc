/// A worker's scratch buffers of doubles, freed with it: a sweep makes and drops many workers.
final class ScratchBuffers: @unchecked Sendable {
    private var buffers: [UnsafeMutableBufferPointer<Double>] = []

    /// A new buffer of `capacity` doubles (at least one, so that it has an address).
    func allocate(_ capacity: Int) -> UnsafeMutableBufferPointer<Double> {
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, capacity))
        buffers.append(buffer)
        return buffer
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }
}
