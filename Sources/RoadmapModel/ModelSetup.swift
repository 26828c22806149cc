import Foundation
import GrowthCurves
import LaneVectors
import LeastSquares
import Scenario

/// kg CO2 per GJ of electricity for a grid at 1 kg CO2/kWh (1 GJ = 1000/3.6 kWh).
let kilowattHoursPerGigajoule = 1000.0 / 3.6

/// The kernel's emissions are in kg, the roadmap's unit a multiple of tonnes (`Metric.roadmapScale`).
let kilogramsPerTonne = 1000.0

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
    /// The slot of every target laid out, addressable or not, and of every ramp by the path it ramps.
    let targetSlots: [InputTarget: Int], rampSlots: [InputTarget: Int]

    /// One model quantity a kernel reads from its inputs, with its central value.
    public struct Slot: Sendable {
        /// The target's spelling (`InputTarget.spelling`), or the ramped path's followed by `.ramp`.
        public var name: String
        public var central: Double
        /// The target that sets the slot; nil for a ramp and for the slots the kernel never reads (a
        /// fitted curve's sales anchors, a curve parameter the market's model lacks), which no target names.
        public var target: InputTarget?
    }

    /// Slot indices of the scenario-wide quantities.
    struct GlobalLayout: Sendable {
        var gridFactor: Int
        var gridRamp: PathRamp?
        var gridAnchors: [Int]
        var gridInterpolation: [Interpolation]
        var lifetimeMean: Int
        var weibullShape: Int
        var backcastGrowth: Int
    }

    /// Slot indices and fixed data of one market.
    struct MarketLayout: Sendable {
        var model: SalesModel
        var curve: [Int]            // K, r, nu
        /// The fitted curve's base year, which every sample keeps (nil for cagr).
        var anchored: AnchoredCurve?
        var salesFactor: Int
        var salesRamp: PathRamp?
        var salesAnchors: [Int]     // cagr anchors (log-linear)
        var salesInterpolation: [Interpolation]
        var valueFactor: Int
        var valueRamp: PathRamp?
        var valueAnchors: [Int]
        /// Sales anchor values at the value anchor years: price = value / sales there.
        var salesAtValueYears: [Double]
        var priceInterpolation: [Interpolation]
        var copFactor: Int
        var copRamp: PathRamp?
        var copAnchors: [Int]
        var copInterpolation: [Interpolation]
        var heatFactor: Int
        var heatRamp: PathRamp?
        var heat: [Int]             // h0, h_inf, tau
        var shares: [Int]
        var emissionFactors: [Int?]
        var efficiencies: [Int]
    }

    /// A ramped input on a whole path: its slot (1 or 0 centrally), whether it shifts rather than
    /// scales, and its weight in every year (`Ramp.weight`).
    struct PathRamp: Sendable {
        var slot: Int
        var shift: Bool
        var weights: [Double]
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
        var targetSlots: [InputTarget: Int] = [:], rampSlots: [InputTarget: Int] = [:]
        let addressable = Set(InputTarget.addressable(in: scenario))
        func add(_ target: InputTarget, _ value: Double) -> Int {
            slots.append(Slot(name: target.spelling(in: scenario), central: value, target: addressable.contains(target) ? target : nil))
            targetSlots[target] = slots.count - 1
            return slots.count - 1
        }
        func anchorSlots(_ anchors: [Anchor], _ target: (Int) -> InputTarget) -> [Int] {
            anchors.map { add(target($0.year), $0.value.value) }
        }
        func ramp(_ path: InputTarget) -> PathRamp? {
            guard let input = scenario.uncertain.first(where: { $0.target == path && $0.apply.isRamp }),
                  let ramp = input.ramp else { return nil }
            let shift = input.apply == .rampShift
            slots.append(Slot(name: "\(path.spelling(in: scenario)).ramp", central: shift ? 0 : 1, target: nil))
            rampSlots[path] = slots.count - 1
            return PathRamp(slot: slots.count - 1, shift: shift, weights: years.map(ramp.weight))
        }

        global = GlobalLayout(
            gridFactor: add(.gridPath, 1),
            gridRamp: ramp(.gridPath),
            gridAnchors: anchorSlots(scenario.gridIntensity) { .gridAnchor(year: $0) },
            gridInterpolation: interpolation(years: years, anchorYears: scenario.gridIntensity.map(\.year)),
            lifetimeMean: add(.lifetimeMean, scenario.lifetimeMean.value),
            weibullShape: add(.weibullShape, scenario.weibullShape.value),
            backcastGrowth: add(.backcastGrowth, scenario.backcastGrowth.value))

        let totalSegments = Self.commonSegments(scenario.markets)
        var fits: [CurveFit?] = []
        var layouts: [MarketLayout] = []
        for (m, market) in scenario.markets.enumerated() {
            let fit = try Self.fitSales(market)
            fits.append(fit)
            let observedBase = market.sales.anchors.first { $0.year == scenario.baseYear && $0.observed }?.value.value
            let anchored = fit.map {
                AnchoredCurve(model: market.sales.model, fitted: $0.parameters, baseYear: scenario.baseYear, observedBase: observedBase)
            }
            let curve = [add(.curveParameter(market: m, .K), anchored?.capacity ?? .nan), add(.curveParameter(market: m, .r), anchored?.rate ?? .nan),
                         add(.curveParameter(market: m, .nu), market.sales.model == .richards ? anchored?.shape ?? .nan : .nan)]
            let salesYears = market.sales.anchors.map(\.year)
            let layout = MarketLayout(
                model: market.sales.model,
                curve: curve,
                anchored: anchored,
                salesFactor: add(.path(market: m, .sales), 1),
                salesRamp: ramp(.path(market: m, .sales)),
                salesAnchors: anchorSlots(market.sales.anchors) { .anchor(market: m, .sales, year: $0) },
                salesInterpolation: interpolation(years: years, anchorYears: salesYears),
                valueFactor: add(.path(market: m, .value), 1),
                valueRamp: ramp(.path(market: m, .value)),
                valueAnchors: anchorSlots(market.value) { .anchor(market: m, .value, year: $0) },
                salesAtValueYears: market.value.map { v in market.sales.anchors.first { $0.year == v.year }!.value.value },
                priceInterpolation: interpolation(years: years, anchorYears: market.value.map(\.year)),
                copFactor: add(.path(market: m, .cop), 1),
                copRamp: ramp(.path(market: m, .cop)),
                copAnchors: anchorSlots(market.cop) { .anchor(market: m, .cop, year: $0) },
                copInterpolation: interpolation(years: years, anchorYears: market.cop.map(\.year)),
                heatFactor: add(.path(market: m, .heatPerUnit), 1),
                heatRamp: ramp(.path(market: m, .heatPerUnit)),
                heat: InputTarget.HeatParameter.allCases.map { add(.heatParameter(market: m, $0), market.heatPerUnit[$0].value.value) },
                shares: market.displaced.indices.map { add(.fuel(market: m, fuel: $0, .share), market.displaced[$0].share.value) },
                emissionFactors: market.displaced.indices.map { f in
                    market.displaced[f].emissionFactor.map { add(.fuel(market: m, fuel: f, .emissionFactor), $0.value) }
                },
                efficiencies: market.displaced.indices.map { add(.fuel(market: m, fuel: $0, .efficiency), market.displaced[$0].efficiency.value) })
            layouts.append(layout)
        }
        markets = layouts
        curveFits = fits
        self.slots = slots
        self.targetSlots = targetSlots
        self.rampSlots = rampSlots
        catalog = SeriesCatalog(scenario: scenario, totalSegments: totalSegments)
    }

    /// The slot an uncertain input acts on: a ramp has its own, the rest their target's.
    public func slot(for input: UncertainInput) -> SlotIndex {
        // The loader allows ramps on whole paths only, and every ramped path has its slot.
        guard input.apply.isRamp, let ramp = rampSlots[input.target] else { return slot(for: input.target) }
        return SlotIndex(ramp)
    }

    /// The slot a target names (for a ramped path, its factor: see `slot(for: UncertainInput)`).
    public func slot(for target: InputTarget) -> SlotIndex {
        // Every addressable target has its slot (tested), so only a target built in code for another
        // scenario can miss.
        guard let slot = targetSlots[target] else { preconditionFailure("\(target) names nothing in scenario '\(scenario.name)'") }
        return SlotIndex(slot)
    }

    /// The target that sets `slot`, the inverse of `slot(for:)`; nil for a ramp and for the slots no target may name.
    public func target(ofSlot slot: SlotIndex) -> InputTarget? { self[slot: slot].target }

    /// The central value of every slot, in slot order.
    package var centralValues: [Double] { slots.map(\.central) }

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
        let fit: CurveFit
        do { fit = try fitCurve(model, t: t, y: y, options: options) } catch LeastSquaresError.nonFiniteResidualsAtStart, LeastSquaresError.nonFiniteJacobianAtStart {
            // The start comes from the anchors themselves, so it is they that overflow.
            throw ModelError.curveFitFailed(market: market.name, model: model, anchors: market.sales.anchors, reason: "they overflow the fit")
        } catch CurveFitError.valuesOutOfRange(let size, _) {
            throw ModelError.curveFitFailed(market: market.name, model: model, anchors: market.sales.anchors,
                                            reason: "an anchor of \(size) lies outside 1e-150 to 1e150, beyond the fit's double precision")
        } catch {
            throw ModelError.curveFitFailed(market: market.name, model: model, anchors: market.sales.anchors, reason: "\(error)")
        }
        guard fit.converged else {
            throw ModelError.curveFitFailed(market: market.name, model: model, anchors: market.sales.anchors,
                                            reason: "the fit did not converge (\(fit.stopReason.rawValue) after \(fit.iterations) iterations)")
        }
        return fit
    }
}

