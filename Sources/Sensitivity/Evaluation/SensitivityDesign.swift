/// A sampling plan of a sensitivity method: independent rows of points on the unit hypercube.
///
/// Evaluations are numbered row-major, evaluation `row * pointsPerRow + m` being point m of `row`, so any
/// contiguous range of rows is a contiguous range of evaluations: shards and chunks split by rows.
public protocol SensitivityDesign: Sendable {
    /// Coordinates of each point: the model's inputs.
    var dimensions: Int { get }
    /// Independent rows: base samples (Sobol') or trajectories (Morris).
    var rowCount: Int { get }
    /// Model evaluations per row.
    var pointsPerRow: Int { get }
    /// Writes the points of `rows` dimension-major: coordinate d of point p at `points[d * count + p]`,
    /// with count = rows.count · pointsPerRow and p = (row − rows.lowerBound) · pointsPerRow + m.
    /// Each row's points depend only on the row index.
    func fill(rows: Range<Int>, into points: UnsafeMutableBufferPointer<Double>)
}

/// Model evaluations a design may have: every output is kept in memory, 8 bytes each (2 GiB).
public let maximumEvaluations = 1 << 28

extension SensitivityDesign {
    /// Total model evaluations, rowCount · pointsPerRow.
    public var evaluations: Int { rowCount * pointsPerRow }

    /// Refuses a design whose evaluations exceed `maximumEvaluations` (or Int's range).
    func checkEvaluationCount() throws(SensitivityError) {
        let (count, overflow) = rowCount.multipliedReportingOverflow(by: pointsPerRow)
        guard !overflow, count <= maximumEvaluations else {
            throw .tooManyEvaluations(rows: rowCount, pointsPerRow: pointsPerRow, maximum: maximumEvaluations)
        }
    }
}

/// What every analysis checks before it reads a design's outputs.
func checkAnalysisInputs<Design: SensitivityDesign, Outputs: RandomAccessCollection<Double>>(
    _ design: Design, outputs: Outputs, threads: Int
) throws(SensitivityError) where Outputs.Index == Int {
    guard threads >= 1 else { throw .invalidThreadCount(threads) }
    guard outputs.count == design.evaluations else {
        throw .outputCountMismatch(expected: design.evaluations, actual: outputs.count)
    }
    if let bad = outputs.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteOutput(index: bad - outputs.startIndex, value: outputs[bad]) }
}
