/// A slot's place in a sample's slot values (`ModelSetup.slots`, a kernel's input rows): what an
/// uncertain input, a sweep's pin or a calibrated parameter sets.
public struct SlotIndex: Hashable, Sendable {
    /// The slot's position in `ModelSetup.slots` and its row in a kernel's inputs.
    public let position: Int

    init(_ position: Int) { self.position = position }
}

extension ModelSetup {
    /// Every slot's index, in slot order.
    package var slotIndices: [SlotIndex] { slots.indices.map(SlotIndex.init) }

    public subscript(slot slot: SlotIndex) -> Slot { slots[slot.position] }
}

extension ModelKernel {
    /// The row of `slot` in the inputs, one value per lane.
    public func inputs(of slot: SlotIndex) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(rebasing: inputs[(slot.position * lanes)..<((slot.position + 1) * lanes)])
    }
}
