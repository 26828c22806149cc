import Foundation
import Scenario

/// Evaluates the model for a block of samples at once, structure of arrays: every quantity is a
/// `[year][lane]` array so the inner loops run across lanes and vectorize. One instance per
/// worker; it owns its scratch memory and never allocates while evaluating.
///
/// Inputs are slot values, `inputs[slot * lanes + lane]`; outputs are the catalog's computed
/// series, `outputs[(series * years + year) * lanes + lane]`, in roadmap units.
public final class ModelKernel {
    public let setup: ModelSetup
    public let lanes: Int
    public let inputs: UnsafeMutableBufferPointer<Double>
    public let outputs: UnsafeMutableBufferPointer<Double>

    private let years: Int
    private let ages: Int
    private let scratch: UnsafeMutableBufferPointer<Double>
    /// Slots whose value is the same in every sample, so what depends only on them is hoisted.
    private let constantSlots: Set<Int>
    private let survivalTable: [Double]?
    /// Age^k per age, when the Weibull shape is fixed: then surv = exp(−age^k · λ^−k).
    private let agePowers: [Double]?
    private let heatPaths: [[Double]?]
    /// Log-linear paths (cagr sales, unit price) whose anchors are all fixed, before their factor.
    private let salesPaths: [[Double]?]
    private let pricePaths: [[Double]?]

    /// - Parameter varyingSlots: the slots that may differ between lanes; the rest stay at their
    ///   central values and everything that depends only on them is computed once here.
    public init(setup: ModelSetup, lanes: Int, varyingSlots: Set<Int>) {
        self.setup = setup
        self.lanes = lanes
        years = setup.yearCount
        ages = years + setup.scenario.backcastYears
        let slotCount = setup.slotCount
        inputs = .allocate(capacity: slotCount * lanes)
        outputs = .allocate(capacity: setup.catalog.computed.count * years * lanes)
        outputs.initialize(repeating: 0)
        // survival, backcast kernel, sales, stock, heat per unit, cop, grid, per-lane scalars.
        scratch = .allocate(capacity: (ages + 6 * years + 8) * lanes)
        scratch.initialize(repeating: 0)
        constantSlots = Set(0..<slotCount).subtracting(varyingSlots)
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
        agePowers = shapeFixed ? (0..<ageCount).map { pow(Double($0) + 0.5, central[global.weibullShape]) } : nil
        let constantSet = constantSlots
        func fixedPath(_ anchors: [Int], _ divisors: [Double]?, _ weights: [ModelSetup.Interpolation]) -> [Double]? {
            guard constantSet.isSuperset(of: anchors) else { return nil }
            let values = anchors.enumerated().map { central[$1] / (divisors?[$0] ?? 1) }
            return weights.map { logLinear(values, $0) }
        }
        salesPaths = setup.markets.map { $0.model == .cagr ? fixedPath($0.salesAnchors, nil, $0.salesInterpolation) : nil }
        pricePaths = setup.markets.map { fixedPath($0.valueAnchors, $0.salesAtValueYears, $0.priceInterpolation) }
        heatPaths = setup.markets.map { market in
            guard constantSet.isSuperset(of: market.heat) else { return nil }
            let (h0, hInf, tau) = (central[market.heat[0]], central[market.heat[1]], central[market.heat[2]])
            return (0..<setup.yearCount).map { hInf + (h0 - hInf) * exp(-Double($0) / tau) }
        }
    }

    deinit {
        inputs.deallocate()
        outputs.deallocate()
        scratch.deallocate()
    }

    private func input(_ slot: Int) -> UnsafeMutablePointer<Double> { inputs.baseAddress! + slot * lanes }

