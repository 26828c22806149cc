import LaneVectors
import Foundation

// The kernel's inner loops, each written once for any lane width (see `LaneVector`). Every
// expression keeps the grouping of the model's equations, so each lane gets the same bits as the
// scalar arithmetic of the projection; a product added to a sum is one fused multiply-add
// (`addingProduct`), one rounding and one instruction.

/// out = (a + w·(b − a))·f, or a·f with a single anchor.
struct LinearStep: LaneStep {
    let a: UnsafePointer<Double>, b: UnsafePointer<Double>?, weight: Double, factor: UnsafePointer<Double>
    let out: UnsafeMutablePointer<Double>

    @inline(__always)
    func callAsFunction<V: LaneVector>(_: V.Type, lane i: Int) {
        let x = V(loading: a + i), f = V(loading: factor + i)
        guard let b else { return (x * f).store(to: out + i) }
        (x.addingProduct(V(broadcast: weight), V(loading: b + i) - x) * f).store(to: out + i)
    }
}

/// out = exp(ln(a/da) + w·(ln(b/db) − ln(a/da)))·f, or (a/da)·f with a single anchor and at w = 0
/// (the first anchor's year and before), where exp(ln x) would return x only up to a rounding.
struct LogLinearStep: LaneStep {
    let a: UnsafePointer<Double>, aDivisor: Double
    let b: UnsafePointer<Double>?, bDivisor: Double, weight: Double
    let factor: UnsafePointer<Double>
    let out: UnsafeMutablePointer<Double>

    @inline(__always)
    func callAsFunction<V: LaneVector>(_: V.Type, lane i: Int) {
        let x = V(loading: a + i) / V(broadcast: aDivisor), f = V(loading: factor + i)
        guard let b, weight != 0 else { return (x * f).store(to: out + i) }
        let logA = x.map(log), logB = (V(loading: b + i) / V(broadcast: bDivisor)).map(log)
        (logA.addingProduct(V(broadcast: weight), logB - logA).exponential() * f).store(to: out + i)
    }
}

/// out = c·f for a fixed value c.
struct ScaleStep: LaneStep {
    let value: Double, factor: UnsafePointer<Double>, out: UnsafeMutablePointer<Double>

    @inline(__always)
    func callAsFunction<V: LaneVector>(_: V.Type, lane i: Int) {
        (V(broadcast: value) * V(loading: factor + i)).store(to: out + i)
    }
}

/// Survival at one age: surv = e^{−a^k·λ^−k} from the fixed a^k and each lane's λ^−k.
struct SurvivalStep: LaneStep {
    let agePower: Double, scale: UnsafePointer<Double>, out: UnsafeMutablePointer<Double>

    @inline(__always)
    func callAsFunction<V: LaneVector>(_: V.Type, lane i: Int) {
        (V(broadcast: -agePower) * V(loading: scale + i)).exponential().store(to: out + i)
    }
}

/// One year of the logistic: S = f·K/(1 + e), then e ← e·q, so e = e^{−r(t − t0)} year by year.
struct LogisticStep: LaneStep {
    let factor: UnsafePointer<Double>, capacity: UnsafePointer<Double>
    let decay: UnsafeMutablePointer<Double>, ratio: UnsafePointer<Double>
    let out: UnsafeMutablePointer<Double>

    @inline(__always)
    func callAsFunction<V: LaneVector>(_: V.Type, lane i: Int) {
        let e = V(loading: decay + i)
        (V(loading: factor + i) * V(loading: capacity + i) / (V(broadcast: 1) + e)).store(to: out + i)
        (e * V(loading: ratio + i)).store(to: decay + i)
    }
}

/// A ramped input at one year, in place: out·(1 + (g − 1)·w) for a factor g, out + d·w for a shift d,
/// with w the year's `Ramp.weight` (0 up to `from`, 1 from `to` on).
struct RampStep: LaneStep {
    let drawn: UnsafePointer<Double>, weight: Double, shift: Bool
    let out: UnsafeMutablePointer<Double>

    @inline(__always)
    func callAsFunction<V: LaneVector>(_: V.Type, lane i: Int) {
        let x = V(loading: out + i), d = V(loading: drawn + i), w = V(broadcast: weight)
        let ramped = shift ? x.addingProduct(d, w) : x * V(broadcast: 1).addingProduct(d - V(broadcast: 1), w)
        ramped.store(to: out + i)
    }
}

/// Stock by convolution, N(t) = S(0)·K(t) + Σ_{c=0…t} S(c)·surv(t − c), summed in that order.
/// Six years at a time share each S(c) and each survival value and keep their sums in registers:
/// six independent chains of fused multiply-adds, enough to hide each one's latency. The block
/// size never changes a bit, as every year's sum keeps its order.
struct StockStep: LaneStep {
    let sales: UnsafePointer<Double>, survival: UnsafePointer<Double>, backcast: UnsafePointer<Double>
    let stock: UnsafeMutablePointer<Double>
    /// Row stride of all four tables, and the number of years.
    let stride: Int, years: Int

