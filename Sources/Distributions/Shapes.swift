import Foundation

/// Triangular(min, mode, max) with the constants of its piecewise quantile precomputed.
struct TriangularShape {
    let min: Double, mode: Double, max: Double
    /// F(mode), where the quantile switches from the rising to the falling side.
    let split: Double
    let risingScale: Double, fallingScale: Double

    init(min: Double, mode: Double, max: Double) {
        self.min = min
        self.mode = mode
        self.max = max
        split = (mode - min) / (max - min)
        risingScale = (max - min) * (mode - min)
        fallingScale = (max - min) * (max - mode)
    }

    @inline(__always)
    func quantile(_ u: Double) -> Double {
        u < split ? min + (u * risingScale).squareRoot() : max - ((1 - u) * fallingScale).squareRoot()
    }

    func cdf(_ x: Double) -> Double {
        if x <= min { return 0 }
        if x >= max { return 1 }
        return x <= mode ? (x - min) * (x - min) / risingScale : 1 - (max - x) * (max - x) / fallingScale
    }
}

/// Beta-PERT(min, mode, max), λ = 4: min + (max - min)·Beta(α, β) with α = 1 + 4(mode - min)/(max - min)
/// and β = 1 + 4(max - mode)/(max - min), so α, β ∈ [1, 5] and α + β = 6.
struct PertShape {
    let min: Double, width: Double
    let alpha: Double, beta: Double

    init(min: Double, mode: Double, max: Double) {
        self.min = min
        width = max - min
        alpha = 1 + 4 * (mode - min) / width
        beta = 1 + 4 * (max - mode) / width
    }

    @inline(__always)
    func quantile(_ u: Double) -> Double {
        min + width * inverseRegularizedIncompleteBeta(u, alpha, beta)
    }

    func cdf(_ x: Double) -> Double {
        regularizedIncompleteBeta((x - min) / width, alpha, beta)
    }
}

/// A discrete distribution's values in ascending order with their cumulative probabilities.
struct DiscreteTable {
    let sortedValues: [Double]
    /// cumulative[k] = P(X ≤ sortedValues[k]); the last entry is exactly 1.
    let cumulative: [Double]

    init(values: [Double], weights: [Double]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        let total = weights.reduce(0, +)
        var running = 0.0
        sortedValues = order.map { values[$0] }
        var cumulative = order.map { index -> Double in
            running += weights[index]
            return running / total
        }
        cumulative[cumulative.count - 1] = 1
        self.cumulative = cumulative
    }

    /// The smallest value whose cumulative probability reaches u.
    @inline(__always)
    func quantile(_ u: Double) -> Double {
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] >= u { high = middle } else { low = middle + 1 }
        }
        return sortedValues[low]
    }
}
