import Foundation

/// Locale-free, deterministic number formatting: the same value always gives the same text.
enum NumberText {
    /// Typographic minus for labels a person reads; SVG path data needs the ASCII hyphen instead.
    static let labelMinus = "\u{2212}"

    /// `value` with exactly `decimals` digits after the point; a value that rounds to zero never shows a sign.
    static func fixed(_ value: Double, decimals: Int, minus: String = "-") -> String {
        guard value.isFinite else { return "" }
        let places = max(0, min(decimals, 12))
        var factor = 1.0
        for _ in 0..<places { factor *= 10 }
        let scaled = (abs(value) * factor).rounded()
        let sign = value < 0 && scaled != 0 ? minus : ""
        guard scaled < 9e15 else {
            // Beyond Int64-safe integers; charts never place such values, but labels must not trap.
            return sign + String(format: "%.\(places)e", abs(value))
        }
        let whole = Int64(scaled)
        let divisor = Int64(factor)
        var text = sign + String(whole / divisor)
        if places > 0 {
            let fraction = String(whole % divisor)
            text += "." + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return text
    }

    /// An SVG coordinate: two decimals, trailing zeros dropped (a hundredth of a pixel is invisible).
    static func coordinate(_ value: Double) -> String {
        var text = fixed(value, decimals: 2)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// A value for a person to read: `significant` digits, with k/M/G/T suffixes from ten thousand up.
    static func readable(_ value: Double, significant: Int = 3) -> String {
        guard value.isFinite else { return "n/a" }
        let magnitude = Magnitude(forLargest: abs(value))
        let scaled = value / magnitude.divisor
        guard scaled != 0 else { return "0" }
        let leading = Int(floor(log10(abs(scaled))))
        let decimals = max(0, min(significant - 1 - leading, 8))
        var text = fixed(scaled, decimals: decimals, minus: labelMinus)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text + magnitude.suffix
    }
}

/// A thousands-based abbreviation applied to a whole axis so its labels stay short and comparable.
struct Magnitude: Equatable {
    let divisor: Double
    let suffix: String

    /// Values below ten thousand (years among them) keep all their digits.
    init(forLargest largest: Double) {
        switch largest {
        case 1e12...: (divisor, suffix) = (1e12, "T")
        case 1e9..<1e12: (divisor, suffix) = (1e9, "G")
        case 1e6..<1e9: (divisor, suffix) = (1e6, "M")
        case 1e4..<1e6: (divisor, suffix) = (1e3, "k")
        default: (divisor, suffix) = (1, "")
        }
    }
}