    /// Evaluates lanes `0..<count` from `inputs` into `outputs`.
    public func evaluate(count: Int) {
        precondition(count <= lanes)
        let n = lanes
        let base = scratch.baseAddress!
        let surv = base
        let backcast = surv + ages * n
        let sales = backcast + years * n
        let stock = sales + years * n
        let heat = stock + years * n
        let cop = heat + years * n
        let grid = cop + years * n
        let lane = grid + years * n  // per-lane scalars

        computeSurvival(into: surv, lane: lane, count: count)
        computeBackcast(survival: surv, into: backcast, lane: lane, count: count)
        interpolateLinear(anchors: setup.global.gridAnchors, weights: setup.global.gridInterpolation,
                          factor: setup.global.gridFactor, into: grid, count: count)

        let metrics = Metric.allCases.count
        let total = setup.markets.count
        zero(group: total, count: count)
        for (m, market) in setup.markets.enumerated() {
            computeSales(market, m: m, into: sales, lane: lane, count: count)
            computeStock(sales: sales, survival: surv, backcast: backcast, into: stock, count: count)
            computeHeatPerUnit(market, m: m, into: heat, count: count)
            interpolateLinear(anchors: market.copAnchors, weights: market.copInterpolation,
                              factor: market.copFactor, into: cop, count: count)
            computeValue(market, m: m, sales: sales, into: series(m, .value), count: count)
            emissions(market, m: m, sales: sales, stock: stock, heatPerUnit: heat, cop: cop, grid: grid, lane: lane, count: count)
            for metric in 0..<metrics {
                addInto(series(total, Metric.allCases[metric]), series(m, Metric.allCases[metric]), count: count)
            }
            for (s, shares) in market.segmentShares.enumerated() {
                for (k, metric) in [Metric.value, .reduction].enumerated() {
                    let target = segmentSeries(s, k)
                    let source = series(m, metric)
                    for y in 0..<years {
                        let share = shares[k * years + y]
                        let t = target + y * n, src = source + y * n
                        for i in 0..<count { t[i] += share * src[i] }
                    }
                }
            }
        }
    }

    // MARK: Output addressing

    private func series(_ group: Int, _ metric: Metric) -> UnsafeMutablePointer<Double> {
        outputs.baseAddress! + (group * Metric.allCases.count + Metric.allCases.firstIndex(of: metric)!) * years * lanes
    }

    private func segmentSeries(_ segment: Int, _ k: Int) -> UnsafeMutablePointer<Double> {
        let index = (setup.markets.count + 1) * Metric.allCases.count + segment * 2 + k
        return outputs.baseAddress! + index * years * lanes
    }

    private func zero(group: Int, count: Int) {
        for metric in Metric.allCases {
            let p = series(group, metric)
            for y in 0..<years { (p + y * lanes).update(repeating: 0, count: count) }
        }
        for s in 0..<(setup.markets.first?.segmentShares.count ?? 0) {
            for k in 0..<2 {
                let p = segmentSeries(s, k)
                for y in 0..<years { (p + y * lanes).update(repeating: 0, count: count) }
            }
        }
    }

    private func addInto(_ target: UnsafeMutablePointer<Double>, _ source: UnsafeMutablePointer<Double>, count: Int) {
        for y in 0..<years {
            let t = target + y * lanes, s = source + y * lanes
            for i in 0..<count { t[i] += s[i] }
        }
    }

    // MARK: Stages

    /// Weibull survival by age: surv(a) = exp(−(a + ½)^k · (Γ(1 + 1/k)/L)^k), i.e. exp(−((a + ½)/λ)^k)
    /// with λ = L / Γ(1 + 1/k). Written so the hoisted table and the per-lane path agree bit for bit.
    private func computeSurvival(into surv: UnsafeMutablePointer<Double>, lane: UnsafeMutablePointer<Double>, count: Int) {
        let n = lanes
        if let table = survivalTable {
            for a in 0..<ages { (surv + a * n).update(repeating: table[a], count: count) }
            return
        }
        let mean = input(setup.global.lifetimeMean), shape = input(setup.global.weibullShape)
        for i in 0..<count { lane[i] = pow(tgamma(1 + 1 / shape[i]) / mean[i], shape[i]) }  // λ^−k
        if let agePowers {
            for a in 0..<ages {
                let row = surv + a * n, ak = agePowers[a]
                for i in 0..<count { row[i] = exp(-ak * lane[i]) }
            }
            return
        }
        for a in 0..<ages {
            let row = surv + a * n
            let age = Double(a) + 0.5
            for i in 0..<count { row[i] = exp(-pow(age, shape[i]) * lane[i]) }
        }
    }