    @inline(__always)
    func callAsFunction<V: LaneVector>(_: V.Type, lane i: Int) {
        let n = stride
        @inline(__always) func s(_ c: Int) -> V { V(loading: sales + (c &* n &+ i)) }
        @inline(__always) func surv(_ age: Int) -> V { V(loading: survival + (age &* n &+ i)) }
        @inline(__always) func back(_ t: Int) -> V { V(loading: backcast + (t &* n &+ i)) }
        @inline(__always) func store(_ value: V, _ t: Int) { value.store(to: stock + (t &* n &+ i)) }
        let first = s(0)
        // The years that do not fill a block come first, where their sums are shortest.
        var t = 0
        while t < years % 6 {
            var total = first * back(t)
            for c in 0...t { total = total.addingProduct(s(c), surv(t &- c)) }
            store(total, t)
            t &+= 1
        }
        while t < years {
            var n0 = first * back(t), n1 = first * back(t &+ 1), n2 = first * back(t &+ 2)
            var n3 = first * back(t &+ 3), n4 = first * back(t &+ 4), n5 = first * back(t &+ 5)
            // At cohort c: wj = surv(t + j − c).
            var w1 = surv(t &+ 1), w2 = surv(t &+ 2), w3 = surv(t &+ 3), w4 = surv(t &+ 4), w5 = surv(t &+ 5)
            var c = 0
            while c <= t {
                let w0 = surv(t &- c), sc = s(c)
                n0 = n0.addingProduct(sc, w0)
                n1 = n1.addingProduct(sc, w1)
                n2 = n2.addingProduct(sc, w2)
                n3 = n3.addingProduct(sc, w3)
                n4 = n4.addingProduct(sc, w4)
                n5 = n5.addingProduct(sc, w5)
                (w5, w4, w3, w2, w1) = (w4, w3, w2, w1, w0)
                c &+= 1
            }
            // Year t + j still lacks the cohorts t + 1 … t + j.
            @inline(__always) func younger(_ sum: inout V, _ j: Int) {
                for k in 1...j { sum = sum.addingProduct(s(t &+ k), surv(j &- k)) }
            }
            younger(&n1, 1)
            younger(&n2, 2)
            younger(&n3, 3)
            younger(&n4, 4)
            younger(&n5, 5)
            store(n0, t)
            store(n1, t &+ 1)
            store(n2, t &+ 2)
            store(n3, t &+ 3)
            store(n4, t &+ 4)
            store(n5, t &+ 5)
            t &+= 6
        }
    }
}

/// Survivors of the cohorts before the base year at the last year: K = Σ_{j=1…J} ρ^j surv(last + j).
struct BackcastTopStep: LaneStep {
    let survival: UnsafePointer<Double>, rho: UnsafePointer<Double>
    let out: UnsafeMutablePointer<Double>
    /// Row of the survival table at age `last`, the table's row stride, and J.
    let last: Int, stride: Int, depth: Int

    @inline(__always)
    func callAsFunction<V: LaneVector>(_: V.Type, lane i: Int) {
        let r = V(loading: rho + i)
        var sum = V(broadcast: 0), power = V(broadcast: 1)
        for j in 1...depth {
            power = power * r
            sum = sum.addingProduct(power, V(loading: survival + ((last &+ j) &* stride &+ i)))
        }
        sum.store(to: out + i)
    }
}

/// One step down the backcast recurrence: K(a) = ρ·(surv(a+1) + K(a+1) − ρ^J·surv(a+1+J)).
struct BackcastStep: LaneStep {
    let enter: UnsafePointer<Double>, next: UnsafePointer<Double>, leave: UnsafePointer<Double>
    /// ρ, and −ρ^J (negated so the subtraction is a fused multiply-add).
    let rho: UnsafePointer<Double>, minusRhoJ: UnsafePointer<Double>
    let out: UnsafeMutablePointer<Double>

    @inline(__always)
    func callAsFunction<V: LaneVector>(_: V.Type, lane i: Int) {
        let value = V(loading: rho + i)
            * (V(loading: enter + i) + V(loading: next + i)).addingProduct(V(loading: minusRhoJ + i), V(loading: leave + i))
        value.store(to: out + i)
    }
}

/// h = (h∞ + (h0 − h∞)·e^{−t/τ})·f.
struct HeatStep: LaneStep {
    let h0: UnsafePointer<Double>, hInfinity: UnsafePointer<Double>, tau: UnsafePointer<Double>
    let factor: UnsafePointer<Double>
    /// Years since the base year.
    let elapsed: Double
    let out: UnsafeMutablePointer<Double>

    @inline(__always)
    func callAsFunction<V: LaneVector>(_: V.Type, lane i: Int) {
        let high = V(loading: h0 + i), low = V(loading: hInfinity + i)
        let decay = (V(broadcast: -elapsed) / V(loading: tau + i)).exponential()
        (low.addingProduct(high - low, decay) * V(loading: factor + i)).store(to: out + i)
    }
}

