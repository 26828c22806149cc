import Foundation
import HugePageMemory
import LaneVectors
import Scenario

/// Evaluates the model for a block of samples at once, structure of arrays: every quantity is a
/// `[year][lane]` array so the inner loops run across lanes and vectorize. One instance per
/// worker; it owns its scratch memory and never allocates while evaluating.
///
/// Inputs are slot values, `inputs[slot * lanes + lane]`; outputs are the catalog's computed
/// series, `outputs[catalog.outputOffset(series, year: year, lanes: lanes) + lane]`, in roadmap units.
public final class ModelKernel {
    public let setup: ModelSetup
    public let lanes: Int
    public let inputs: UnsafeMutableBufferPointer<Double>
    public let outputs: UnsafeMutableBufferPointer<Double>

    private let years: Int
    private let ages: Int
    /// Row stride of the scratch tables: at least `lanes`, an odd number of 64-byte lines, so that
    /// the rows a step walks down spread over the cache sets instead of sharing a few.
    private let stride: Int
    private let scratch: UnsafeMutableBufferPointer<Double>
    /// Slots whose value is the same in every sample, so what depends only on them is hoisted.
    private let constantSlots: Set<Int>
    private let survivalTable: [Double]?
    /// Age^k per age, when the Weibull shape is fixed: then surv = exp(−age^k · λ^−k).
    private let agePowers: [Double]?
    /// ρ = 1/(1 + g) and −ρ^J of the backcast, when its growth g is fixed.
    private let backcastRatio: (rho: Double, minusRhoJ: Double)?
    private let heatPaths: [[Double]?]
    /// Log-linear paths (cagr sales, unit price) whose anchors are all fixed, before their factor.
    private let salesPaths: [[Double]?]
    private let pricePaths: [[Double]?]
    /// Every year of every total series: its row and its terms' rows (offsets into the outputs) and
    /// weights, from `SeriesCatalog.totalTerms`.
    private let sums: [(row: Int, offsets: [Int], weights: [Double])]
    /// Per market, the displaced heat's emissions per GJ into the per-lane scalars.
    private let mixes: [MixStep]

    /// The markets' series written (see `KernelOutputs`): per market, per metric, and the years' indices.
    private let writtenMarkets: [Bool]
    private let writtenMetrics: OutputStep.Metrics
    private let writtenYears: [Int]
    /// Whether the total's and the total segments' series are written.
    private let totals: Bool