    /// Survivors of the cohorts sold before the base year, per unit of base-year sales:
    /// K(a) = Σ_{j=1…J} ρ^j surv(a + j), ρ = 1/(1 + g), by the downward recurrence
    /// K(a) = ρ·(surv(a+1) + K(a+1) − ρ^J·surv(a+1+J)).
    private func computeBackcast(survival surv: UnsafeMutablePointer<Double>, into out: UnsafeMutablePointer<Double>,
                                 lane: UnsafeMutablePointer<Double>, count: Int) {
        let n = lanes
        let depth = setup.scenario.backcastYears
        guard depth > 0 else {
            for a in 0..<years { (out + a * n).update(repeating: 0, count: count) }
            return
        }
        let growth = input(setup.global.backcastGrowth)
        let rhoJ = lane + n
        for i in 0..<count {
            lane[i] = 1 / (1 + growth[i])
            rhoJ[i] = pow(lane[i], Double(depth))
        }
        let last = years - 1
        let top = out + last * n
        for i in 0..<count {
            var sum = 0.0, power = 1.0
            for j in 1...depth {
                power *= lane[i]
                sum += power * surv[(last + j) * n + i]
            }
            top[i] = sum
        }
        var a = last - 1
        while a >= 0 {
            let row = out + a * n, next = out + (a + 1) * n
            let enter = surv + (a + 1) * n, leave = surv + (a + 1 + depth) * n
            for i in 0..<count { row[i] = lane[i] * (enter[i] + next[i] - rhoJ[i] * leave[i]) }
            a -= 1
        }
    }

    private func computeSales(_ market: ModelSetup.MarketLayout, m: Int, into sales: UnsafeMutablePointer<Double>,
                              lane: UnsafeMutablePointer<Double>, count: Int) {
        let n = lanes
        let factor = input(market.salesFactor)
        let base = Double(setup.scenario.baseYear)
        switch market.model {
        case .logistic:
            // S(t) = K / (1 + e^{−r(t − t0)}); e^{−r(t−t0)} advances by the factor e^{−r} each year.
            let k = input(market.curve[0]), r = input(market.curve[1]), t0 = input(market.curve[2])
            let e = lane, q = lane + n
            for i in 0..<count {
                e[i] = exp(-r[i] * (base - t0[i]))
                q[i] = exp(-r[i])
            }
            for y in 0..<years {
                let row = sales + y * n
                for i in 0..<count {
                    row[i] = factor[i] * k[i] / (1 + e[i])
                    e[i] *= q[i]
                }
            }
        case .richards:
            let k = input(market.curve[0]), r = input(market.curve[1]), t0 = input(market.curve[2]), nu = input(market.curve[3])
            for y in 0..<years {
                let row = sales + y * n
                let t = base + Double(y)
                for i in 0..<count { row[i] = factor[i] * k[i] * exp(-log1p(exp(-r[i] * (t - t0[i]))) / nu[i]) }
            }
        case .cagr:
            interpolateLogLinear(anchors: market.salesAnchors, divisors: nil, weights: market.salesInterpolation,
                                 fixed: salesPaths[m], factor: market.salesFactor, into: sales, count: count)
        }
    }

    /// N(t) = Σ_{c ≤ t} S(c)·surv(t − c) + S(base)·K(t − base).
    private func computeStock(sales: UnsafeMutablePointer<Double>, survival surv: UnsafeMutablePointer<Double>,
                              backcast: UnsafeMutablePointer<Double>, into stock: UnsafeMutablePointer<Double>, count: Int) {
        let n = lanes
        for t in 0..<years {
            let row = stock + t * n, back = backcast + t * n
            for i in 0..<count { row[i] = sales[i] * back[i] }
            for c in 0...t {
                let s = sales + c * n, sv = surv + (t - c) * n
                for i in 0..<count { row[i] += s[i] * sv[i] }
            }
        }
    }