/// Baseline kg CO2 per GJ of displaced heat: Σ w_f e_f/η_f over fuels and Σ w_f/η_f over grid
/// sources, the fixed shares rescaled by (1 − Σ drawn shares)/Σ their central values.
struct MixStep: LaneStep {
    struct Source {
        var share: UnsafePointer<Double>, efficiency: UnsafePointer<Double>
        var emissionFactor: UnsafePointer<Double>?
        var rescaled: Bool
    }
    let sources: [Source]
    let drawn: [UnsafePointer<Double>]
    let fixedTotal: Double
    let fuelPart: UnsafeMutablePointer<Double>, gridPart: UnsafeMutablePointer<Double>

    @inline(__always)
    func callAsFunction<V: LaneVector>(_: V.Type, lane i: Int) {
        var scale = V(broadcast: 1)
        if !drawn.isEmpty {
            var sum = V(broadcast: 0)
            for share in drawn { sum = sum + V(loading: share + i) }
            scale = (V(broadcast: 1) - sum) / V(broadcast: fixedTotal)
        }
        var fuel = V(broadcast: 0), grid = V(broadcast: 0)
        for source in sources {
            let share = V(loading: source.share + i)
            let weight = source.rescaled ? share * scale : share
            if let factor = source.emissionFactor {
                fuel = fuel + weight * V(loading: factor + i) / V(loading: source.efficiency + i)
            } else {
                grid = grid + weight / V(loading: source.efficiency + i)
            }
        }
        fuel.store(to: fuelPart + i)
        grid.store(to: gridPart + i)
    }
}

/// One year of one market's outputs from its sales, stock, heat per unit, COP and the grid.
struct OutputStep: LaneStep {
    let sales: UnsafePointer<Double>, stock: UnsafePointer<Double>, heatPerUnit: UnsafePointer<Double>
    let cop: UnsafePointer<Double>, grid: UnsafePointer<Double>
    let fuelPart: UnsafePointer<Double>, gridPart: UnsafePointer<Double>
    /// This year's row of the market's first metric; its value row holds the unit price on entry.
    let market: UnsafeMutablePointer<Double>
    /// Distance between the rows of consecutive series.
    let seriesStride: Int
    let written: Metrics

    /// The metrics written, one bit each at its `Metric.row`.
    struct Metrics {
        let bits: UInt64

        init(_ metrics: Set<Metric>) {
            precondition(Metric.byRow.count <= UInt64.bitWidth, "one bit per metric")
            bits = metrics.reduce(0) { $0 | 1 << $1.row }
        }

        @inline(__always) func contains(_ metric: Metric) -> Bool { bits & 1 << metric.row != 0 }
        /// Whether any written metric needs the installed base (all but sales and value).
        var needStock: Bool { bits & ~Metrics([.sales, .value]).bits != 0 }
    }

    @inline(__always)
    func callAsFunction<V: LaneVector>(_: V.Type, lane i: Int) {
        let s = V(loading: sales + i), st = V(loading: stock + i)
        // The stock's unit (1e4 units) into units, then GJ, kWh and kg into the roadmap's units: all by the scales of `Metric`.
        let heatGJ = st * V(broadcast: Metric.stock.roadmapScale) * V(loading: heatPerUnit + i)
        let electricityGJ = heatGJ / V(loading: cop + i)
        let gridKgPerGJ = V(broadcast: kilowattHoursPerGigajoule) * V(loading: grid + i)
        let kgToEmissionsUnit = V(broadcast: 1 / (Metric.reduction.roadmapScale * kilogramsPerTonne))
        let baseline = heatGJ * V(loading: fuelPart + i).addingProduct(V(loading: gridPart + i), gridKgPerGJ) * kgToEmissionsUnit
        let heatPump = electricityGJ * gridKgPerGJ * kgToEmissionsUnit
        let reduction = baseline - heatPump
        @inline(__always) func emit(_ metric: Metric, _ x: @autoclosure () -> V) {
            if written.contains(metric) { x().store(to: market + (metric.row &* seriesStride &+ i)) }
        }
        emit(.sales, s)
        emit(.value, V(loading: market + (Metric.value.row &* seriesStride &+ i)) * s)
        emit(.stock, st)
        emit(.heat, heatGJ * V(broadcast: 1 / Metric.heat.roadmapScale))
        emit(.electricity, electricityGJ * V(broadcast: kilowattHoursPerGigajoule) * V(broadcast: 1 / Metric.electricity.roadmapScale))
        emit(.baselineEmissions, baseline)
        emit(.heatPumpEmissions, heatPump)
        emit(.reduction, reduction)
    }
}

/// One year of a total series: `weightedSum` of its terms (see `SeriesCatalog.totalTerms`).
struct SumStep: LaneStep {
    let rows: UnsafePointer<Double>
    /// The terms' rows, as offsets from `rows`, and their weights (none: zero).
    let offsets: UnsafeBufferPointer<Int>, weights: UnsafeBufferPointer<Double>
    let out: UnsafeMutablePointer<Double>

    @inline(__always)
    func callAsFunction<V: LaneVector>(_: V.Type, lane i: Int) {
        V.weightedSum(count: offsets.count, weight: { weights[$0] }, term: { V(loading: rows + (offsets[$0] &+ i)) }).store(to: out + i)
    }
}
