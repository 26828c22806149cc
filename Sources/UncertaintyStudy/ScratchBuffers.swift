/// A worker's scratch buffers, freed with it: a sweep makes and drops many workers.
final class ScratchBuffers: @unchecked Sendable {
    private var buffers: [UnsafeMutableRawPointer] = []

    /// A new buffer of `capacity` elements (at least one, so that it has an address).
    func allocate<Element>(_ capacity: Int, of: Element.Type = Double.self) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: max(1, capacity))
        // A non-empty buffer always has an address.
        buffers.append(UnsafeMutableRawPointer(buffer.baseAddress!))
        return buffer
    }

    deinit {
        // The elements are trivial (numbers, flags): nothing to deinitialize.
        for buffer in buffers { buffer.deallocate() }
    }
}