    /// h(t) = (h∞ + (h0 − h∞)·e^{−(t − base)/τ}) × factor, GJ per unit per year.
    private func computeHeatPerUnit(_ market: ModelSetup.MarketLayout, m: Int, into heat: UnsafeMutablePointer<Double>, count: Int) {
        let n = lanes
        let factor = input(market.heatFactor)
        if let path = heatPaths[m] {
            for y in 0..<years {
                let row = heat + y * n, h = path[y]
                for i in 0..<count { row[i] = h * factor[i] }
            }
            return
        }
        let h0 = input(market.heat[0]), hInf = input(market.heat[1]), tau = input(market.heat[2])
        for y in 0..<years {
            let row = heat + y * n, t = Double(y)
            for i in 0..<count { row[i] = (hInf[i] + (h0[i] - hInf[i]) * exp(-t / tau[i])) * factor[i] }
        }
    }

    /// Market value: sales × unit price; the price runs log-linearly between value / sales at the anchors.
    private func computeValue(_ market: ModelSetup.MarketLayout, m: Int, sales: UnsafeMutablePointer<Double>,
                              into value: UnsafeMutablePointer<Double>, count: Int) {
        interpolateLogLinear(anchors: market.valueAnchors, divisors: market.salesAtValueYears, weights: market.priceInterpolation,
                             fixed: pricePaths[m], factor: market.valueFactor, into: value, count: count)
        for y in 0..<years {
            let row = value + y * lanes, s = sales + y * lanes
            for i in 0..<count { row[i] *= s[i] }
        }
    }

    /// Heat, electricity, baseline and heat-pump emissions, reduction; all in roadmap units.
    private func emissions(_ market: ModelSetup.MarketLayout, m: Int, sales: UnsafeMutablePointer<Double>,
                           stock: UnsafeMutablePointer<Double>, heatPerUnit: UnsafeMutablePointer<Double>,
                           cop: UnsafeMutablePointer<Double>, grid: UnsafeMutablePointer<Double>,
                           lane: UnsafeMutablePointer<Double>, count: Int) {
        let n = lanes
        // Baseline kg CO2 per GJ of heat: fuel part + grid part × grid intensity.
        let fuelPart = lane, gridPart = lane + n
        displacedMix(market, fuelPart: fuelPart, gridPart: gridPart, count: count)
        for y in 0..<years {
            let offset = y * n
            let outSales = series(m, .sales) + offset, outStock = series(m, .stock) + offset
            let outHeat = series(m, .heat) + offset, outElectricity = series(m, .electricity) + offset
            let outBase = series(m, .baselineEmissions) + offset, outHP = series(m, .heatPumpEmissions) + offset
            let outReduction = series(m, .reduction) + offset
            let s = sales + offset, st = stock + offset, h = heatPerUnit + offset, c = cop + offset, g = grid + offset
            for i in 0..<count {
                let heatGJ = st[i] * 1e4 * h[i]
                let electricityGJ = heatGJ / c[i]
                let gridKgPerGJ = kilowattHoursPerGigajoule * g[i]
                let baseline = heatGJ * (fuelPart[i] + gridPart[i] * gridKgPerGJ) * 1e-11   // kg → 1e8 t
                let heatPump = electricityGJ * gridKgPerGJ * 1e-11
                outSales[i] = s[i]
                outStock[i] = st[i]
                outHeat[i] = heatGJ * 1e-8
                outElectricity[i] = electricityGJ * kilowattHoursPerGigajoule * 1e-8
                outBase[i] = baseline
                outHP[i] = heatPump
                outReduction[i] = baseline - heatPump
            }
        }
    }

