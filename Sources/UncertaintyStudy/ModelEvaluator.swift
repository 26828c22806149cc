import RoadmapModel
import Scenario
import Sensitivity

/// The roadmap model as a function of its uncertain inputs on the unit hypercube, reporting one
/// series in one or more years, all from the same kernel evaluation: what the sensitivity methods
/// evaluate. Inputs are drawn independently
/// (a scenario's rank correlations do not apply: Sobol' indices assume independent inputs).
public struct ModelEvaluator: BatchEvaluator, @unchecked Sendable {
    let mapping: InputMapping
    let kernel: ModelKernel
    /// Offset of each reported year's row in the kernel's outputs.
    let outputs: [Int]
    let scratch: Scratch

    /// Per-evaluator buffers, freed with it.
    final class Scratch {
        let drawn: UnsafeMutableBufferPointer<Double>
        let uniforms: UnsafeMutableBufferPointer<Double>
        init(capacity: Int) {
            drawn = .allocate(capacity: capacity)
            uniforms = .allocate(capacity: capacity)
        }
        deinit {
            drawn.deallocate()
            uniforms.deallocate()
        }
    }

    /// The quantity analysed: a market (or total) and metric in one or more years.
    public struct Target: Sendable {
        public var market: String
        public var metric: Metric
        public var years: [Int]
        public init(market: String, metric: Metric, years: [Int]) { self.market = market; self.metric = metric; self.years = years }
        public init(market: String, metric: Metric, year: Int) { self.init(market: market, metric: metric, years: [year]) }
    }

    public init(setup: ModelSetup, mapping: InputMapping, target: Target) throws {
        guard let series = setup.catalog.computedIndex(of: SeriesKey(market: target.market, metric: target.metric)) else {
            let markets = (setup.scenario.markets.map(\.name) + [Names.total]).joined(separator: ", ")
            throw SettingsError(option: "--market", message: "'\(target.market)' is not a market of the scenario; it has \(markets)")
        }
        guard !target.years.isEmpty else { throw SettingsError(option: "--years", message: "no year given") }
        let outputs = try target.years.map { year in
            guard let index = setup.catalog.years.firstIndex(of: year) else {
                throw SettingsError(option: target.years.count == 1 ? "--year" : "--years",
                                    message: "\(year) is outside \(setup.catalog.years.first!)...\(setup.catalog.years.last!)")
            }
            return MonteCarloStudy.rowOffset(computed: series, year: index, years: setup.yearCount, lanes: StudySettings.kernelLanes)
        }
        self.init(setup: setup, mapping: mapping, outputs: outputs)
    }

    private init(setup: ModelSetup, mapping: InputMapping, outputs: [Int]) {
        self.mapping = mapping
        kernel = ModelKernel(setup: setup, lanes: StudySettings.kernelLanes, varyingSlots: mapping.varyingSlots)
        self.outputs = outputs
        scratch = Scratch(capacity: max(1, mapping.count) * StudySettings.kernelLanes)
    }

    /// An evaluator of the same quantity with its own kernel and buffers, for another thread.
    public func copy() -> ModelEvaluator {
        ModelEvaluator(setup: kernel.setup, mapping: mapping, outputs: outputs)
    }

    /// One output per year of the target, in its order.
    public var outputsPerPoint: Int { outputs.count }

    public mutating func evaluate(points: UnsafeBufferPointer<Double>, count: Int, into outputs: UnsafeMutableBufferPointer<Double>) {
        let lanes = StudySettings.kernelLanes
        var offset = 0
        while offset < count {
            let n = min(lanes, count - offset)
            for d in 0..<mapping.count {
                for i in 0..<n { scratch.uniforms[d * n + i] = points[d * count + offset + i] }
            }
            mapping.fill(kernel: kernel, uniforms: scratch.uniforms, stride: n, offset: 0, count: n, drawn: scratch.drawn)
            kernel.evaluate(count: n)
            for (o, output) in self.outputs.enumerated() {
                for i in 0..<n { outputs[o * count + offset + i] = kernel.outputs[output + i] }
            }
            offset += n
        }
    }

    /// The outputs (one per year of the target) with the given inputs at quantile levels and every
    /// other input at its central value.
    public func evaluate(overrides: [(input: Int, u: Double)]) -> [Double] {
        let single = ModelKernel(setup: kernel.setup, lanes: 1, varyingSlots: mapping.varyingSlots)
        for (input, u) in overrides {
            single.inputs(of: mapping.slot(input: input))[0] = mapping.slotValue(input: input, drawn: mapping.inputs[input].distribution.quantile(u))
        }
        single.evaluate(count: 1)
        return outputs.map { single.outputs[$0 / StudySettings.kernelLanes] }
    }
}
