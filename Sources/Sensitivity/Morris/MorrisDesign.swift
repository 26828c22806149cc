import RandomStreams

/// Morris (1991) random trajectories on a p-level grid, one row per trajectory.
///
/// The grid levels are the midpoints (l + 1/2) / p, l = 0 … p−1, of p equiprobable bins, so every point
/// lies strictly inside (0, 1) and maps through any inverse CDF. Each move jumps p / 2 levels, Morris's
/// Δ = p / (2(p − 1)) in units of the grid span; in the unit coordinates the model sees that is
/// `step` = 1/2. A trajectory starts at a random grid point, then moves each factor once, in random
/// order, up or down at random; all inputs of a group move together, in the group's direction.
public struct MorrisDesign: SensitivityDesign {
    /// Names of the model's inputs.
    public let inputNames: [String]
    /// Names of the factors: the inputs, or the groups.
    public let names: [String]
    /// Number of trajectories r.
    public let trajectories: Int
    /// Grid levels p (even).
    public let levels: Int
    /// Seed of the trajectories and of the bootstrap.
    public let seed: UInt64
    let factors: Factors
    private let stream: CounterStream

    public init(inputNames: [String], groups: [InputGroup]? = nil, trajectories: Int = 10, levels: Int = 4,
                seed: UInt64) throws(SensitivityError) {
        factors = try Factors(inputNames: inputNames, groups: groups)
        guard trajectories >= 2 else { throw .tooFewTrajectories(trajectories) }
        guard levels >= 2 else { throw .tooFewLevels(levels) }
        guard levels % 2 == 0 else { throw .oddLevels(levels) }
        self.inputNames = inputNames
        names = factors.names
        self.trajectories = trajectories
        self.levels = levels
        self.seed = seed
        stream = CounterStream(seed: seed, stream: streamKey("hpmc.sensitivity.morris.trajectories"))
        try checkEvaluationCount()
    }

    /// Number of factors k (inputs, or groups).
    public var factorCount: Int { factors.count }
    /// The change of a moved coordinate, in the unit coordinates the model sees.
    public var step: Double { Double(levels / 2) / Double(levels) }
    public var dimensions: Int { inputNames.count }
    public var rowCount: Int { trajectories }
    /// k + 1 points per trajectory.
    public var pointsPerRow: Int { factors.count + 1 }

    public func fill(rows: Range<Int>, into points: UnsafeMutableBufferPointer<Double>) {
        let inputs = dimensions, k = factors.count, count = rows.count * pointsPerRow
        precondition(points.count >= inputs * count, "point buffer too small")
        let width = 1 / Double(levels), jump = levels / 2
        withTrajectoryScratch { level, order, direction in
            for (local, trajectory) in rows.enumerated() {
                walk(trajectory: trajectory, startLevels: level, order: order, directions: direction)
                for m in 0...k {
                    if m > 0 {
                        let moved = order[m - 1]
                        for d in 0..<inputs where factors.factorOfInput[d] == moved { level[d] += direction[moved] * jump }
                    }
                    let p = local * pointsPerRow + m
                    for d in 0..<inputs { points[d * count + p] = (Double(level[d]) + 0.5) * width }
                }
            }
        }
    }

    /// Runs `body` with buffers for one trajectory's levels (per input), order and directions (per factor).
    func withTrajectoryScratch<R>(_ body: (UnsafeMutableBufferPointer<Int>, UnsafeMutableBufferPointer<Int>,
                                           UnsafeMutableBufferPointer<Int>) -> R) -> R {
        let inputs = dimensions, k = factors.count
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: inputs + 2 * k) { scratch in
            body(UnsafeMutableBufferPointer(rebasing: scratch[0..<inputs]),
                 UnsafeMutableBufferPointer(rebasing: scratch[inputs..<(inputs + k)]),
                 UnsafeMutableBufferPointer(rebasing: scratch[(inputs + k)...]))
        }
    }

    /// Trajectory `trajectory`: the grid level of each input at its first point, the order in which the
    /// factors move, and each factor's direction (+1 up, −1 down). Random access: draws at indices
    /// trajectory · (inputs + 2k) + … of the design's stream.
    func walk(trajectory: Int, startLevels: UnsafeMutableBufferPointer<Int>,
              order: UnsafeMutableBufferPointer<Int>, directions: UnsafeMutableBufferPointer<Int>) {
        let inputs = dimensions, k = factors.count, half = levels / 2
        let first = UInt64(trajectory) * UInt64(inputs + 2 * k)
        for g in 0..<k {
            directions[g] = stream.uniform(at: first + UInt64(inputs + g)) < 0.5 ? 1 : -1
            order[g] = g
        }
        // Fisher–Yates shuffle of the move order.
        for i in stride(from: k - 1, to: 0, by: -1) {
            let u = stream.uniform(at: first + UInt64(inputs + k + i))
            order.swapAt(i, min(Int(u * Double(i + 1)), i))
        }
        // The lower end of each input's jump lies in the bottom half of the grid; a factor moving down
        // starts at the upper end.
        for d in 0..<inputs {
            let lower = min(Int(stream.uniform(at: first + UInt64(d)) * Double(half)), half - 1)
            startLevels[d] = lower + (directions[factors.factorOfInput[d]] < 0 ? half : 0)
        }
    }
}
