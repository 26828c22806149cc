import Testing
import LinearAlgebra

private func expectClose(_ a: Matrix, _ b: Matrix, tolerance: Double = 1e-12,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.rows == b.rows && a.columns == b.columns, sourceLocation: sourceLocation)
    for (x, y) in zip(a.elements, b.elements) {
        #expect(abs(x - y) <= tolerance * max(1, abs(y)), "\(x) vs \(y)", sourceLocation: sourceLocation)
    }
}

@Suite struct LinearLeastSquaresTests {
    @Test func squareSystemIsSolvedExactly() throws {
        let result = try leastSquares(Matrix(rowMajor: [[1, 1], [1, 2]]), [3, 5])
        #expect(result.rank == 2)
        #expect(abs(result.solution[0] - 1) < 1e-13 && abs(result.solution[1] - 2) < 1e-13)
    }

    // Strang, Introduction to Linear Algebra, §4.3: the best line through (0, 6), (1, 0), (2, 0)
    // is b = 5 − 3t.
    @Test func overdeterminedSystemGivesStrangsBestLine() throws {
        let a = Matrix(rowMajor: [[1, 0], [1, 1], [1, 2]])
        let result = try leastSquares(a, [6, 0, 0])
        #expect(abs(result.solution[0] - 5) < 1e-12)
        #expect(abs(result.solution[1] + 3) < 1e-12)
    }

    @Test func rankDeficientSystemGivesMinimumNormSolution() throws {
        let result = try leastSquares(Matrix(rowMajor: [[1, 1], [1, 1]]), [2, 2])
        #expect(result.rank == 1)
        #expect(abs(result.solution[0] - 1) < 1e-12 && abs(result.solution[1] - 1) < 1e-12)
    }

    @Test func mismatchedRightHandSideIsAnError() {
        #expect(throws: LAPACKError.self) { try leastSquares(Matrix.identity(2), [1, 2, 3]) }
    }
}

@Suite struct CholeskyTests {
    // Textbook example (e.g. Wikipedia, "Cholesky decomposition"): exact integer factor.
    @Test func factorOfIntegerExample() throws {
        let a = Matrix(rowMajor: [[4, 12, -16], [12, 37, -43], [-16, -43, 98]])
        let l = try choleskyLower(a)
        expectClose(l, Matrix(rowMajor: [[2, 0, 0], [6, 1, 0], [-8, 5, 3]]))
        expectClose(l * l.transposed, a)
    }

    // The tridiagonal (−1, 2, −1) matrix of order 3 has inverse (1/4)[[3,2,1],[2,4,2],[1,2,3]].
    @Test func inverseOfSecondDifferenceMatrix() throws {
        let a = Matrix(rowMajor: [[2, -1, 0], [-1, 2, -1], [0, -1, 2]])
        let inverse = try inverseSymmetricPositiveDefinite(a)
        expectClose(inverse, Matrix(rowMajor: [[0.75, 0.5, 0.25], [0.5, 1, 0.5], [0.25, 0.5, 0.75]]))
    }

    @Test func indefiniteMatrixReportsTheFailingMinor() {
        let indefinite = Matrix(rowMajor: [[1, 2], [2, 1]])
        #expect(throws: LAPACKError.notPositiveDefinite(routine: "dpotrf", minorOrder: 2)) {
            try choleskyLower(indefinite)
        }
        #expect(throws: LAPACKError.notPositiveDefinite(routine: "dpotrf", minorOrder: 1)) {
            try inverseSymmetricPositiveDefinite(Matrix(rowMajor: [[-1, 0], [0, 1]]))
        }
        let message = LAPACKError.notPositiveDefinite(routine: "dpotrf", minorOrder: 2).description
        #expect(message.contains("dpotrf") && message.contains("order 2"))
    }

    @Test func nonSquareIsRejected() {
        #expect(throws: LAPACKError.self) { try choleskyLower(Matrix(rows: 2, columns: 3)) }
    }
}

@Suite struct InverseGramTests {
    // AᵀA = [[2, 10], [10, 200]], whose inverse is [[200, −10], [−10, 2]] / 300; the column
    // scales differ so that the pivoted QR reorders the columns.
    @Test func matchesHandComputedInverse() throws {
        let a = Matrix(rowMajor: [[1, 0], [0, 10], [1, 10]])
        let inverse = try inverseGram(a)
        expectClose(inverse, Matrix(rowMajor: [[200.0 / 300, -10.0 / 300], [-10.0 / 300, 2.0 / 300]]))
    }

    @Test func rankDeficientMatrixIsSingular() {
        let a = Matrix(rowMajor: [[1, 2], [2, 4], [3, 6]])
        #expect(throws: LAPACKError.self) { try inverseGram(a) }
        #expect(throws: LAPACKError.self) { try inverseGram(Matrix(rowMajor: [[1, 2, 3]])) }
    }
}

@Suite struct NumericalRankTests {
    @Test func rankOfFullDeficientAndZeroMatrices() throws {
        let full = Matrix(rowMajor: [[1, 0], [0, 1], [1, 1]])
        #expect(try numericalRank(full, rankTolerance: 1e-10) == 2)
        let dependent = Matrix(rowMajor: [[1, 2], [2, 4], [3, 6]])
        #expect(try numericalRank(dependent, rankTolerance: 1e-10) == 1)
        #expect(try numericalRank(Matrix(rows: 3, columns: 2), rankTolerance: 1e-10) == 0)
        // Wide: at most as many as rows.
        #expect(try numericalRank(Matrix(rowMajor: [[1, 2, 3]]), rankTolerance: 1e-10) == 1)
    }
}

/// What LAPACK cannot take is refused before the call, so LAPACK never prints to stderr.
@Suite struct UnrepresentableInputTests {
    @Test func nonFiniteOrOverflowingOperandsAreRefused() {
        let routine = "dgelsd"
        #expect(throws: LAPACKError.notRepresentable(routine: routine)) {
            try leastSquares(Matrix(rowMajor: [[.nan, 1], [0, 1]]), [1, 1])
        }
        #expect(throws: LAPACKError.notRepresentable(routine: routine)) {
            try leastSquares(Matrix(rowMajor: [[1e200, 1], [0, 1]]), [1, 1])
        }
        #expect(throws: LAPACKError.notRepresentable(routine: routine)) {
            try leastSquares(Matrix(rowMajor: [[1, 0], [0, 1]]), [.infinity, 1])
        }
        #expect(throws: LAPACKError.notRepresentable(routine: "dgeqp3")) {
            try inverseGram(Matrix(rowMajor: [[.infinity, 0], [0, 1], [1, 1]]))
        }
        #expect(throws: LAPACKError.notRepresentable(routine: "dpotrf")) {
            try choleskyLower(Matrix(rowMajor: [[.nan, 0], [0, 1]]))
        }
    }
}
