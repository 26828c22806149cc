import Testing
import Sensitivity

@Suite struct TornadoTests {
    @Test func swingsAreExactAndSorted() throws {
        // f = 3 u0 − 10 u1 + u2², central u = 1/2.
        func f(_ u: [Double]) -> Double { 3 * u[0] - 10 * u[1] + u[2] * u[2] }
        var calls = 0
        let chart = try tornado(inputCount: 3, low: 0.25, high: 0.75) { overrides in
            calls += 1
            var u = [0.5, 0.5, 0.5]
            for (input, level) in overrides { u[input] = level }
            return f(u)
        }
        #expect(calls == 7)
        #expect(chart.central == f([0.5, 0.5, 0.5]))
        #expect(chart.bars.map(\.input) == [1, 0, 2])
        #expect(chart.bars[0].low == f([0.5, 0.25, 0.5]) && chart.bars[0].high == f([0.5, 0.75, 0.5]))
        #expect(chart.bars[0].swing == 5)
        #expect(chart.bars[1].low == f([0.25, 0.5, 0.5]) && chart.bars[1].high == f([0.75, 0.5, 0.5]))
        #expect(chart.bars[1].swing == 1.5)
        #expect(chart.bars[2].swing == 0.75 * 0.75 - 0.25 * 0.25)
    }

    @Test func tiesKeepInputOrder() throws {
        let chart = try tornado(inputCount: 4) { overrides in overrides.first.map { $0.input == 2 ? 0 : $0.u } ?? 0 }
        #expect(chart.bars.map(\.input) == [0, 1, 3, 2])
        #expect(chart.bars[0].low == 0.05 && chart.bars[0].high == 0.95)
    }

    @Test func rejectsBadArguments() {
        #expect(throws: SensitivityError.noInputs) { try tornado(inputCount: 0) { _ in 0 } }
        #expect(throws: SensitivityError.invalidQuantileLevels(low: 0.9, high: 0.1)) {
            try tornado(inputCount: 1, low: 0.9, high: 0.1) { _ in 0 }
        }
        #expect(throws: SensitivityError.invalidQuantileLevels(low: 0, high: 0.5)) {
            try tornado(inputCount: 1, low: 0, high: 0.5) { _ in 0 }
        }
        #expect(throws: SensitivityError.nonFiniteOutput(index: 1, value: .infinity)) {
            try tornado(inputCount: 1) { $0.isEmpty ? 0 : .infinity }
        }
    }
}
