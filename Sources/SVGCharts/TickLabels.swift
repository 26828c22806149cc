/// Labels for the ticks of one axis, sharing one magnitude suffix and one number of decimals.
struct TickLabels {
    private let magnitude: Magnitude
    private let decimals: Int

    init(scale: NiceScale) {
        let largest = scale.ticks.map(abs).max() ?? 0
        magnitude = Magnitude(forLargest: largest)
        decimals = NiceScale.decimals(of: scale.step / magnitude.divisor)
    }

    /// Zero is written bare ("0", not "0.0M"): it needs neither decimals nor a unit prefix.
    func text(_ value: Double) -> String {
        guard value != 0 else { return "0" }
        return NumberText.fixed(value / magnitude.divisor, decimals: decimals, minus: NumberText.labelMinus) + magnitude.suffix
    }
}
