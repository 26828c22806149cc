import Distributions
import Foundation

/// The values a quantity may take for the model to mean anything; infinite ends are never included.
public struct ValidRange: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var includesLower: Bool
    public var includesUpper: Bool
    /// What the quantity is, for messages: "mean lifetime".
    public var quantity: String
    /// Its unit, empty for a pure number.
    public var unit: String

    static func positive(_ quantity: String, _ unit: String = "") -> ValidRange {
        ValidRange(lower: 0, upper: .infinity, includesLower: false, includesUpper: false, quantity: quantity, unit: unit)
    }

    static func nonNegative(_ quantity: String, _ unit: String = "") -> ValidRange {
        ValidRange(lower: 0, upper: .infinity, includesLower: true, includesUpper: false, quantity: quantity, unit: unit)
    }

    static func closed(_ lower: Double, _ upper: Double, _ quantity: String, _ unit: String = "") -> ValidRange {
        ValidRange(lower: lower, upper: upper, includesLower: true, includesUpper: true, quantity: quantity, unit: unit)
    }

    public func contains(_ value: Double) -> Bool {
        (value > lower || (includesLower && value == lower)) && (value < upper || (includesUpper && value == upper))
    }

    /// What a file may hold, for the loader's messages: "mean lifetime (years) in [1, 100]".
    public var allowed: String {
        "\(quantity)\(unit.isEmpty ? "" : " (\(unit))") \(condition)"
    }

    /// "mean lifetime (years) must be > 0".
    public var requirement: String {
        "\(quantity)\(unit.isEmpty ? "" : " (\(unit))") must be \(condition)"
    }

    /// "> 0", "in [1, 100]".
    private var condition: String {
        switch (lower.isFinite, upper.isFinite) {
        case (true, false): "\(includesLower ? "≥" : ">") \(number(lower))"
        case (false, true): "\(includesUpper ? "≤" : "<") \(number(upper))"
        case (false, false): "finite"
        case (true, true): "in \(interval)"
        }
    }

    /// "(0, ∞)", "[0, 1]".
    public var interval: String {
        "\(includesLower ? "[" : "(")\(number(lower)), \(number(upper))\(includesUpper ? "]" : ")")"
    }
}

extension Scenario {
    /// Every draw of every uncertain input must leave its target inside the target's valid range.
    ///
    /// Paths need no check per year: a path is linear (or log-linear) between its anchors, so it
    /// stays in an interval its anchors stay in, and a whole-path factor is checked against every
    /// value in range, which covers anchors that are drawn too.
    func checkInputRanges(file: String) throws {
        for (i, input) in uncertain.enumerated() {
            let range = input.target.validRange
            let support = input.distribution.support
            let value = fileValue(of: input.target)
            let reach = Self.reach(of: support, apply: input.apply, on: value, within: range)
            guard !reach.fits else { continue }
            let applied: String
            switch input.apply.effect {
            case .set: applied = ""
            case .factor: applied = ", as a factor on \(value.map(number) ?? (input.target.isPath ? "the whole path" : "the fitted value"))"
            case .shift: applied = ", added to \(value.map(number) ?? "the fitted value")"
            }
            let remedy = support.lower.isInfinite || support.upper.isInfinite
                ? "use truncated_normal with bounds within \(reach.allowed)"
                : "use bounds within \(reach.allowed)"
            throw InputError(
                file: file, keyPath: "uncertain[\(i)].distribution", line: input.line,
                message: "'\(input.name)' (\(input.targetText), \(input.apply.rawValue)): \(familyName(input.distribution)) draws span "
                    + "\(interval(support))\(applied): \(range.requirement); \(remedy)")
        }
        try checkDrawnShares(file: file)
    }

    /// Whether a support, applied to `value` (nil: to any value in range), stays in range, and the
    /// interval the draws would have to lie in (a ramp as its `effect`).
    public static func reach(of support: Support, apply: UncertainInput.Apply, on value: Double?,
                      within range: ValidRange) -> (fits: Bool, allowed: String) {
        let anyValue = range.lower.isInfinite && range.upper.isInfinite
        let lowerInclusive = range.includesLower, upperInclusive = range.includesUpper
        var allowed: ValidRange
        switch (apply.effect, value) {
        case (.set, _):
            allowed = range
        case (.shift, let value?):
            allowed = range
            allowed.lower = range.lower - value
            allowed.upper = range.upper - value
        case (.factor, let value?) where value > 0:
            allowed = range
            allowed.lower = range.lower / value
            allowed.upper = range.upper / value
        case (.factor, let value?) where value < 0:
            allowed = ValidRange(lower: range.upper / value, upper: range.lower / value, includesLower: upperInclusive,
                                 includesUpper: lowerInclusive, quantity: range.quantity, unit: range.unit)
        case (.factor, .some):
            // Zero times any finite draw stays zero, which the loader has already found in range.
            allowed = ValidRange(lower: -.infinity, upper: .infinity, includesLower: false, includesUpper: false,
                                 quantity: range.quantity, unit: range.unit)
        case (_, nil) where anyValue:
            allowed = range
        // The other ranges of paths and fitted parameters run from 0 up, unbounded: only shifts ≥ 0
        // and factors ≥ 0 (> 0 when 0 is excluded) keep every value of such a range in it.
        case (.shift, nil):
            allowed = ValidRange(lower: 0, upper: .infinity, includesLower: true, includesUpper: false,
                                 quantity: range.quantity, unit: range.unit)
        case (.factor, nil):
            allowed = ValidRange(lower: 0, upper: .infinity, includesLower: lowerInclusive, includesUpper: false,
                                 quantity: range.quantity, unit: range.unit)
        }
        // Where the file's value is known, the draws' extremes are mapped as the kernel maps them,
        // rounding included, rather than compared with the divided bounds.
        let fits: Bool
        switch (apply.effect, value) {
        case (.shift, let value?):
            fits = mapped(support, { value + $0 }, within: range)
        case (.factor, let value?) where value != 0:
            fits = mapped(support, { value * $0 }, within: range)
        default:
            fits = mapped(support, { $0 }, within: allowed)
        }
        return (fits, allowed.interval)
    }

