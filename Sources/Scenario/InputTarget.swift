/// What an uncertain input acts on, parsed from its `target:` text.
///
/// Grammar (market and fuel by name, years as in the file):
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

    /// Parses `text` against `scenario`; a failure says why it names nothing there.
    public static func parse(_ text: String, in scenario: Scenario) -> Result<InputTarget, TargetProblem> {
        let (head, year): (String, Int?) = {
            let parts = text.split(separator: "@", maxSplits: 1).map(String.init)
            return (parts.first ?? "", parts.count == 2 ? Int(parts[1]) : nil)
        }()
        if text.contains("@") && year == nil { return .failure("the year after '@' is not a whole number") }
        let parts = head.split(separator: ".").map(String.init)
        func anchorYear(_ anchors: [Anchor], _ what: String) -> Result<Int, TargetProblem> {
            guard let year else { return .failure("internal: no year") }
            if anchors.contains(where: { $0.year == year }) { return .success(year) }
            return .failure("\(what) has no anchor in \(year); its anchor years: \(anchors.map { String($0.year) }.joined(separator: ", "))")
        }
        switch parts.first {
        case "grid" where parts.count == 1:
            guard year != nil else { return .success(.gridPath) }
            return anchorYear(scenario.gridIntensity, "grid").map { .gridAnchor(year: $0) }
        case "lifetime" where parts.count == 2 && year == nil:
            if parts[1] == "mean" { return .success(.lifetimeMean) }
            if parts[1] == "shape" { return .success(.weibullShape) }
            return .failure("lifetime has 'mean' and 'shape'")
        case "backcast" where parts == ["backcast", "growth"] && year == nil:
            return .success(.backcastGrowth)
        default:
            break
        }
        guard let marketName = parts.first, let m = scenario.markets.firstIndex(where: { $0.name == marketName }) else {
            let names = (["grid", "lifetime", "backcast"] + scenario.markets.map(\.name)).joined(separator: ", ")
            return .failure("'\(parts.first ?? "")' is neither a market nor a global input; known: \(names)")
        }
        let market = scenario.markets[m]
        guard parts.count >= 2 else { return .failure("name what of market '\(marketName)': sales, value, cop, heat_per_unit or displaced") }
        if parts[1] == "displaced" {
            guard parts.count == 4, year == nil else { return .failure("write MARKET.displaced.FUEL.share|emission_factor|efficiency") }
            guard let f = market.displaced.firstIndex(where: { $0.fuel == parts[2] }) else {
                return .failure("market '\(marketName)' displaces no fuel '\(parts[2])'; it has \(market.displaced.map(\.fuel).joined(separator: ", "))")
            }
            guard let property = FuelProperty(rawValue: parts[3]) else { return .failure("a fuel has share, emission_factor and efficiency") }
            if property == .emissionFactor && market.displaced[f].usesGrid {
                return .failure("'\(parts[2])' draws on the grid: its emissions follow the grid target")
            }
            return .success(.fuel(market: m, fuel: f, property))
        }
        guard let path = Path(rawValue: parts[1]) else {
            return .failure("market inputs are sales, value, cop, heat_per_unit and displaced, not '\(parts[1])'")
        }
        if parts.count == 3 {
            guard year == nil else { return .failure("a parameter takes no '@YEAR'") }
            switch path {
            case .sales:
                if parts[2] == "t0", market.sales.model != .cagr {
                    return .failure("t0 cannot vary: the curve keeps its base-year sales (observed) in every sample, so its midpoint follows from K and r; vary the timing of the take-off through \(marketName).sales.r and the saturation through \(marketName).sales.K")
                }
                guard let p = CurveParameter(rawValue: parts[2]) else { return .failure("a growth curve has K, r and nu") }
                switch (market.sales.model, p) {
                case (.cagr, _): return .failure("market '\(marketName)' grows by cagr: use \(marketName).sales or \(marketName).sales@YEAR")
                case (.logistic, .nu): return .failure("a logistic has no nu; use a richards curve")
                default: return .success(.curveParameter(market: m, p))
                }
            case .heatPerUnit:
                guard let p = HeatParameter(rawValue: parts[2]) else { return .failure("heat_per_unit has h0, h_inf and tau") }
                return .success(.heatParameter(market: m, p))
            default:
                return .failure("\(parts[1]) has no parameter '\(parts[2])'")
            }
        }
        guard parts.count == 2 else { return .failure("too many parts") }
        guard year != nil else { return .success(.path(market: m, path)) }
        switch path {
        case .sales where market.sales.model != .cagr:
            return .failure("the anchors of a fitted \(market.sales.model.rawValue) curve cannot vary per sample; vary \(marketName).sales.K or .r")
        case .heatPerUnit:
            return .failure("heat_per_unit is a curve, not anchors; vary h0, h_inf, tau or the whole path")
        case .sales: return anchorYear(market.sales.anchors, "\(marketName).sales").map { .anchor(market: m, .sales, year: $0) }
        case .value: return anchorYear(market.value, "\(marketName).value").map { .anchor(market: m, .value, year: $0) }
        case .cop: return anchorYear(market.cop, "\(marketName).cop").map { .anchor(market: m, .cop, year: $0) }
        }
    }
}

/// Why a target text names nothing in the scenario.
public struct TargetProblem: Error, ExpressibleByStringInterpolation {
    public var reason: String
    public init(stringLiteral value: String) { reason = value }
    public init(stringInterpolation: DefaultStringInterpolation) { reason = String(stringInterpolation: stringInterpolation) }
}
