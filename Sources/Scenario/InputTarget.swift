/// What an uncertain input (or a `--grid` name) acts on, parsed from its `target:` text.
///
/// This file is the one place of a target kind's facts: its case, its spelling, which targets a
/// scenario has (`addressable(in:)`, the registry `parse` reads), its valid range and its value in
/// the file (`Scenario.fileValue(of:)`). `ModelSetup`
/// gives every addressable target a slot, named by its spelling (a test checks the round trip).
///
/// Spellings (market and fuel by name, years as the file's anchor years):
/// `grid` · `grid@YEAR` · `lifetime.mean` · `lifetime.shape` · `backcast.growth` ·
/// `MARKET.sales.K|r|nu` · `MARKET.sales` · `MARKET.sales@YEAR` · `MARKET.value` · `MARKET.value@YEAR` ·
/// `MARKET.cop` · `MARKET.cop@YEAR` · `MARKET.heat_per_unit` · `MARKET.heat_per_unit.h0|h_inf|tau` ·
/// `MARKET.displaced.FUEL.share|emission_factor|efficiency`.
/// A bare path (`grid`, `MARKET.cop`, …) takes `apply: factor` and scales the whole path, or a ramp.
/// A fitted curve varies through K, r and nu with its base-year value fixed, so it has no `t0` target.
public enum InputTarget: Sendable, Hashable {
    public enum CurveParameter: String, Sendable, CaseIterable { case K, r, nu }
    public enum HeatParameter: String, Sendable, CaseIterable { case h0, hInfinity = "h_inf", tau }
    public enum FuelProperty: String, Sendable, CaseIterable { case share, emissionFactor = "emission_factor", efficiency }
    public enum Path: String, Sendable, CaseIterable { case sales, value, cop, heatPerUnit = "heat_per_unit" }

    case gridPath
    case gridAnchor(year: Int)
    case lifetimeMean
    case weibullShape
    case backcastGrowth
    case curveParameter(market: Int, CurveParameter)
    case path(market: Int, Path)
    case anchor(market: Int, Path, year: Int)
    case heatParameter(market: Int, HeatParameter)
    case fuel(market: Int, fuel: Int, FuelProperty)

    /// Whether the target is a whole path, which only a factor can act on.
    public var isPath: Bool {
        switch self {
        case .gridPath, .path: return true
        default: return false
        }
    }

    /// Every quantity of `scenario` an uncertain input (or a `--grid` name) may address: the
    /// registry that parsing, slot naming and error messages read.
    public static func addressable(in scenario: Scenario) -> [InputTarget] {
        var targets: [InputTarget] = [.gridPath] + scenario.gridIntensity.map { .gridAnchor(year: $0.year) }
            + [.lifetimeMean, .weibullShape, .backcastGrowth]
        for (m, market) in scenario.markets.enumerated() {
            switch market.sales.model {
            // A fitted curve keeps its base-year value: it varies through K, r and nu, not its anchors.
            case .logistic: targets += [.curveParameter(market: m, .K), .curveParameter(market: m, .r)]
            case .richards: targets += CurveParameter.allCases.map { .curveParameter(market: m, $0) }
            case .cagr: targets += market.sales.anchors.map { .anchor(market: m, .sales, year: $0.year) }
            }
            targets += Path.allCases.map { .path(market: m, $0) }
            targets += market.value.map { .anchor(market: m, .value, year: $0.year) }
            targets += market.cop.map { .anchor(market: m, .cop, year: $0.year) }
            targets += HeatParameter.allCases.map { .heatParameter(market: m, $0) }
            for (f, fuel) in market.displaced.enumerated() {
                // A fuel that draws on the grid emits what the grid target says.
                targets += FuelProperty.allCases.filter { $0 != .emissionFactor || !fuel.usesGrid }.map { .fuel(market: m, fuel: f, $0) }
            }
        }
        return targets
    }

    /// The target's text in `scenario`, as a file's `target:` and `--grid` write it (market and fuel by name).
    public func spelling(in scenario: Scenario) -> String {
        func market(_ m: Int) -> String { scenario.markets[m].name }
        switch self {
        case .gridPath: return "grid"
        case .gridAnchor(let year): return "grid@\(year)"
        case .lifetimeMean: return "lifetime.mean"
        case .weibullShape: return "lifetime.shape"
        case .backcastGrowth: return "backcast.growth"
        case .curveParameter(let m, let p): return "\(market(m)).sales.\(p.rawValue)"
        case .path(let m, let path): return "\(market(m)).\(path.rawValue)"
        case .anchor(let m, let path, let year): return "\(market(m)).\(path.rawValue)@\(year)"
        case .heatParameter(let m, let p): return "\(market(m)).heat_per_unit.\(p.rawValue)"
        case .fuel(let m, let f, let property): return "\(market(m)).displaced.\(scenario.markets[m].displaced[f].fuel).\(property.rawValue)"
        }
    }

