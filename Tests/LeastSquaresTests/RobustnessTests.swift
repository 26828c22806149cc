import Foundation
import Testing
import LinearAlgebra
import LeastSquares

@Suite struct BoundsTests {
    @Test func minimumOutsideTheBoxStopsOnTheBound() throws {
        let problem = LeastSquaresProblem(parameterCount: 1, residualCount: 1,
                                          residuals: { p in [p[0] - 3] }, upperBounds: [2])
        let fit = try levenbergMarquardt(problem, start: [0])
        #expect(fit.converged)
        #expect(fit.parameters == [2])
        #expect(abs(fit.rss - 1) < 1e-12)
    }

    // Rosenbrock with x1 ≤ 0.5: the constrained minimum is (0.5, 0.25), where only 1 − x1 remains.
    @Test func rosenbrockWithActiveBound() throws {
        let problem = LeastSquaresProblem(
            parameterCount: 2, residualCount: 2,
            residuals: { p in [10 * (p[1] - p[0] * p[0]), 1 - p[0]] },
            lowerBounds: [-.infinity, -.infinity], upperBounds: [0.5, .infinity])
        let fit = try levenbergMarquardt(problem, start: [-1.2, 1])
        #expect(fit.converged)
        #expect(abs(fit.parameters[0] - 0.5) < 1e-12 && abs(fit.parameters[1] - 0.25) < 1e-8)
        #expect(abs(fit.rss - 0.25) < 1e-12)
    }

    @Test func startOutsideTheBoxIsProjected() throws {
        let problem = LeastSquaresProblem(parameterCount: 1, residualCount: 1,
                                          residuals: { p in [p[0] - 0.5] }, lowerBounds: [0], upperBounds: [1])
        let fit = try levenbergMarquardt(problem, start: [7])
        #expect(abs(fit.parameters[0] - 0.5) < 1e-12)
    }
}

@Suite struct NonFiniteHandlingTests {
    @Test func nonFiniteStartIsAnError() {
        let problem = LeastSquaresProblem(parameterCount: 1, residualCount: 1, residuals: { p in [log(p[0])] })
        #expect(throws: LeastSquaresError.nonFiniteResidualsAtStart) {
            try levenbergMarquardt(problem, start: [-1])
        }
        #expect(LeastSquaresError.nonFiniteResidualsAtStart.description.contains("starting point"))
    }

    // The Gauss–Newton step from p = 1 lands at p ≈ −5.9 where log is NaN; it must be rejected
    // and the damped iteration still reach log p = log 0.001.
    @Test func stepsIntoNaNRegionAreRejected() throws {
        let problem = LeastSquaresProblem(parameterCount: 1, residualCount: 1,
                                          residuals: { p in [log(p[0]) - log(0.001)] },
                                          jacobian: { p in Matrix(rows: 1, columns: 1, columnMajor: [1 / p[0]]) })
        let fit = try levenbergMarquardt(problem, start: [1])
        #expect(fit.converged)
        #expect(abs(fit.parameters[0] - 0.001) < 1e-12)
        #expect(fit.rss.isFinite)
    }

    @Test func iterationLimitReportsNotConverged() throws {
        let problem = LeastSquaresProblem(parameterCount: 2, residualCount: 2,
                                          residuals: { p in [10 * (p[1] - p[0] * p[0]), 1 - p[0]] })
        let fit = try levenbergMarquardt(problem, start: [-1.2, 1], options: .init(maxIterations: 3))
        #expect(!fit.converged)
        #expect(fit.stopReason == .maxIterations)
        #expect(fit.iterations == 3)
        #expect(fit.parameters.allSatisfy { $0.isFinite } && fit.rss.isFinite)
    }

    // exp(p) + 1 has no minimiser: the iteration must stop with finite numbers, whatever the reason.
    @Test func problemWithoutMinimiserStaysFinite() throws {
        let problem = LeastSquaresProblem(parameterCount: 1, residualCount: 2,
                                          residuals: { p in [exp(p[0]) + 1, exp(p[0]) + 2] })
        let fit = try levenbergMarquardt(problem, start: [0])
        #expect(fit.parameters.allSatisfy { $0.isFinite })
        #expect(fit.rss.isFinite && fit.rss >= 5)
        #expect(fit.residuals.allSatisfy { $0.isFinite })
    }
}

