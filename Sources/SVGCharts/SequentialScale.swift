/// A perceptually ordered colour ramp: equally spaced anchor colours, interpolated linearly in sRGB.
///
/// Linear sRGB interpolation between anchors matches what an SVG `linearGradient` does by default,
/// so the colour bar drawn from the same anchors shows exactly the cell colours.
public struct SequentialScale: Sendable, Hashable {
    /// Anchor colours from the low end (index 0) to the high end.
    public let anchors: [Colour]

    /// A ramp through `anchors`, which must hold at least two colours.
    public init(anchors: [Colour]) {
        precondition(anchors.count >= 2, "a sequential scale needs at least two anchors")
        self.anchors = anchors
    }

    /// Viridis sampled at nine equally spaced points (van der Walt & Smith, matplotlib's `viridis`,
    /// 2015): dark blue-violet to yellow, monotone in lightness and readable with colour-vision deficiencies.
    public static let viridis = SequentialScale(anchors: [
        Colour(hex: 0x440154), Colour(hex: 0x472D7B), Colour(hex: 0x3B528B),
        Colour(hex: 0x2C728E), Colour(hex: 0x21918C), Colour(hex: 0x28AE80),
        Colour(hex: 0x5EC962), Colour(hex: 0xADDC30), Colour(hex: 0xFDE725),
    ])

    /// The colour at position `t` in 0...1 (clamped; a non-finite `t` gives the low end).
    public func colour(at t: Double) -> Colour {
        guard t.isFinite else { return anchors[0] }
        let position = min(max(t, 0), 1) * Double(anchors.count - 1)
        let index = min(Int(position), anchors.count - 2)
        return anchors[index].mixed(with: anchors[index + 1], fraction: position - Double(index))
    }
}
