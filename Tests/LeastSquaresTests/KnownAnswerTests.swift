import Foundation
import Testing
import LinearAlgebra
import LeastSquares

@Suite struct KnownAnswerTests {
    // Strang, Introduction to Linear Algebra, §4.3: the best line through (0, 6), (1, 0), (2, 0) is
    // 5 − 3t, with residuals (−1, 2, −1). Hence rss = 6, s² = 6 / 1 and, with
    // (XᵀX)⁻¹ = [[5, −3], [−3, 3]] / 6, the covariance is [[5, −3], [−3, 3]].
    @Test func straightLineGivesExactEstimatesAndCovariance() throws {
        let problem = LeastSquaresProblem(
            parameterCount: 2, residualCount: 3,
            residuals: { p in [p[0] - 6, p[0] + p[1], p[0] + 2 * p[1]] })
        let fit = try levenbergMarquardt(problem, start: [0, 0])
        #expect(fit.converged)
        #expect(abs(fit.parameters[0] - 5) < 1e-7 && abs(fit.parameters[1] + 3) < 1e-7)
        #expect(abs(fit.rss - 6) < 1e-10)
        #expect(fit.degreesOfFreedom == 1)
        let covariance = try #require(fit.covariance)
        #expect(abs(covariance[0, 0] - 5) < 1e-6 && abs(covariance[1, 1] - 3) < 1e-6)
        #expect(abs(covariance[0, 1] + 3) < 1e-6 && abs(covariance[1, 0] + 3) < 1e-6)
        let errors = try #require(fit.standardErrors)
        #expect(abs(errors[0] - 5.0.squareRoot()) < 1e-6)
    }

    // Moré, Garbow & Hillstrom (1981), problem 1 (Rosenbrock): minimum 0 at (1, 1) from (−1.2, 1).
    @Test(arguments: [true, false])
    func rosenbrockReachesZeroResidual(analytic: Bool) throws {
        let analyticJacobian: @Sendable ([Double]) -> Matrix = { p in
            Matrix(rowMajor: [[-20 * p[0], 10], [-1, 0]])
        }
        let jacobian = analytic ? analyticJacobian : nil
        let problem = LeastSquaresProblem(
            parameterCount: 2, residualCount: 2,
            residuals: { p in [10 * (p[1] - p[0] * p[0]), 1 - p[0]] }, jacobian: jacobian)
        let fit = try levenbergMarquardt(problem, start: [-1.2, 1])
        #expect(fit.converged)
        #expect(abs(fit.parameters[0] - 1) < 1e-9 && abs(fit.parameters[1] - 1) < 1e-9)
        #expect(fit.rss < 1e-20)
        #expect(fit.degreesOfFreedom == 0)
        #expect(fit.covariance == nil && fit.residualStandardDeviation == nil && fit.standardErrors == nil)
    }

    // NIST Statistical Reference Datasets, nonlinear regression, Misra1a (lower difficulty):
    // y = b1 (1 − exp(−b2 x)). Certified values, standard deviations and RSS from the NIST file.
    @Test(arguments: [[500.0, 0.0001], [250.0, 0.0005]])
    func misra1aWithFiniteDifferencesMatchesCertifiedValues(start: [Double]) throws {
        let x: [Double] = [77.6, 114.9, 141.1, 190.8, 239.9, 289.0, 332.8, 378.4, 434.8, 477.3, 536.8, 593.1,
                           689.1, 760.0]
        let y: [Double] = [10.07, 14.73, 17.94, 23.93, 29.61, 35.18, 40.02, 44.82, 50.76, 55.05, 61.01, 66.40,
                           75.47, 81.78]
        let problem = LeastSquaresProblem(
            parameterCount: 2, residualCount: x.count,
            residuals: { b in zip(x, y).map { b[0] * (1 - exp(-b[1] * $0)) - $1 } })
        let fit = try levenbergMarquardt(problem, start: start)
        let certified = [2.3894212918E+02, 5.5015643181E-04]
        let certifiedErrors = [2.7070075241E+00, 7.2668688436E-06]
        #expect(fit.converged)
        for j in 0..<2 {
            #expect(abs(fit.parameters[j] - certified[j]) <= 1e-7 * certified[j])
        }
        #expect(abs(fit.rss - 1.2455138894E-01) <= 1e-8 * 1.2455138894E-01)
        let errors = try #require(fit.standardErrors)
        for j in 0..<2 {
            #expect(abs(errors[j] - certifiedErrors[j]) <= 1e-5 * certifiedErrors[j])
        }
        let s = try #require(fit.residualStandardDeviation)
        #expect(abs(s - 1.0187876330E-01) <= 1e-8)
    }
}
