/// The value range one output series is expected to cover, e.g. from a pilot run, widened.
///
/// The histogram resolves values inside the range (with at least a factor-2 margin on each side) to
/// 2⁻¹⁰ relative width; values outside are counted in underflow/overflow slots.
public struct SeriesRange: Sendable, Codable, Equatable {
    /// Smallest expected value.
    public var lower: Double
    /// Largest expected value.
    public var upper: Double

    /// Both bounds must be finite with `lower <= upper`.
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// Whether the range can define a histogram: finite bounds in order.
    package var isValid: Bool {
        lower.isFinite && upper.isFinite && lower <= upper
    }
}
