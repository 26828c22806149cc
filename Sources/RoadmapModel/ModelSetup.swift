import Foundation
import GrowthCurves
import Scenario

/// kg CO2 per GJ of electricity for a grid at 1 kg CO2/kWh (1 GJ = 1000/3.6 kWh).
let kilowattHoursPerGigajoule = 1000.0 / 3.6

/// A scenario compiled for evaluation: growth curves fitted, interpolation weights and every
/// quantity that does not vary per sample computed once.
///
/// Each number the Monte Carlo may vary is a *slot*; a sample is a vector of slot values. The
/// central sample (every slot at its scenario value) is the deterministic projection.
public struct ModelSetup: Sendable {
    public let scenario: Scenario
    public let catalog: SeriesCatalog
    public let slots: [Slot]
    /// Fitted growth curves per market (nil for cagr markets).
    public let curveFits: [CurveFit?]
    let markets: [MarketLayout]
    let global: GlobalLayout

    public struct Slot: Sendable {
        public var name: String
        public var central: Double
    }

    /// Slot indices of the scenario-wide quantities.
    struct GlobalLayout: Sendable {
        var gridFactor: Int
        var gridAnchors: [Int]
        var gridInterpolation: [Interpolation]
        var lifetimeMean: Int
        var weibullShape: Int
        var backcastGrowth: Int
    }

    /// Slot indices and fixed data of one market.
    struct MarketLayout: Sendable {
        var model: SalesModel
        var curve: [Int]            // K, r, t0, nu
        var salesFactor: Int
        var salesAnchors: [Int]     // cagr anchors (log-linear)
        var salesInterpolation: [Interpolation]
        var valueFactor: Int
        var valueAnchors: [Int]
        /// Sales anchor values at the value anchor years: price = value / sales there.
        var salesAtValueYears: [Double]
        var priceInterpolation: [Interpolation]
        var copFactor: Int
        var copAnchors: [Int]
        var copInterpolation: [Interpolation]
        var heatFactor: Int
        var heat: [Int]             // h0, h_inf, tau
        var shares: [Int]
        var emissionFactors: [Int?]
        var efficiencies: [Int]
        var segmentShares: [[Double]]   // per total segment: this market's reduction/value shares per year, [value, reduction]
    }

    /// Where a year falls between two anchors: value = a[lower] + weight·(a[lower+1] − a[lower]).
    struct Interpolation: Sendable {
        var lower: Int
        var weight: Double
    }

    public var yearCount: Int { catalog.years.count }
    public var slotCount: Int { slots.count }
}