extension ModelSetup {
    /// A log-linear path (cagr sales, a unit price) before its factor, every year, when none of its
    /// anchors is among `varyingSlots`: the values the kernel's lanes would compute, hoisted.
    func fixedLogLinearPath(anchors: [Int], divisors: [Double]?, weights: [Interpolation], varyingSlots: Set<Int>) -> [Double]? {
        guard varyingSlots.isDisjoint(with: anchors) else { return nil }
        let values = anchors.enumerated().map { slots[$1].central / (divisors?[$0] ?? 1) }
        return weights.map { logLinear(values, $0) }
    }

    /// Per market, its unit price in every year when no input the price depends on is among
    /// `varyingSlots` (nil otherwise): then the market's value is, in every sample, its sales
    /// times this price, the kernel's bits.
    public func fixedPrices(varyingSlots slotIndices: Set<SlotIndex>) -> [[Double]?] {
        let varyingSlots = Set(slotIndices.map(\.position))
        return markets.map { market in
            guard let path = fixedLogLinearPath(anchors: market.valueAnchors, divisors: market.salesAtValueYears,
                                                weights: market.priceInterpolation, varyingSlots: varyingSlots),
                  !varyingSlots.contains(market.valueFactor), market.valueRamp.map({ !varyingSlots.contains($0.slot) }) ?? true else { return nil }
            let factor = slots[market.valueFactor].central
            return path.map { $0 * factor }
        }
    }
}