    /// The addressable target `text` spells in `scenario`; a failure says why it names nothing there.
    public static func parse(_ text: String, in scenario: Scenario) -> Result<InputTarget, TargetProblem> {
        let spelled = addressable(in: scenario).map { ($0, $0.spelling(in: scenario)) }
        if let (target, _) = spelled.first(where: { $0.1 == text }) { return .success(target) }
        return .failure(problem(with: text, spellings: spelled.map(\.1), in: scenario))
    }

    /// Why `text` is none of `spellings`: the model's reason where a plausible text names a quantity
    /// that cannot vary, otherwise what the registry has where the text leaves it.
    static func problem(with text: String, spellings: [String], in scenario: Scenario) -> TargetProblem {
        let (head, year) = split(text)
        let parts = head.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if let market = scenario.markets.first(where: { $0.name == parts[0] }) {
            let name = market.name, model = market.sales.model, rest = Array(parts.dropFirst())
            if rest.count == 2, rest[0] == "sales", year == nil {
                if rest[1] == "t0", model != .cagr {
                    return "t0 cannot vary: the curve keeps its base-year sales (observed) in every sample, so its midpoint follows from K and r; vary the timing of the take-off through \(name).sales.r and the saturation through \(name).sales.K"
                }
                if model == .cagr, CurveParameter(rawValue: rest[1]) != nil {
                    return "market '\(name)' grows by cagr: use \(name).sales or \(name).sales@YEAR"
                }
                if rest[1] == "nu", model == .logistic { return "a logistic has no nu; use a richards curve" }
            }
            if rest == ["sales"], year != nil, model != .cagr {
                return "the anchors of a fitted \(model.rawValue) curve cannot vary per sample; vary \(name).sales.K or .r"
            }
            if rest == ["heat_per_unit"], year != nil {
                return "heat_per_unit is a curve, not anchors; vary h0, h_inf, tau or the whole path"
            }
            if rest.count == 3, rest[0] == "displaced", rest[2] == "emission_factor", year == nil,
               market.displaced.contains(where: { $0.fuel == rest[1] && $0.usesGrid }) {
                return "'\(rest[1])' draws on the grid: its emissions follow the grid target"
            }
        }
        if let year, Int(year) == nil { return "the year after '@' is not a whole number" }
        if let year {
            let years = spellings.compactMap { split($0).head == head ? split($0).year : nil }
            if !years.isEmpty { return "\(head) has no anchor in \(year); its anchor years: \(years.joined(separator: ", "))" }
            if spellings.contains(head) { return "\(head) takes no '@YEAR'" }
        }
        // The longest run of leading parts some target shares, and what comes after it there.
        let spelledParts = spellings.map { split($0).head.split(separator: ".").map(String.init) }
        var known = 0
        while known < parts.count, spelledParts.contains(where: { $0.count > known && Array($0.prefix(known + 1)) == Array(parts.prefix(known + 1)) }) {
            known += 1
        }
        let prefix = Array(parts.prefix(known))
        var next: [String] = []
        for spelled in spelledParts where spelled.count > known && Array(spelled.prefix(known)) == prefix && !next.contains(spelled[known]) {
            next.append(spelled[known])
        }
        guard known > 0 else { return "'\(parts[0])' is neither a market nor a global input; known: \(next.joined(separator: ", "))" }
        let named = prefix.joined(separator: ".")
        guard known < parts.count else { return "name what of '\(named)': \(next.joined(separator: ", "))" }
        guard !next.isEmpty else { return "'\(named)' has no parts; '\(parts[known])' is too many" }
        return "'\(named)' has \(next.joined(separator: ", ")), not '\(parts[known])'"
    }

    /// A target text's part before '@' and the text after it, if any.
    private static func split(_ text: String) -> (head: String, year: String?) {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        return (parts[0], parts.count == 2 ? parts[1] : nil)
    }
}

