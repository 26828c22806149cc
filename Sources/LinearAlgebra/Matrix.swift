/// A dense matrix of `Double` stored column-major, the layout LAPACK and BLAS expect.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// Entries in column-major order: entry (i, j) is `elements[i + j * rows]`.
    public var elements: [Double]

    /// A `rows` × `columns` matrix with every entry equal to `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        elements = [Double](repeating: value, count: rows * columns)
    }

    /// A matrix taking ownership of column-major `columnMajor` (count must be `rows * columns`).
    public init(rows: Int, columns: Int, columnMajor: [Double]) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        precondition(columnMajor.count == rows * columns,
                     "Matrix needs \(rows * columns) elements, got \(columnMajor.count)")
        self.rows = rows
        self.columns = columns
        elements = columnMajor
    }

    /// A matrix from a list of rows, as written on paper; all rows must have the same length.
    public init(rowMajor: [[Double]]) {
        let columnCount = rowMajor.first?.count ?? 0
        precondition(rowMajor.allSatisfy { $0.count == columnCount }, "Matrix rows must have equal length")
        self.init(rows: rowMajor.count, columns: columnCount)
        for (i, row) in rowMajor.enumerated() {
            for (j, value) in row.enumerated() { self[i, j] = value }
        }
    }

    /// The `n` × `n` identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var result = Matrix(rows: n, columns: n)
        for i in 0..<n { result[i, i] = 1 }
        return result
    }

    /// Entry at `row`, `column` (zero-based).
    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            return elements[row + column * rows]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            elements[row + column * rows] = newValue
        }
    }

    /// The transpose.
    public var transposed: Matrix {
        var result = Matrix(rows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { result.elements[j + i * columns] = elements[i + j * rows] }
        }
        return result
    }

    /// Column `j` as an array.
    public func column(_ j: Int) -> [Double] {
        precondition(j >= 0 && j < columns, "Matrix column out of range")
        return Array(elements[(j * rows)..<((j + 1) * rows)])
    }

    /// Whether every entry is finite.
    public var isFinite: Bool { elements.allSatisfy(\.isFinite) }
}