    /// Σ w_f e_f / η_f over fuels (fuel part) and Σ w_f / η_f over grid sources (grid part).
    /// Shares that vary per sample keep their drawn values; the fixed ones rescale so all sum to 1.
    private func displacedMix(_ market: ModelSetup.MarketLayout, fuelPart: UnsafeMutablePointer<Double>,
                              gridPart: UnsafeMutablePointer<Double>, count: Int) {
        let varying = market.shares.indices.filter { !constantSlots.contains(market.shares[$0]) }
        let fixedTotal = market.shares.indices.filter { constantSlots.contains(market.shares[$0]) }
            .reduce(0.0) { $0 + setup.slots[market.shares[$1]].central }
        let scale = lanesScratch
        for i in 0..<count {
            var drawn = 0.0
            for f in varying { drawn += input(market.shares[f])[i] }
            scale[i] = varying.isEmpty ? 1 : (1 - drawn) / fixedTotal
            fuelPart[i] = 0
            gridPart[i] = 0
        }
        for f in market.shares.indices {
            let share = input(market.shares[f]), efficiency = input(market.efficiencies[f])
            let rescaled = !varying.contains(f)
            if let e = market.emissionFactors[f] {
                let factor = input(e)
                for i in 0..<count { fuelPart[i] += (rescaled ? share[i] * scale[i] : share[i]) * factor[i] / efficiency[i] }
            } else {
                for i in 0..<count { gridPart[i] += (rescaled ? share[i] * scale[i] : share[i]) / efficiency[i] }
            }
        }
    }

    private var lanesScratch: UnsafeMutablePointer<Double> { scratch.baseAddress! + (ages + 6 * years + 4) * lanes }

    // MARK: Paths

    /// Linear interpolation of anchor slots, times a factor slot, for every year.
    private func interpolateLinear(anchors: [Int], weights: [ModelSetup.Interpolation], factor: Int,
                                   into out: UnsafeMutablePointer<Double>, count: Int) {
        let f = input(factor)
        for y in 0..<years {
            let row = out + y * lanes
            let a = input(anchors[weights[y].lower])
            if anchors.count == 1 {
                for i in 0..<count { row[i] = a[i] * f[i] }
                continue
            }
            let b = input(anchors[weights[y].lower + 1]), w = weights[y].weight
            for i in 0..<count { row[i] = (a[i] + w * (b[i] - a[i])) * f[i] }
        }
    }

    /// Log-linear (compound-growth) interpolation of anchor slots, each divided by a fixed divisor
    /// when given, times a factor slot.
    private func interpolateLogLinear(anchors: [Int], divisors: [Double]?, weights: [ModelSetup.Interpolation],
                                      fixed: [Double]?, factor: Int, into out: UnsafeMutablePointer<Double>, count: Int) {
        let f = input(factor)
        if let fixed {
            for y in 0..<years {
                let row = out + y * lanes, v = fixed[y]
                for i in 0..<count { row[i] = v * f[i] }
            }
            return
        }
        for y in 0..<years {
            let row = out + y * lanes
            let lower = weights[y].lower
            let a = input(anchors[lower])
            let da = divisors?[lower] ?? 1
            if anchors.count == 1 {
                for i in 0..<count { row[i] = a[i] / da * f[i] }
                continue
            }
            let b = input(anchors[lower + 1]), db = divisors?[lower + 1] ?? 1, w = weights[y].weight
            for i in 0..<count { row[i] = exp(log(a[i] / da) + w * (log(b[i] / db) - log(a[i] / da))) * f[i] }
        }
    }
}

/// Log-linear interpolation between positive values at an interpolation point.
func logLinear(_ values: [Double], _ at: ModelSetup.Interpolation) -> Double {
    guard values.count > 1 else { return values[0] }
    let a = values[at.lower], b = values[at.lower + 1]
    return exp(log(a) + at.weight * (log(b) - log(a)))
}

/// Weibull survival by age for a fixed mean life and shape (same arithmetic as the kernel's lanes).
func survival(mean: Double, shape: Double, ages: Int) -> [Double] {
    let scaleTerm = pow(tgamma(1 + 1 / shape) / mean, shape)
    return (0..<ages).map { exp(-pow(Double($0) + 0.5, shape) * scaleTerm) }
}