@Suite struct ProblemValidationTests {
    private let line = LeastSquaresProblem(parameterCount: 2, residualCount: 3,
                                           residuals: { p in [p[0], p[1], p[0] + p[1]] })

    @Test func wrongStartLengthIsRejected() {
        #expect(throws: LeastSquaresError.self) { try levenbergMarquardt(line, start: [1]) }
    }

    @Test func wrongResidualCountIsRejected() {
        var problem = line
        problem.residualCount = 4
        #expect(throws: LeastSquaresError.self) { try levenbergMarquardt(problem, start: [1, 1]) }
    }

    @Test func emptyBoxIsRejected() {
        var problem = line
        problem.lowerBounds = [1, 1]
        problem.upperBounds = [0, 2]
        do {
            _ = try levenbergMarquardt(problem, start: [1, 1])
            Issue.record("an empty box must be rejected")
        } catch let error as LeastSquaresError {
            #expect(error.description.contains("parameter 0"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func wrongJacobianShapeIsRejected() {
        var problem = line
        problem.jacobian = { _ in Matrix.identity(2) }
        #expect(throws: LeastSquaresError.self) { try levenbergMarquardt(problem, start: [1, 1]) }
    }
}

@Suite struct OverflowTests {
    // Each residual is finite but their squares overflow: treated like non-finite residuals.
    @Test func overflowingSumOfSquaresAtStartIsAnError() {
        let problem = LeastSquaresProblem(parameterCount: 1, residualCount: 1, residuals: { p in [p[0] * 1e200] })
        #expect(throws: LeastSquaresError.nonFiniteResidualsAtStart) {
            try levenbergMarquardt(problem, start: [1e10])
        }
    }
}

/// Convergence is claimed only at a point where the data determine the free parameters.
@Suite struct IdentifiabilityTests {
    // p1 never enters the residuals: its column of J is zero, so no criterion can vouch for it.
    @Test func parameterWithoutEffectIsUnidentified() throws {
        let problem = LeastSquaresProblem(parameterCount: 2, residualCount: 3,
                                          residuals: { p in [p[0] - 1, p[0] - 2, p[0] - 3] })
        let fit = try levenbergMarquardt(problem, start: [0, 5])
        #expect(!fit.converged)
        #expect(fit.stopReason == .unidentified)
        #expect(abs(fit.parameters[0] - 2) < 1e-9)   // the identified part is still solved (forward differences)
        #expect(fit.stopReason.explanation.contains("identify"))
    }

    // Only p0 + p1 matters: the columns are equal, independent of their scale.
    @Test func parametersWithTheSameEffectAreUnidentified() throws {
        let problem = LeastSquaresProblem(parameterCount: 2, residualCount: 2,
                                          residuals: { p in [p[0] + 1e6 * p[1] - 1, 2 * (p[0] + 1e6 * p[1]) - 3] })
        let fit = try levenbergMarquardt(problem, start: [0, 0])
        #expect(fit.stopReason == .unidentified && !fit.converged)
    }

    // The same line with a second, independent column converges: the check is not a blanket refusal,
    // also with columns whose norms differ by 1e12.
    @Test func independentColumnsOfVeryDifferentScaleConverge() throws {
        let problem = LeastSquaresProblem(parameterCount: 2, residualCount: 3,
                                          residuals: { p in (0..<3).map { i in p[0] + 1e12 * p[1] * Double(i) - Double(2 * i + 1) } })
        let fit = try levenbergMarquardt(problem, start: [0, 0])
        #expect(fit.converged && fit.stopReason.isConvergence)
        #expect(abs(fit.parameters[0] - 1) < 1e-9 && abs(fit.parameters[1] - 2e-12) < 1e-21)
    }

    // Entries whose squares overflow never reach LAPACK (it would print to stderr and fail).
    @Test func jacobianWhoseNormOverflowsAtStartIsAnError() {
        let problem = LeastSquaresProblem(parameterCount: 1, residualCount: 2, residuals: { p in [p[0], p[0] - 1] },
                                          jacobian: { _ in Matrix(rows: 2, columns: 1, columnMajor: [1e200, 1]) })
        #expect(throws: LeastSquaresError.nonFiniteJacobianAtStart) { try levenbergMarquardt(problem, start: [0]) }
    }
}