extension ModelSetup {
    /// Compiles `scenario`; fits every logistic or richards sales curve through its anchors.
    public init(scenario: Scenario) throws {
        self.scenario = scenario
        let years = Array(scenario.years)
        var slots: [Slot] = []
        func add(_ name: String, _ value: Double) -> Int {
            slots.append(Slot(name: name, central: value))
            return slots.count - 1
        }
        func anchorSlots(_ prefix: String, _ anchors: [Anchor]) -> [Int] {
            anchors.map { add("\(prefix)@\($0.year)", $0.value.value) }
        }

        global = GlobalLayout(
            gridFactor: add("grid", 1),
            gridAnchors: anchorSlots("grid", scenario.gridIntensity),
            gridInterpolation: interpolation(years: years, anchorYears: scenario.gridIntensity.map(\.year)),
            lifetimeMean: add("lifetime.mean", scenario.lifetimeMean.value),
            weibullShape: add("lifetime.shape", scenario.weibullShape.value),
            backcastGrowth: add("backcast.growth", scenario.backcastGrowth.value))

        let totalSegments = Self.commonSegments(scenario.markets)
        var fits: [CurveFit?] = []
        var layouts: [MarketLayout] = []
        for market in scenario.markets {
            let name = market.name
            let fit = try Self.fitSales(market)
            fits.append(fit)
            let curveValues = fit?.parameters ?? []
            let curve = InputTarget.CurveParameter.allCases.enumerated().map { i, p in
                add("\(name).sales.\(p.rawValue)", i < curveValues.count ? curveValues[i] : .nan)
            }
            let salesYears = market.sales.anchors.map(\.year)
            let layout = MarketLayout(
                model: market.sales.model,
                curve: curve,
                salesFactor: add("\(name).sales", 1),
                salesAnchors: anchorSlots("\(name).sales", market.sales.anchors),
                salesInterpolation: interpolation(years: years, anchorYears: salesYears),
                valueFactor: add("\(name).value", 1),
                valueAnchors: anchorSlots("\(name).value", market.value),
                salesAtValueYears: market.value.map { v in market.sales.anchors.first { $0.year == v.year }!.value.value },
                priceInterpolation: interpolation(years: years, anchorYears: market.value.map(\.year)),
                copFactor: add("\(name).cop", 1),
                copAnchors: anchorSlots("\(name).cop", market.cop),
                copInterpolation: interpolation(years: years, anchorYears: market.cop.map(\.year)),
                heatFactor: add("\(name).heat_per_unit", 1),
                heat: [add("\(name).heat_per_unit.h0", market.heatPerUnit.h0.value.value),
                       add("\(name).heat_per_unit.h_inf", market.heatPerUnit.hInfinity.value.value),
                       add("\(name).heat_per_unit.tau", market.heatPerUnit.tau.value.value)],
                shares: market.displaced.map { add("\(name).displaced.\($0.fuel).share", $0.share.value) },
                emissionFactors: market.displaced.map { source in
                    source.emissionFactor.map { add("\(name).displaced.\(source.fuel).emission_factor", $0.value) }
                },
                efficiencies: market.displaced.map { add("\(name).displaced.\($0.fuel).efficiency", $0.efficiency.value) },
                segmentShares: totalSegments.map { segmentName in
                    let segment = market.segments.first { $0.name == segmentName }!
                    return years.map { interpolateLinear(segment.valueShare, at: $0) }
                        + years.map { interpolateLinear(segment.reductionShare, at: $0) }
                })
            layouts.append(layout)
        }
        markets = layouts
        curveFits = fits
        self.slots = slots
        catalog = SeriesCatalog(scenario: scenario, totalSegments: totalSegments)
    }

    /// The slot an uncertain input acts on.
    public func slot(for target: InputTarget) -> Int {
        switch target {
        case .gridPath: return global.gridFactor
        case .gridAnchor(let year): return global.gridAnchors[scenario.gridIntensity.firstIndex { $0.year == year }!]
        case .lifetimeMean: return global.lifetimeMean
        case .weibullShape: return global.weibullShape
        case .backcastGrowth: return global.backcastGrowth
        case .curveParameter(let m, let p): return markets[m].curve[InputTarget.CurveParameter.allCases.firstIndex(of: p)!]
        case .path(let m, let path):
            switch path {
            case .sales: return markets[m].salesFactor
            case .value: return markets[m].valueFactor
            case .cop: return markets[m].copFactor
            case .heatPerUnit: return markets[m].heatFactor
            }
        case .anchor(let m, let path, let year):
            let market = scenario.markets[m]
            switch path {
            case .sales: return markets[m].salesAnchors[market.sales.anchors.firstIndex { $0.year == year }!]
            case .value: return markets[m].valueAnchors[market.value.firstIndex { $0.year == year }!]
            case .cop: return markets[m].copAnchors[market.cop.firstIndex { $0.year == year }!]
            case .heatPerUnit: preconditionFailure("heat_per_unit has no anchors")
            }
        case .heatParameter(let m, let p): return markets[m].heat[InputTarget.HeatParameter.allCases.firstIndex(of: p)!]
        case .fuel(let m, let f, let property):
            switch property {
            case .share: return markets[m].shares[f]
            case .emissionFactor: return markets[m].emissionFactors[f]!
            case .efficiency: return markets[m].efficiencies[f]
            }
        }
    }