    /// - Parameters:
    ///   - varyingSlots: the slots that may differ between lanes; the rest stay at their central
    ///     values and everything that depends only on them is computed once here.
    ///   - written: the markets' series to write; the others hold no meaningful values, for callers
    ///     that never read them (fewer stores, and the steps no written series needs are skipped).
    ///     A written series has the same bits whatever else is written.
    ///   - totals: false to leave the total's and the total segments' series unwritten, for callers
    ///     that add them up from the markets' series themselves (`SeriesCatalog.totalTerms`).
    public init(setup: ModelSetup, lanes: Int, varyingSlots: Set<SlotIndex>, written: KernelOutputs = .all, totals: Bool = true) {
        self.setup = setup
        self.lanes = lanes
        writtenMarkets = setup.markets.indices.map { written.markets?.contains($0) ?? true }
        writtenMetrics = OutputStep.Metrics(written.metrics ?? Set(Metric.allCases))
        writtenYears = (0..<setup.yearCount).filter { written.years?.contains($0) ?? true }
        self.totals = totals
        years = setup.yearCount
        ages = years + setup.scenario.backcastYears
        stride = ((lanes + 7) / 8 | 1) * 8
        let slotCount = setup.slotCount
        inputs = .allocate(capacity: slotCount * lanes)
        // Written every batch and read by the staging: on huge pages, which also spare the setup
        // the first touch of some hundreds of small pages (a 2,048-sample run about 2 ms faster).
        let outputCount = setup.catalog.computed.count * years * lanes
        guard let outputMemory = allocateOnHugePages(byteCount: outputCount * MemoryLayout<Double>.stride) else {
            preconditionFailure("the system refused \(outputCount * MemoryLayout<Double>.stride) bytes for a kernel's outputs")
        }
        outputs = UnsafeMutableBufferPointer(start: outputMemory.bindMemory(to: Double.self, capacity: outputCount), count: outputCount)
        outputs.initialize(repeating: 0)
        // survival, backcast kernel, sales, stock, heat per unit, cop, grid, per-lane scalars.
        scratch = .allocate(capacity: (ages + 6 * years + 8) * stride)
        scratch.initialize(repeating: 0)
        let varyingPositions = Set(varyingSlots.map(\.position))
        constantSlots = Set(0..<slotCount).subtracting(varyingPositions)
        let central = setup.centralValues
        for slot in 0..<slotCount {
            (inputs.baseAddress! + slot * lanes).initialize(repeating: central[slot], count: lanes)
        }
        let global = setup.global
        let shapeFixed = constantSlots.contains(global.weibullShape)
        if shapeFixed && constantSlots.contains(global.lifetimeMean) {
            survivalTable = survival(mean: central[global.lifetimeMean], shape: central[global.weibullShape], ages: ages)
        } else {
            survivalTable = nil
        }
        let ageCount = ages
        backcastRatio = constantSlots.contains(global.backcastGrowth)
            ? backcastRatios(growth: central[global.backcastGrowth], depth: setup.scenario.backcastYears) : nil
        agePowers = shapeFixed ? (0..<ageCount).map { pow(Double($0) + 0.5, central[global.weibullShape]) } : nil
        let constantSet = constantSlots
        salesPaths = setup.markets.map { market in
            guard market.model == .cagr else { return nil }
            return setup.fixedLogLinearPath(anchors: market.salesAnchors, divisors: nil, weights: market.salesInterpolation,
                                            varyingSlots: varyingPositions)
        }
        pricePaths = setup.markets.map {
            setup.fixedLogLinearPath(anchors: $0.valueAnchors, divisors: $0.salesAtValueYears, weights: $0.priceInterpolation,
                                     varyingSlots: varyingPositions)
        }
        heatPaths = setup.markets.map { market in
            guard constantSet.isSuperset(of: market.heat) else { return nil }
            let (h0, hInf, tau) = (central[market.heat[0]], central[market.heat[1]], central[market.heat[2]])
            return (0..<setup.yearCount).map { hInf.addingProduct(h0 - hInf, (-Double($0) / tau).exponential()) }
        }
        let catalog = setup.catalog, yearCount = years
        sums = catalog.seriesIndices.flatMap { series in
            (0..<yearCount).compactMap { y in
                catalog.totalTerms(computed: series, year: y).map { terms in
                    (catalog.outputOffset(series, year: y, lanes: lanes), terms.map { catalog.outputOffset($0.computed, year: y, lanes: lanes) },
                     terms.map(\.weight))
                }
            }
        }
        let perLane = scratch.baseAddress! + (ages + 6 * years) * stride
        mixes = Self.displacedMixes(setup: setup, inputs: inputs.baseAddress!, lanes: lanes, constantSlots: constantSlots,
                                    fuelPart: perLane, gridPart: perLane + stride)
    }

    deinit {
        inputs.deallocate()
        free(outputs.baseAddress)
        scratch.deallocate()
    }

    private func input(_ slot: Int) -> UnsafeMutablePointer<Double> { inputs.baseAddress! + slot * lanes }

    /// The survival table of the last evaluation (this kernel's or the one it read) and its lanes.
    package private(set) var lastSurvival: (table: UnsafeMutablePointer<Double>, count: Int)?

    /// Evaluates lanes `0..<count` from `inputs` into `outputs`.
    public func evaluate(count: Int) {
        evaluate(count: count, survivalOf: nil)
    }

