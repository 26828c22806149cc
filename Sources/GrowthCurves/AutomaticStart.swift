import Foundation
import LeastSquares

/// Starting parameters for `fitCurve` from the data alone.
///
/// Logistic: for a trial asymptote K the logit ln(y / (K − y)) is linear in t with slope r and
/// root t0, so a straight-line fit gives r and t0; K itself is chosen by a one-dimensional search
/// over K / max(y) − 1 on a log scale (from 10⁻³ to 10²), which also covers data that show only
/// the rising part of the curve. Three points are enough. Richards: the fitted logistic with ν = 1.
public func automaticStart(_ model: CurveModel, t: [Double], y: [Double]) -> [Double] {
    let logistic = logisticStart(t: t, y: y)
    switch model {
    case .logistic:
        return logistic
    case .richards:
        let refined = try? fitCurve(.logistic, t: t, y: y, options: .init(start: logistic))
        let base = refined.map(\.parameters).flatMap { $0.allSatisfy(\.isFinite) ? $0 : nil } ?? logistic
        return base + [1]
    }
}

private func logisticStart(t: [Double], y: [Double]) -> [Double] {
    let points = zip(t, y).filter { $0.0.isFinite && $0.1.isFinite && $0.1 > 0 }
    let times = points.map(\.0), values = points.map(\.1)
    guard let largest = values.max(), Set(times).count >= 2 else { return fallbackStart(t: t, y: y) }

    func profile(_ logExcess: Double) -> (sse: Double, parameters: [Double])? {
        let k = largest * (1 + exp(logExcess))
        let logits = values.map { log($0 / (k - $0)) }
        guard let (intercept, slope) = straightLine(times, logits), slope != 0 else { return nil }
        let parameters = [k, slope, -intercept / slope]
        let sse = zip(times, values).reduce(0.0) { sum, point in
            let error = CurveModel.logistic.value(point.0, parameters) - point.1
            return sum + error * error
        }
        return sse.isFinite && parameters.allSatisfy(\.isFinite) ? (sse, parameters) : nil
    }

    let grid = (0...60).map { log(1e-3) + Double($0) / 60 * (log(1e2) - log(1e-3)) }
    let scored = grid.compactMap { a in profile(a).map { (a, $0.sse) } }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return fallbackStart(t: t, y: y) }
    let spacing = grid[1] - grid[0]
    let refined = goldenSectionMinimum(in: (best.0 - spacing)...(best.0 + spacing)) {
        profile($0)?.sse ?? .infinity
    }
    return profile(refined)?.parameters ?? profile(best.0)!.parameters
}

/// A neutral S-curve over the observed range when the logit construction is impossible.
private func fallbackStart(t: [Double], y: [Double]) -> [Double] {
    let times = t.filter(\.isFinite), values = y.filter(\.isFinite)
    let low = times.min() ?? 0, high = times.max() ?? 1
    let top = values.map(abs).max() ?? 1
    return [top > 0 ? 1.1 * top : 1, 4 / max(high - low, 1), (low + high) / 2]
}

/// Ordinary least-squares line v ≈ intercept + slope · u.
private func straightLine(_ u: [Double], _ v: [Double]) -> (intercept: Double, slope: Double)? {
    let count = Double(u.count)
    let meanU = u.reduce(0, +) / count, meanV = v.reduce(0, +) / count
    var suu = 0.0, suv = 0.0
    for (a, b) in zip(u, v) {
        suu += (a - meanU) * (a - meanU)
        suv += (a - meanU) * (b - meanV)
    }
    guard suu > 0 else { return nil }
    let slope = suv / suu
    return (meanV - slope * meanU, slope)
}

private func goldenSectionMinimum(in interval: ClosedRange<Double>, _ f: (Double) -> Double) -> Double {
    let ratio = (5.0.squareRoot() - 1) / 2
    var (a, b) = (interval.lowerBound, interval.upperBound)
    var c = b - ratio * (b - a), d = a + ratio * (b - a)
    var fc = f(c), fd = f(d)
    for _ in 0..<60 {
        if fc < fd {
            (b, d, fd) = (d, c, fc)
            c = b - ratio * (b - a)
            fc = f(c)
        } else {
            (a, c, fc) = (c, d, fd)
            d = a + ratio * (b - a)
            fd = f(d)
        }
    }
    return (a + b) / 2
}
