/// One input's bar of a tornado chart.
public struct TornadoBar: Sendable, Hashable {
    /// Index of the input.
    public let input: Int
    /// Output with the input at the low quantile level, all others central.
    public let low: Double
    /// Output with the input at the high quantile level, all others central.
    public let high: Double
    /// |high − low|.
    public let swing: Double
}

/// A one-at-a-time sensitivity chart.
public struct Tornado: Sendable, Hashable {
    /// Output with every input at its central value.
    public let central: Double
    /// One bar per input, largest swing first (ties by input index).
    public let bars: [TornadoBar]
}

/// Moves each input alone to the quantile levels `low` and `high`, the others central.
///
/// `evaluate(overrides)` must return the output with only the listed inputs moved to the given uniform
/// levels and every other input at the value the caller calls central; it is called once with no
/// override and twice per input, in input order.
public func tornado(inputCount: Int, low: Double = 0.05, high: Double = 0.95,
                    evaluate: (_ overrides: [(input: Int, u: Double)]) throws -> Double) throws -> Tornado {
    guard inputCount >= 1 else { throw SensitivityError.noInputs }
    guard low > 0, low < high, high < 1 else { throw SensitivityError.invalidQuantileLevels(low: low, high: high) }
    var evaluationIndex = 0
    func checked(_ overrides: [(input: Int, u: Double)]) throws -> Double {
        let value = try evaluate(overrides)
        guard value.isFinite else { throw SensitivityError.nonFiniteOutput(index: evaluationIndex, value: value) }
        evaluationIndex += 1
        return value
    }
    let central = try checked([])
    var bars: [TornadoBar] = []
    bars.reserveCapacity(inputCount)
    for input in 0..<inputCount {
        let atLow = try checked([(input, low)]), atHigh = try checked([(input, high)])
        bars.append(TornadoBar(input: input, low: atLow, high: atHigh, swing: abs(atHigh - atLow)))
    }
    bars.sort { $0.swing > $1.swing || ($0.swing == $1.swing && $0.input < $1.input) }
    return Tornado(central: central, bars: bars)
}

/// `tornado` for a model with `outputCount` outputs (such as one series in several years), each input
/// moved once for all of them: entry o equals, bit for bit, `tornado` on output o alone.
/// `evaluate(overrides)` returns the `outputCount` outputs.
public func tornadoPerOutput(inputCount: Int, outputCount: Int, low: Double = 0.05, high: Double = 0.95,
                             evaluate: (_ overrides: [(input: Int, u: Double)]) throws -> [Double]) throws -> [Tornado] {
    guard inputCount >= 1 else { throw SensitivityError.noInputs }
    guard low > 0, low < high, high < 1 else { throw SensitivityError.invalidQuantileLevels(low: low, high: high) }
    let central = try evaluate([])
    let moved = try (0..<inputCount).map { input in (low: try evaluate([(input, low)]), high: try evaluate([(input, high)])) }
    return try (0..<outputCount).map { o in
        // Replays the evaluations above as `tornado` asks for them.
        try tornado(inputCount: inputCount, low: low, high: high) { overrides in
            guard let change = overrides.first else { return central[o] }
            return change.u == low ? moved[change.input].low[o] : moved[change.input].high[o]
        }
    }
}