    /// `evaluate(count:)`, reading the survival table of `other` instead of computing it again where
    /// it is the same lane by lane: the same ages and fixed lifetime parts, and the same bits of the
    /// lifetime inputs. `other` must have just evaluated its lanes from its inputs as they are (a
    /// paired comparison's other scenario, on the same samples).
    package func evaluate(count: Int, survivalOf other: ModelKernel?) {
        precondition(count <= lanes)
        let n = stride
        let own = scratch.baseAddress!
        let shared = other.flatMap { other in other.lastSurvival.flatMap { sharesSurvival(with: other, count: count) && $0.count >= count ? $0.table : nil } }
        let surv = shared ?? own
        lastSurvival = (surv, count)
        let backcast = own + ages * n
        let sales = backcast + years * n
        let stock = sales + years * n
        let heat = stock + years * n
        let cop = heat + years * n
        let grid = cop + years * n
        let lane = grid + years * n  // per-lane scalars

        if shared == nil { computeSurvival(into: surv, lane: lane, count: count) }
        computeBackcast(survival: surv, into: backcast, lane: lane, count: count)
        interpolateLinear(anchors: setup.global.gridAnchors, weights: setup.global.gridInterpolation,
                          factor: setup.global.gridFactor, into: grid, stride: n, count: count)
        applyRamp(setup.global.gridRamp, to: grid, stride: n, count: count)
        for (m, market) in setup.markets.enumerated() where writtenMarkets[m] {
            computeSales(market, m: m, into: sales, lane: lane, count: count)
            applyRamp(market.salesRamp, to: sales, stride: n, count: count)
            if writtenMetrics.needStock {
                StockStep(sales: sales, survival: surv, backcast: backcast, stock: stock, stride: n, years: years).run(count: count)
            }
            computeHeatPerUnit(market, m: m, into: heat, count: count)
            applyRamp(market.heatRamp, to: heat, stride: n, count: count)
            interpolateLinear(anchors: market.copAnchors, weights: market.copInterpolation,
                              factor: market.copFactor, into: cop, stride: n, count: count)
            applyRamp(market.copRamp, to: cop, stride: n, count: count)
            // The unit price into the value rows; the output step multiplies by sales.
            if writtenMetrics.contains(.value) {
                interpolateLogLinear(anchors: market.valueAnchors, divisors: market.salesAtValueYears, weights: market.priceInterpolation,
                                     fixed: pricePaths[m], factor: market.valueFactor, into: series(m, .value), stride: lanes, count: count)
            }
            let fuelPart = lane, gridPart = lane + n
            mixes[m].run(count: count)
            for y in writtenYears {
                let row = y * n
                OutputStep(sales: sales + row, stock: stock + row, heatPerUnit: heat + row, cop: cop + row, grid: grid + row,
                           fuelPart: fuelPart, gridPart: gridPart, market: series(m, Metric.byRow[0]) + y * lanes,
                           seriesStride: years * lanes, written: writtenMetrics).run(count: count)
            }
            // On the value itself, not the unit price, so that a shift is in the value's units.
            if writtenMetrics.contains(.value) { applyRamp(market.valueRamp, to: series(m, .value), stride: lanes, count: count) }
        }
        if totals { computeTotals(count: count) }
    }

    /// True when `other`'s survival table, computed for its lanes `0..<count`, is this kernel's:
    /// the same table layout and fixed parts, and the same lifetime mean and shape in every lane.
    private func sharesSurvival(with other: ModelKernel, count: Int) -> Bool {
        guard other !== self, other.ages == ages, other.stride == stride, other.lanes >= count,
              other.survivalTable == survivalTable, other.agePowers == agePowers else { return false }
        let mean = setup.global.lifetimeMean, shape = setup.global.weibullShape
        let otherMean = other.setup.global.lifetimeMean, otherShape = other.setup.global.weibullShape
        return memcmp(input(mean), other.input(otherMean), count * MemoryLayout<Double>.stride) == 0
            && memcmp(input(shape), other.input(otherShape), count * MemoryLayout<Double>.stride) == 0
    }