    /// Whether a support's ends, taken through the monotone `map`, lie in range; an end a continuous
    /// family never draws may touch an excluded end of the range, and infinite ends map to infinity.
    private static func mapped(_ support: Support, _ map: (Double) -> Double, within range: ValidRange) -> Bool {
        let ends = [map(support.lower), map(support.upper)]
        let (low, high) = (ends.min() ?? .nan, ends.max() ?? .nan)
        let lowerFits = low > range.lower || (low == range.lower && (range.includesLower || (!support.attainsBounds && low.isFinite)))
            || (low == -.infinity && range.lower == -.infinity)
        let upperFits = high < range.upper || (high == range.upper && (range.includesUpper || (!support.attainsBounds && high.isFinite)))
            || (high == .infinity && range.upper == .infinity)
        return lowerFits && upperFits
    }

    /// A market's drawn shares keep their values and its fixed shares absorb the rest: the drawn
    /// ones must not exceed 1 together, and something fixed must be left to absorb what they leave.
    private func checkDrawnShares(file: String) throws {
        for m in markets.indices {
            let drawn = uncertain.enumerated().filter {
                if case .fuel(m, _, .share) = $0.element.target { return true } else { return false }
            }
            guard let first = drawn.first else { continue }
            var highest: [Int: Double] = [:]
            for (_, input) in drawn {
                if case .fuel(_, let f, _) = input.target { highest[f, default: 0] += highestDraw(of: input) }
            }
            if let problem = shareProblem(market: m, highest: highest) {
                throw InputError(file: file, keyPath: "uncertain[\(first.offset)]", line: first.element.line,
                                 message: "\(drawn.map { "'\($0.element.name)'" }.joined(separator: ", ")) draw shares of '\(markets[m].name)' \(problem)")
            }
        }
    }

    /// The largest value an input's draws give its target (its file value taken as 0 where unknown).
    public func highestDraw(of input: UncertainInput) -> Double {
        let support = input.distribution.support, value = fileValue(of: input.target) ?? 0
        switch input.apply.effect {
        case .set: return support.upper
        case .shift: return value + support.upper
        case .factor: return value * (value < 0 ? support.lower : support.upper)
        }
    }

    /// Whether shares of market `m` that vary per sample, at most `highest` (by fuel), leave the
    /// fixed shares ≥ 0 and something above 0 among them to rescale; nil when they do, else why not.
    public func shareProblem(market m: Int, highest: [Int: Double]) -> String? {
        let market = markets[m]
        let fixedTotal = market.displaced.indices.filter { highest[$0] == nil }.reduce(0.0) { $0 + market.displaced[$1].share.value }
        let total = highest.sorted { $0.key < $1.key }.reduce(0.0) { $0 + $1.value }
        if fixedTotal <= 0 {
            return "and its other shares are 0 (or drawn too): at least one fixed share above 0 must be left to rescale so that the mix sums to 1"
        }
        if total > 1 {
            return "that can add up to \(number(total)); together they must stay ≤ 1 so that the fixed shares stay ≥ 0"
        }
        return nil
    }
}

/// The family as the file names it.
func familyName(_ distribution: Distribution) -> String {
    switch distribution {
    case .uniform: "uniform"
    case .triangular: "triangular"
    case .normal: "normal"
    case .truncatedNormal: "truncated_normal"
    case .lognormal: "lognormal"
    case .pert: "pert"
    case .discrete: "discrete"
    }
}

private func interval(_ support: Support) -> String {
    let closed = support.attainsBounds
    return "\(closed ? "[" : "(")\(number(support.lower)), \(number(support.upper))\(closed ? "]" : ")")"
}

/// Shortest round-trip text, whole numbers without ".0", ∞ for infinities.
package func number(_ value: Double) -> String {
    if value == .infinity { return "∞" }
    if value == -.infinity { return "-∞" }
    if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
    return "\(value)"
}