extension InputTarget {
    /// The valid range of the quantity the target sets; for a whole path, of each of the path's
    /// values. One range per quantity: the loader holds the file's values to it, and every draw of
    /// an uncertain input and every grid point of a sweep must stay in it too.
    public var validRange: ValidRange {
        switch self {
        case .gridPath, .gridAnchor: .gridIntensity
        case .lifetimeMean: .lifetimeMean
        case .weibullShape: .weibullShape
        case .backcastGrowth: .backcastGrowth
        case .curveParameter(_, .K): .positive("saturation K", "1e4 units/yr")
        // r ≤ 0 turns the S-curve through the sales anchors flat or falling: no saturation left to reach.
        case .curveParameter(_, .r): .positive("growth rate r", "per year")
        case .curveParameter(_, .nu): .positive("Richards shape nu")
        case .path(_, .sales), .anchor(_, .sales, _): .sales
        case .path(_, .value), .anchor(_, .value, _): .marketValue
        case .path(_, .cop), .anchor(_, .cop, _): .cop
        case .path(_, .heatPerUnit), .anchor(_, .heatPerUnit, _), .heatParameter(_, .h0), .heatParameter(_, .hInfinity): .heatPerUnit
        case .heatParameter(_, .tau): .timeConstant
        case .fuel(_, _, .share): .share
        case .fuel(_, _, .emissionFactor): .emissionFactor
        case .fuel(_, _, .efficiency): .efficiency
        }
    }
}

/// The ranges of the quantities a scenario file sets. Those of paths and fitted parameters are
/// unbounded above: a whole-path factor is checked against every value in range (`Scenario.reach`).
extension ValidRange {
    static let gridIntensity = nonNegative("grid intensity", "kgCO2/kWh")
    static let lifetimeMean = closed(1, 100, "mean lifetime", "years")
    static let weibullShape = closed(0.5, 20, "Weibull shape")
    // The backcast's cohorts shrink by 1/(1 + g) a year back.
    static let backcastGrowth = closed(-0.5, 1, "backcast growth", "per year")
    static let sales = positive("sales", "1e4 units/yr")
    // The unit price is log-linear between value / sales at the anchors.
    static let marketValue = positive("market value", "1e8 CNY/yr")
    static let cop = positive("COP")
    static let heatPerUnit = positive("heat per unit", "GJ/unit/yr")
    static let timeConstant = positive("time constant tau", "years")
    static let share = closed(0, 1, "share of displaced heat")
    static let segmentShare = closed(0, 1, "segment share")
    static let emissionFactor = closed(0, 500, "emission factor", "kgCO2/GJ of fuel")
    static let efficiency = ValidRange(lower: 0, upper: 2, includesLower: false, includesUpper: true, quantity: "efficiency", unit: "")
}

extension Scenario {
    /// The value the target has in the file; nil for a whole path (the factor scales values that
    /// may each be anywhere in range, drawn anchors included) and for a fitted curve parameter
    /// (known only once the curve is fitted).
    func fileValue(of target: InputTarget) -> Double? {
        func at(_ anchors: [Anchor], _ year: Int) -> Double? { anchors.first { $0.year == year }?.value.value }
        switch target {
        case .gridPath, .path, .curveParameter: return nil
        case .gridAnchor(let year): return at(gridIntensity, year)
        case .lifetimeMean: return lifetimeMean.value
        case .weibullShape: return weibullShape.value
        case .backcastGrowth: return backcastGrowth.value
        case .anchor(let m, .sales, let year): return at(markets[m].sales.anchors, year)
        case .anchor(let m, .value, let year): return at(markets[m].value, year)
        case .anchor(let m, .cop, let year): return at(markets[m].cop, year)
        case .anchor(_, .heatPerUnit, _): return nil
        case .heatParameter(let m, let parameter): return markets[m].heatPerUnit[parameter].value.value
        case .fuel(let m, let f, .share): return markets[m].displaced[f].share.value
        case .fuel(let m, let f, .emissionFactor): return markets[m].displaced[f].emissionFactor?.value
        case .fuel(let m, let f, .efficiency): return markets[m].displaced[f].efficiency.value
        }
    }
}

/// Why a target text names nothing in the scenario.
public struct TargetProblem: Error, ExpressibleByStringInterpolation {
    public var reason: String
    public init(stringLiteral value: String) { reason = value }
    public init(stringInterpolation: DefaultStringInterpolation) { reason = String(stringInterpolation: stringInterpolation) }
}