    /// The total's and the total segments' rows from the markets' (no market: zeros).
    private func computeTotals(count: Int) {
        let base = outputs.baseAddress!
        for sum in sums {
            sum.offsets.withUnsafeBufferPointer { offsets in
                sum.weights.withUnsafeBufferPointer { weights in
                    SumStep(rows: base, offsets: offsets, weights: weights, out: base + sum.row).run(count: count)
                }
            }
        }
    }

    // MARK: Output addressing

    private func series(_ m: Int, _ metric: Metric) -> UnsafeMutablePointer<Double> {
        outputs.baseAddress! + setup.catalog.outputOffset(SeriesCatalog.marketSeries(m, metric), year: 0, lanes: lanes)
    }


    // MARK: Stages

    /// Weibull survival by age: surv(a) = exp(−(a + ½)^k · (Γ(1 + 1/k)/L)^k), i.e. exp(−((a + ½)/λ)^k)
    /// with λ = L / Γ(1 + 1/k). Written so the hoisted table and the per-lane path agree bit for bit.
    private func computeSurvival(into surv: UnsafeMutablePointer<Double>, lane: UnsafeMutablePointer<Double>, count: Int) {
        let n = stride
        if let table = survivalTable {
            for a in 0..<ages { (surv + a * n).update(repeating: table[a], count: count) }
            return
        }
        let mean = input(setup.global.lifetimeMean), shape = input(setup.global.weibullShape)
        if agePowers != nil {
            // The shape is the same in every lane, and so is Γ(1 + 1/k).
            let gamma = tgamma(1 + 1 / shape[0])
            for i in 0..<count { lane[i] = weibullRate(mean: mean[i], shape: shape[i], gamma: gamma) }
        } else {
            for i in 0..<count { lane[i] = weibullRate(mean: mean[i], shape: shape[i]) }
        }
        if let agePowers {
            for a in 0..<ages { SurvivalStep(agePower: agePowers[a], scale: lane, out: surv + a * n).run(count: count) }
            return
        }
        for a in 0..<ages {
            let row = surv + a * n
            let age = Double(a) + 0.5
            for i in 0..<count { row[i] = (-pow(age, shape[i]) * lane[i]).exponential() }
        }
    }

    /// Survivors of the cohorts sold before the base year, per unit of base-year sales:
    /// K(a) = Σ_{j=1…J} ρ^j surv(a + j), ρ = 1/(1 + g), by the downward recurrence
    /// K(a) = ρ·(surv(a+1) + K(a+1) − ρ^J·surv(a+1+J)).
    private func computeBackcast(survival surv: UnsafeMutablePointer<Double>, into out: UnsafeMutablePointer<Double>,
                                 lane: UnsafeMutablePointer<Double>, count: Int) {
        let n = stride
        let depth = setup.scenario.backcastYears
        guard depth > 0 else {
            for a in 0..<years { (out + a * n).update(repeating: 0, count: count) }
            return
        }
        let minusRhoJ = lane + n
        if let (rho, power) = backcastRatio {
            lane.update(repeating: rho, count: count)
            minusRhoJ.update(repeating: power, count: count)
        } else {
            let growth = input(setup.global.backcastGrowth)
            for i in 0..<count { (lane[i], minusRhoJ[i]) = backcastRatios(growth: growth[i], depth: depth) }
        }
        let last = years - 1
        BackcastTopStep(survival: surv, rho: lane, out: out + last * n, last: last, stride: n, depth: depth).run(count: count)
        var a = last - 1
        while a >= 0 {
            BackcastStep(enter: surv + (a + 1) * n, next: out + (a + 1) * n, leave: surv + (a + 1 + depth) * n,
                         rho: lane, minusRhoJ: minusRhoJ, out: out + a * n).run(count: count)
            a -= 1
        }
    }

