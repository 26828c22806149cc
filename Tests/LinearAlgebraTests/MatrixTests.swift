import Testing
import LinearAlgebra

@Suite struct MatrixTests {
    @Test func rowMajorInitialiserStoresColumnMajor() {
        let a = Matrix(rowMajor: [[1, 2, 3], [4, 5, 6]])
        #expect(a.rows == 2 && a.columns == 3)
        #expect(a.elements == [1, 4, 2, 5, 3, 6])
        #expect(a[1, 2] == 6)
        #expect(a == Matrix(rows: 2, columns: 3, columnMajor: [1, 4, 2, 5, 3, 6]))
        #expect(a.column(1) == [2, 5])
    }

    @Test func transposeAndIdentity() {
        let a = Matrix(rowMajor: [[1, 2, 3], [4, 5, 6]])
        #expect(a.transposed == Matrix(rowMajor: [[1, 4], [2, 5], [3, 6]]))
        #expect(Matrix.identity(2) == Matrix(rowMajor: [[1, 0], [0, 1]]))
        #expect(a * Matrix.identity(3) == a)
    }

    @Test func productsMatchHandComputation() {
        let a = Matrix(rowMajor: [[1, 2], [3, 4], [5, 6]])
        let b = Matrix(rowMajor: [[7, 8, 9], [10, 11, 12]])
        #expect(a * b == Matrix(rowMajor: [[27, 30, 33], [61, 68, 75], [95, 106, 117]]))
        #expect(a * [1, -1] == [-1, -1, -1])
        #expect(a.transposeTimes([1, 1, 1]) == [9, 12])
    }

    @Test func subscriptWrites() {
        var a = Matrix(rows: 2, columns: 2, repeating: 0)
        a[0, 1] = 5
        #expect(a.elements == [0, 0, 5, 0])
        #expect(a.isFinite)
        a[1, 1] = .nan
        #expect(!a.isFinite)
    }
}
