import Foundation
import Testing
import GrowthCurves

/// A deterministic, zero-mean-ish perturbation so that tests need no random generator.
private func wiggle(_ i: Int) -> Double { sin(Double(i) * 2.3) }

@Suite struct CurveFitTests {
    @Test func richardsRecoversSyntheticParametersExactly() throws {
        let truth = [120.0, 0.45, 9, 0.6]
        let t = (0...24).map(Double.init)
        let y = t.map { CurveModel.richards.value($0, truth) }
        let fit = try fitCurve(.richards, t: t, y: y)
        #expect(fit.converged)
        for j in truth.indices { #expect(abs(fit.parameters[j] - truth[j]) < 1e-7 * abs(truth[j])) }
        #expect(fit.rss < 1e-16)
    }

    @Test func noisyRichardsHasConsistentStatistics() throws {
        let truth = [120.0, 0.45, 9, 0.6]
        let t = (0...24).map(Double.init)
        let y = t.indices.map { CurveModel.richards.value(t[$0], truth) + 0.8 * wiggle($0) }
        let fit = try fitCurve(.richards, t: t, y: y)
        #expect(fit.converged)
        #expect(fit.degreesOfFreedom == 21)
        let residuals = t.indices.map { fit.value(at: t[$0]) - y[$0] }
        #expect(abs(fit.rss - residuals.reduce(0) { $0 + $1 * $1 }) < 1e-9 * fit.rss)
        let errors = try #require(fit.standardErrors)
        // The truth lies within a few standard errors of the estimate.
        for j in truth.indices { #expect(abs(fit.parameters[j] - truth[j]) < 4 * errors[j]) }
    }

    /// A least-squares fit is equivariant in y's scale: K scales with y, r and t0 stay, the residual
    /// sum of squares scales with its square. Scaled by 2^k (exact in binary), every scale from 1e-140
    /// to 1e140 gives the unscaled fit's parameters to 1e-9 and its standard errors to 1e-6. Before,
    /// below 1e-17 and above 1e14 J's columns differed by more than the linear solver resolved: the
    /// fit stopped away from the minimum (r 0.890 for 0.907, twice the sum of squares) and said it
    /// had converged, and the standard errors were dropped (found by a tester).
    @Test(arguments: [-465, -60, -56, 47, 50, 465])
    func theFitIsEquivariantInTheScaleOfY(exponent: Int) throws {
        let t: [Double] = [2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007]
        let y: [Double] = [10, 20, 40, 70, 100, 120, 130, 135]
        let scale = Double(sign: .plus, exponent: exponent, significand: 1)
        let reference = try fitCurve(.logistic, t: t, y: y)
        let scaled = try fitCurve(.logistic, t: t, y: y.map { $0 * scale })
        #expect(reference.converged && scaled.converged, "\(scaled.stopReason)")
        let expected = [reference.parameters[0] * scale] + reference.parameters.dropFirst()
        for j in expected.indices { #expect(abs(scaled.parameters[j] - expected[j]) <= 1e-9 * abs(expected[j]), "parameter \(j)") }
        #expect(abs(scaled.rss - reference.rss * scale * scale) <= 1e-9 * reference.rss * scale * scale)
        let errors = try #require(scaled.standardErrors), referenceErrors = try #require(reference.standardErrors)
        let expectedErrors = [referenceErrors[0] * scale] + referenceErrors.dropFirst()
        for j in expectedErrors.indices { #expect(abs(errors[j] - expectedErrors[j]) <= 1e-6 * expectedErrors[j], "standard error \(j)") }
    }

    /// Beyond 1e150 (or below 1e-150) the squared residuals leave double precision: refused, saying
    /// so, where the fit started from infinite residuals or stopped at a sum of squares of 0.
    @Test(arguments: [1e-300, 1e-160, 1e160, 1e300])
    func valuesWhoseSquaresLeaveDoublePrecisionAreRefused(scale: Double) {
        let y: [Double] = [10, 20, 40, 70, 100, 120, 130, 135].map { $0 * scale }
        let t: [Double] = [2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007]
        #expect(throws: CurveFitError.valuesOutOfRange(size: 135 * scale, relative: false)) { try fitCurve(.logistic, t: t, y: y) }
        // Relative residuals are near 1 at any scale, but their derivatives go as 1/y (the automatic
        // start was blamed, or the data called unidentified).
        #expect(throws: CurveFitError.valuesOutOfRange(size: 10 * scale, relative: true)) {
            try fitCurve(.logistic, t: t, y: y, options: .init(relative: true))
        }
    }

    /// Weights scale the residuals: y at 1e-200 with weights of 1e200 is a fit at 1e-100, whose
    /// standard error of K (7e-201) has a square below the doubles. It was printed as 0 beside
    /// "converged"; now it is given, and the covariance, which cannot be, is left out.
    @Test func aStandardErrorWhoseSquareLeavesTheDoublesIsStillGiven() throws {
        let t: [Double] = [2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007]
        let y: [Double] = [10, 20, 40, 70, 100, 120, 130, 135]
        let reference = try fitCurve(.logistic, t: t, y: y)
        let fit = try fitCurve(.logistic, t: t, y: y.map { $0 * 1e-200 }, options: .init(weights: [Double](repeating: 1e200, count: 8)))
        #expect(fit.converged)
        let errors = try #require(fit.standardErrors), referenceErrors = try #require(reference.standardErrors)
        #expect(abs(errors[0] - referenceErrors[0] * 1e-200) <= 1e-6 * referenceErrors[0] * 1e-200, "\(errors[0])")
        for j in 1..<3 { #expect(abs(errors[j] - referenceErrors[j]) <= 1e-6 * referenceErrors[j]) }
        #expect(fit.covariance == nil)
    }

    /// Weight 2 on a point is the same least-squares problem as observing it twice.
    @Test func integerWeightsEqualRepeatedObservations() throws {
        let t: [Double] = [0, 2, 4, 6, 8, 10, 12]
        let y: [Double] = [2.1, 5.3, 13.8, 27.0, 41.2, 47.9, 50.6]
        let weights: [Double] = [1, 2, 1, 3, 1, 1, 2]
        let weighted = try fitCurve(.logistic, t: t, y: y, options: .init(weights: weights))
        var repeatedT: [Double] = [], repeatedY: [Double] = []
        for i in t.indices {
            for _ in 0..<Int(weights[i]) {
                repeatedT.append(t[i])
                repeatedY.append(y[i])
            }
        }
        let repeated = try fitCurve(.logistic, t: repeatedT, y: repeatedY)
        for j in 0..<3 { #expect(abs(weighted.parameters[j] / repeated.parameters[j] - 1) < 1e-8) }
        #expect(abs(weighted.rss / repeated.rss - 1) < 1e-8)
    }

    @Test func zeroWeightDropsTheObservation() throws {
        let t: [Double] = [0, 2, 4, 6, 8, 10, 12, 14]
        let y: [Double] = [2.1, 5.3, 13.8, 27.0, 41.2, 47.9, 50.6, 400]
        var weights = [Double](repeating: 1, count: 8)
        weights[7] = 0
        let withOutlierIgnored = try fitCurve(.logistic, t: t, y: y, options: .init(weights: weights))
        let withoutOutlier = try fitCurve(.logistic, t: Array(t.prefix(7)), y: Array(y.prefix(7)))
        for j in 0..<3 {
            #expect(abs(withOutlierIgnored.parameters[j] / withoutOutlier.parameters[j] - 1) < 1e-8)
        }
        #expect(withOutlierIgnored.degreesOfFreedom == 4)
    }

    @Test func relativeResidualsMinimiseRelativeErrors() throws {
        let t = (0...10).map { Double($0) * 3 }
        let y = t.indices.map { CurveModel.logistic.value(t[$0], [500, 0.25, 15]) * (1 + 0.03 * wiggle($0)) }
        let relative = try fitCurve(.logistic, t: t, y: y, options: .init(relative: true))
        let absolute = try fitCurve(.logistic, t: t, y: y)
        func relativeSS(_ p: [Double]) -> Double {
            t.indices.reduce(0) { sum, i in
                let e = (CurveModel.logistic.value(t[i], p) - y[i]) / y[i]
                return sum + e * e
            }
        }
        #expect(abs(relative.rss - relativeSS(relative.parameters)) < 1e-12)
        #expect(relative.rss < relativeSS(absolute.parameters))
        #expect(abs(relative.parameters[0] - 500) < 50)
    }

    /// Only the first 40 % of the curve is observed; the automatic start must still lead to it.
    @Test func risingPartOnlyRecoversTheCurve() throws {
        let truth = [1000.0, 0.3, 20]
        let t = (0...18).map(Double.init)
        let y = t.map { CurveModel.logistic.value($0, truth) }
        let fit = try fitCurve(.logistic, t: t, y: y)
        for j in 0..<3 { #expect(abs(fit.parameters[j] / truth[j] - 1) < 1e-7) }
    }

    @Test func iterationLimitIsReportedNotHidden() throws {
        let t: [Double] = [0, 2, 4, 6, 8, 10, 12]
        let y: [Double] = [2.1, 5.3, 13.8, 27.0, 41.2, 47.9, 50.6]
        let fit = try fitCurve(.logistic, t: t, y: y,
                               options: .init(start: [1, 1, 100], lm: .init(maxIterations: 2)))
        #expect(!fit.converged)
        #expect(fit.stopReason == .maxIterations)
        #expect(fit.parameters.allSatisfy { $0.isFinite } && fit.rss.isFinite)
    }

    /// Flat noise has no S-shape: the best fit is approached only as the curve flattens into a
    /// line with parameters running off to infinity, so the fit must say it did not converge
    /// and still report finite numbers.
    @Test func hopelessDataGivesFiniteAnswer() throws {
        let t = (0..<12).map(Double.init)
        let y = t.indices.map { 10 + wiggle($0) }
        for model in CurveModel.allCases {
            let fit = try fitCurve(model, t: t, y: y, options: .init(lm: .init(maxIterations: 200)))
            #expect(fit.parameters.allSatisfy { $0.isFinite })
            #expect(fit.rss.isFinite)
            #expect(!fit.converged && fit.stopReason == .maxIterations)
        }
    }
}

@Suite struct CurveFitValidationTests {
    private let t: [Double] = [0, 1, 2, 3]
    private let y: [Double] = [1, 2, 3, 4]

    @Test func inputErrorsAreReported() {
        #expect(throws: CurveFitError.countMismatch(t: 4, y: 3)) {
            try fitCurve(.logistic, t: t, y: [1, 2, 3])
        }
        #expect(throws: CurveFitError.tooFewPoints(model: .richards, needed: 4, got: 3)) {
            try fitCurve(.richards, t: [0, 1, 2], y: [1, 2, 3])
        }
        #expect(throws: CurveFitError.nonFiniteData(index: 2)) {
            try fitCurve(.logistic, t: t, y: [1, 2, .nan, 4])
        }
        #expect(throws: CurveFitError.nonPositiveValueWithRelativeResiduals(index: 0, value: 0)) {
            try fitCurve(.logistic, t: t, y: [0, 2, 3, 4], options: .init(relative: true))
        }
        #expect(throws: CurveFitError.invalidWeight(index: 1, value: -1)) {
            try fitCurve(.logistic, t: t, y: y, options: .init(weights: [1, -1, 1, 1]))
        }
        #expect(throws: CurveFitError.weightCountMismatch(weights: 2, observations: 4)) {
            try fitCurve(.logistic, t: t, y: y, options: .init(weights: [1, 1]))
        }
        #expect(throws: CurveFitError.tooFewPoints(model: .logistic, needed: 3, got: 2)) {
            try fitCurve(.logistic, t: t, y: y, options: .init(weights: [1, 0, 0, 1]))
        }
        #expect(throws: CurveFitError.invalidStart(model: .logistic, start: [1, 2])) {
            try fitCurve(.logistic, t: t, y: y, options: .init(start: [1, 2]))
        }
    }

    /// Data or starts that cannot determine the curve are refused before any iteration.
    @Test func undeterminedFitsAreRefused() {
        #expect(throws: CurveFitError.startOutsideDomain(model: .richards, parameter: "nu", value: 0)) {
            try fitCurve(.richards, t: [0, 1, 2, 3, 4], y: [1, 2, 3, 4, 5], options: .init(start: [10, 1, 2, 0]))
        }
        #expect(throws: CurveFitError.tooFewDistinctTimes(model: .logistic, needed: 3, got: 1)) {
            try fitCurve(.logistic, t: [5, 5, 5, 5], y: y)
        }
        #expect(throws: CurveFitError.tooFewDistinctTimes(model: .logistic, needed: 3, got: 2)) {
            try fitCurve(.logistic, t: [5, 5, 6, 6], y: y)
        }
        // Doubles near 1e18 are 128 apart: a spread of 384 leaves t − t0 almost no digits.
        let base = 1e18
        #expect(throws: CurveFitError.timesNotResolved(spread: 384, magnitude: base + 384)) {
            try fitCurve(.logistic, t: [base, base + 128, base + 256, base + 384], y: y)
        }
        // All zero (the one non-zero value weighted out): K = 0 fits, and any r, t0 with it; `fit`
        // said "converged (zeroResidual)" with arbitrary r and t0.
        #expect(throws: CurveFitError.allZero(model: .logistic)) { try fitCurve(.logistic, t: [1, 2, 3, 4], y: [0, 0, 0, 0]) }
        #expect(throws: CurveFitError.allZero(model: .richards)) {
            try fitCurve(.richards, t: [1, 2, 3, 4, 5], y: [0, 0, 7, 0, 0], options: .init(weights: [1, 1, 0, 1, 1]))
        }
    }

    /// A start where the curve is flat in every parameter (K σ(r (t − t0)) underflows to 0 for all
    /// t) stops at once: not converged, because nothing there is identified.
    @Test func flatStartIsNotConvergence() throws {
        let t = (0..<10).map { 2010 + 5 * Double($0) }
        let fit = try fitCurve(.logistic, t: t, y: t.map { 1000 / (1 + exp(-0.2 * ($0 - 2035))) },
                               options: .init(start: [1e308, 1e308, 1e308]))
        #expect(!fit.converged && fit.stopReason == .unidentified)
    }

    /// Identifiable data far from the origin still converge: the check is relative to t's spread.
    @Test func largeButResolvedTimesConverge() throws {
        let truth = [100.0, 0.5, 1e9 + 10]
        let t = (0..<20).map { 1e9 + Double($0) }
        let fit = try fitCurve(.logistic, t: t, y: t.map { CurveModel.logistic.value($0, truth) })
        #expect(fit.converged)
        #expect(abs(fit.parameters[0] / 100 - 1) < 1e-6 && abs(fit.parameters[1] / 0.5 - 1) < 1e-6 && abs(fit.parameters[2] - truth[2]) < 1e-4)
    }

    @Test func messagesAreSpecific() {
        #expect(CurveFitError.nonPositiveValueWithRelativeResiduals(index: 3, value: -2).description
            .contains("observation 3"))
        #expect(CurveFitError.tooFewPoints(model: .richards, needed: 4, got: 2).description.contains("richards"))
    }

    @Test func automaticStartHasOneValuePerParameter() {
        for model in CurveModel.allCases {
            let start = automaticStart(model, t: t, y: y)
            #expect(start.count == model.parameterCount)
            #expect(start.allSatisfy { $0.isFinite })
        }
        // No positive observations at all: still a usable, finite start.
        #expect(automaticStart(.logistic, t: t, y: [-1, -2, -3, -4]).allSatisfy { $0.isFinite })
    }
}