    private func computeSales(_ market: ModelSetup.MarketLayout, m: Int, into sales: UnsafeMutablePointer<Double>,
                              lane: UnsafeMutablePointer<Double>, count: Int) {
        let n = stride
        let factor = input(market.salesFactor)
        guard let anchored = market.anchored else {
            // cagr: compound growth between the anchors.
            return interpolateLogLinear(anchors: market.salesAnchors, divisors: nil, weights: market.salesInterpolation,
                                        fixed: salesPaths[m], factor: market.salesFactor, into: sales, stride: n, count: count)
        }
        // S(t) = K / (1 + e0·e^{−r(t − base)})^{1/ν} (ν = 1: the logistic), e0 from K and ν with the
        // base-year value fixed (`AnchoredCurve`); the decay advances by the factor e^{−r} each year.
        // The base year is written as the fixed value it is, so the curve starts a year later, at e0·e^{−r}.
        let k = input(market.curve[0]), r = input(market.curve[1]), nu = input(market.curve[2])
        let e = lane, q = lane + n
        let richards = market.model == .richards
        for i in 0..<count {
            q[i] = (-r[i]).exponential()
            e[i] = anchored.baseDecay(capacity: k[i], shape: richards ? nu[i] : 1) * q[i]
        }
        ScaleStep(value: anchored.baseSales, factor: factor, out: sales).run(count: count)
        if !richards {
            for y in 1..<years {
                LogisticStep(factor: factor, capacity: k, decay: e, ratio: q, out: sales + y * n).run(count: count)
            }
            return
        }
        for y in 1..<years {
            let row = sales + y * n
            for i in 0..<count {
                row[i] = factor[i] * k[i] * (-log1p(e[i]) / nu[i]).exponential()
                e[i] *= q[i]
            }
        }
    }

    /// h(t) = (h∞ + (h0 − h∞)·e^{−(t − base)/τ}) × factor, GJ per unit per year.
    private func computeHeatPerUnit(_ market: ModelSetup.MarketLayout, m: Int, into heat: UnsafeMutablePointer<Double>, count: Int) {
        let n = stride
        let factor = input(market.heatFactor)
        if let path = heatPaths[m] {
            for y in 0..<years { ScaleStep(value: path[y], factor: factor, out: heat + y * n).run(count: count) }
            return
        }
        let h0 = input(market.heat[0]), hInf = input(market.heat[1]), tau = input(market.heat[2])
        for y in 0..<years {
            HeatStep(h0: h0, hInfinity: hInf, tau: tau, factor: factor, elapsed: Double(y), out: heat + y * n).run(count: count)
        }
    }

    /// Σ w_f e_f / η_f over fuels (fuel part) and Σ w_f / η_f over grid sources (grid part), per market.
    /// Shares that vary per sample keep their drawn values; the fixed ones rescale so all sum to 1.
    private static func displacedMixes(setup: ModelSetup, inputs: UnsafeMutablePointer<Double>, lanes: Int,
                                       constantSlots: Set<Int>, fuelPart: UnsafeMutablePointer<Double>,
                                       gridPart: UnsafeMutablePointer<Double>) -> [MixStep] {
        setup.markets.map { market in
            func input(_ slot: Int) -> UnsafePointer<Double> { UnsafePointer(inputs + slot * lanes) }
            let varying = market.shares.indices.filter { !constantSlots.contains(market.shares[$0]) }
            let fixedTotal = market.shares.indices.filter { constantSlots.contains(market.shares[$0]) }
                .reduce(0.0) { $0 + setup.slots[market.shares[$1]].central }
            let sources = market.shares.indices.map { f in
                MixStep.Source(share: input(market.shares[f]), efficiency: input(market.efficiencies[f]),
                               emissionFactor: market.emissionFactors[f].map(input), rescaled: !varying.contains(f))
            }
            return MixStep(sources: sources, drawn: varying.map { input(market.shares[$0]) }, fixedTotal: fixedTotal,
                           fuelPart: fuelPart, gridPart: gridPart)
        }
    }

    // MARK: Paths