    /// The target that sets `slot`, the inverse of `slot(for:)`: slot names are spelled as targets.
    /// Nil for the slots the kernel never reads (a fitted curve's sales anchors, a curve parameter
    /// the market's model lacks), which no target may name.
    public func target(ofSlot slot: Int) -> InputTarget? {
        guard case .success(let target) = InputTarget.parse(slots[slot].name, in: scenario), self.slot(for: target) == slot else { return nil }
        return target
    }

    /// The central value of every slot, in slot order.
    public var centralValues: [Double] { slots.map(\.central) }

    /// Segment names every market shares, in the first market's order; only these split the total.
    static func commonSegments(_ markets: [Market]) -> [String] {
        guard let first = markets.first else { return [] }
        return first.segments.map(\.name).filter { name in markets.allSatisfy { $0.segments.contains { $0.name == name } } }
    }

    /// Fits the market's sales curve through its anchors on relative residuals.
    static func fitSales(_ market: Market) throws -> CurveFit? {
        let model: CurveModel
        switch market.sales.model {
        case .cagr: return nil
        case .logistic: model = .logistic
        case .richards: model = .richards
        }
        let t = market.sales.anchors.map { Double($0.year) }
        let y = market.sales.anchors.map(\.value.value)
        var options = CurveFitOptions()
        options.relative = true
        let fit = try fitCurve(model, t: t, y: y, options: options)
        guard fit.converged else {
            throw ModelError.curveFitFailed(market: market.name, reason: "did not converge (\(fit.stopReason.rawValue) after \(fit.iterations) iterations)")
        }
        return fit
    }
}

extension ModelSetup {
    /// How the kernel adds up one year of a total series from the markets' series: the total's
    /// metrics are the markets' sums, a total segment's value and reduction the markets' weighted
    /// by their shares in the segment. The terms come in the kernel's order, market by market, and
    /// `0 + w₁x₁ + w₂x₂ + …`, each step one fused multiply-add, gives the kernel's bits. Nil for a
    /// market's own series.
    public func totalTerms(computed: Int, year: Int) -> [(computed: Int, weight: Double)]? {
        let metrics = Metric.allCases
        let marketSeries = markets.count * metrics.count
        guard computed >= marketSeries else { return nil }
        if computed < marketSeries + metrics.count {
            return markets.indices.map { ($0 * metrics.count + computed - marketSeries, 1) }
        }
        let segmentRow = computed - marketSeries - metrics.count
        let (segment, kind) = segmentRow.quotientAndRemainder(dividingBy: 2)
        let metric = metrics.firstIndex(of: kind == 0 ? .value : .reduction)!
        return markets.enumerated().map { m, market in
            (m * metrics.count + metric, market.segmentShares[segment][kind * yearCount + year])
        }
    }
}

/// Interpolation weights of every year against anchor years (constant beyond the ends).
func interpolation(years: [Int], anchorYears: [Int]) -> [ModelSetup.Interpolation] {
    years.map { year in
        guard anchorYears.count > 1, year > anchorYears[0] else { return .init(lower: 0, weight: 0) }
        guard year < anchorYears[anchorYears.count - 1] else { return .init(lower: anchorYears.count - 2, weight: 1) }
        let upper = anchorYears.firstIndex { $0 >= year }!
        let lower = upper - 1
        return .init(lower: lower, weight: Double(year - anchorYears[lower]) / Double(anchorYears[upper] - anchorYears[lower]))
    }
}

public enum ModelError: Error, CustomStringConvertible {
    case curveFitFailed(market: String, reason: String)

    public var description: String {
        switch self {
        case .curveFitFailed(let market, let reason): return "market '\(market)': the sales curve fit \(reason)"
        }
    }
}