/// A fitted logistic or Richards curve as the Monte Carlo varies it: through its base-year value S0,
/// which stays fixed, its saturation K, rate r and (Richards) shape ν:
/// S(t) = K / (1 + e0·e^(−r (t − t_base)))^(1/ν) with e0 = (K/S0)^ν − 1, so t0 = t_base + ln(e0)/r
/// follows from them. The central K, r and ν give the fitted curve itself from the year after the
/// base year on; the base year itself is `baseSales` in every sample.
struct AnchoredCurve: Sendable {
    /// Central K, r and ν (1 for a logistic).
    let capacity: Double, rate: Double, shape: Double
    /// The fitted curve's base-year value S0 and e0 = e^(−r (t_base − t0)).
    let baseValue: Double, baseDecay: Double
    /// (K/S0)^ν − 1 at the central K and ν, the divisor of every lane's ratio.
    let centralExcess: Double
    /// The base-year sales before the sales factor: the observed figure when the base-year anchor is
    /// observed, else S0. Set, not computed per sample: K/(1 + e0) is S0 only up to a rounding that
    /// differs between samples (and a cancellation when K is far below S0).
    let baseSales: Double

    init(model: SalesModel, fitted p: [Double], baseYear: Int, observedBase: Double?) {
        capacity = p[0]
        rate = p[1]
        shape = model == .richards ? p[3] : 1
        // The same arithmetic as the projection before the curve was anchored, so its bits stay.
        baseDecay = (-p[1] * (Double(baseYear) - p[2])).exponential()
        baseValue = capacity * (-log1p(baseDecay) / shape).exponential()
        centralExcess = Self.excess(capacity, shape, baseValue)
        baseSales = observedBase ?? baseValue
    }

    /// e0 for saturation `k` and shape `nu`. Written as the central e0 times a ratio that is
    /// exactly 1 at the central K and ν, so the central sample is the fitted curve bit for bit.
    func baseDecay(capacity k: Double, shape nu: Double) -> Double {
        let drawn = Self.excess(k, nu, baseValue)
        return centralExcess == 0 ? drawn : baseDecay * (drawn / centralExcess)
    }

    /// (K/S0)^ν − 1.
    private static func excess(_ k: Double, _ nu: Double, _ s0: Double) -> Double { expm1(nu * log(k / s0)) }
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

/// A scenario that loads but cannot be compiled into a model.
public enum ModelError: Error, CustomStringConvertible {
    /// No curve of `model` could be fitted through a market's sales anchors: the anchors are what to change.
    case curveFitFailed(market: String, model: CurveModel, anchors: [Anchor], reason: String)

    public var description: String {
        switch self {
        case let .curveFitFailed(market, model, anchors, reason):
            let points = anchors.map { "\(number($0.value.value)) (\($0.year))" }.joined(separator: ", ")
            return "market '\(market)': no \(model.rawValue) sales curve passes through its anchors \(points): \(reason); "
                + "change the anchors (a logistic needs sales that rise and level off)"
        }
    }

    /// Where the file says what to change: the first sales anchor's line.
    public var line: Int? {
        switch self {
        case let .curveFitFailed(_, _, anchors, _): anchors.first?.value.line
        }
    }
}