    /// A ramped input's effect on a path's rows, in place; nothing to do while it is at its
    /// central value (1 or 0) in every lane.
    private func applyRamp(_ ramp: ModelSetup.PathRamp?, to out: UnsafeMutablePointer<Double>, stride: Int, count: Int) {
        guard let ramp, !constantSlots.contains(ramp.slot) else { return }
        let drawn = input(ramp.slot)
        for y in 0..<years {
            RampStep(drawn: drawn, weight: ramp.weights[y], shift: ramp.shift, out: out + y * stride).run(count: count)
        }
    }

    /// Linear interpolation of anchor slots, times a factor slot, for every year.
    private func interpolateLinear(anchors: [Int], weights: [ModelSetup.Interpolation], factor: Int,
                                   into out: UnsafeMutablePointer<Double>, stride: Int, count: Int) {
        let f = input(factor)
        for y in 0..<years {
            let lower = weights[y].lower
            let b = anchors.count == 1 ? nil : UnsafePointer(input(anchors[lower + 1]))
            LinearStep(a: input(anchors[lower]), b: b, weight: weights[y].weight, factor: f, out: out + y * stride).run(count: count)
        }
    }

    /// Log-linear (compound-growth) interpolation of anchor slots, each divided by a fixed divisor
    /// when given, times a factor slot.
    private func interpolateLogLinear(anchors: [Int], divisors: [Double]?, weights: [ModelSetup.Interpolation],
                                      fixed: [Double]?, factor: Int, into out: UnsafeMutablePointer<Double>,
                                      stride: Int, count: Int) {
        let f = input(factor)
        if let fixed {
            for y in 0..<years { ScaleStep(value: fixed[y], factor: f, out: out + y * stride).run(count: count) }
            return
        }
        for y in 0..<years {
            let lower = weights[y].lower
            let single = anchors.count == 1
            LogLinearStep(a: input(anchors[lower]), aDivisor: divisors?[lower] ?? 1,
                          b: single ? nil : UnsafePointer(input(anchors[lower + 1])),
                          bDivisor: single ? 1 : divisors?[lower + 1] ?? 1, weight: weights[y].weight,
                          factor: f, out: out + y * stride).run(count: count)
        }
    }
}

/// Which of the markets' series a kernel writes; nil: all (market and year by index).
public struct KernelOutputs: Sendable, Equatable {
    public var metrics: Set<Metric>?
    public var markets: Set<Int>?
    public var years: Set<Int>?

    public init(metrics: Set<Metric>? = nil, markets: Set<Int>? = nil, years: Set<Int>? = nil) {
        self.metrics = metrics
        self.markets = markets
        self.years = years
    }

    public static let all = KernelOutputs()
}

/// Log-linear interpolation between positive values at an interpolation point (`LogLinearStep`'s arithmetic).
func logLinear(_ values: [Double], _ at: ModelSetup.Interpolation) -> Double {
    guard values.count > 1, at.weight != 0 else { return values[at.lower] }
    let a = values[at.lower], b = values[at.lower + 1]
    return log(a).addingProduct(at.weight, log(b) - log(a)).exponential()
}

/// The backcast's ρ = 1/(1 + g) and −ρ^J, the same bits hoisted or per lane.
func backcastRatios(growth: Double, depth: Int) -> (rho: Double, minusRhoJ: Double) {
    let rho = 1 / (1 + growth)
    return (rho, -pow(rho, Double(depth)))
}

/// λ^−k = (Γ(1 + 1/k)/L)^k of a Weibull life with mean L and shape k, the same bits hoisted or
/// per lane; `gamma` is Γ(1 + 1/k), passed when the shape is the same in every lane.
func weibullRate(mean: Double, shape: Double, gamma: Double? = nil) -> Double {
    pow((gamma ?? tgamma(1 + 1 / shape)) / mean, shape)
}

/// Weibull survival by age for a fixed mean life and shape (same arithmetic as the kernel's lanes).
func survival(mean: Double, shape: Double, ages: Int) -> [Double] {
    let scaleTerm = weibullRate(mean: mean, shape: shape)
    return (0..<ages).map { (-pow(Double($0) + 0.5, shape) * scaleTerm).exponential() }
}
