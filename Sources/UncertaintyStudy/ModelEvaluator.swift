import RoadmapModel
import Scenario
import Sensitivity

/// The roadmap model as a function of its uncertain inputs on the unit hypercube, reporting one
/// series in one or more years, all from the same kernel evaluation: what the sensitivity methods
/// evaluate. Inputs are drawn independently
/// (a scenario's rank correlations do not apply: Sobol' indices assume independent inputs).
public struct ModelEvaluator: BatchEvaluator, @unchecked Sendable {
    let evaluator: ChunkEvaluator
    /// The reported series and the indices of its reported years.
    let series: SeriesIndex, yearIndices: [Int]
    /// Offset of each reported year's row in the kernel's outputs.
    let outputs: [Int]

    var mapping: InputMapping { evaluator.mapping }

    /// The quantity analysed: a market (or total) and metric in one or more years.
    public struct Target: Sendable {
        public var market: String
        public var metric: Metric
        public var years: [Int]
        public init(market: String, metric: Metric, years: [Int]) { self.market = market; self.metric = metric; self.years = years }
        public init(market: String, metric: Metric, year: Int) { self.init(market: market, metric: metric, years: [year]) }
    }

    /// An evaluator of `target`'s series under `mapping`'s inputs; throws for a market the scenario lacks.
    public init(setup: ModelSetup, mapping: InputMapping, target: Target) throws {
        guard let series = setup.catalog.computedIndex(of: SeriesKey(market: target.market, metric: target.metric)) else {
            let markets = (setup.scenario.markets.map(\.name) + [Names.total]).joined(separator: ", ")
            throw StudyError(.analysedMarket, "'\(target.market)' is not a market of the scenario; it has \(markets)")
        }
        guard !target.years.isEmpty else { throw StudyError(.analysedYears, "no year given") }
        let yearIndices = try target.years.map { year in
            guard let index = setup.catalog.years.firstIndex(of: year) else {
                throw StudyError(.analysedYears, "\(year) is outside \(setup.catalog.years.first!)...\(setup.catalog.years.last!)")
            }
            return index
        }
        self.init(setup: setup, mapping: mapping, series: series, yearIndices: yearIndices)
    }

    private init(setup: ModelSetup, mapping: InputMapping, series: SeriesIndex, yearIndices: [Int]) {
        // The points come from the caller, so it draws no chunks of its own.
        evaluator = ChunkEvaluator(setup: setup, mapping: mapping, chunkCapacity: 0)
        self.series = series
        self.yearIndices = yearIndices
        outputs = yearIndices.map { setup.catalog.outputOffset(series, year: $0, lanes: StudySettings.kernelLanes) }
    }

    /// An evaluator of the same quantity with its own kernel and buffers, for another thread.
    public func copy() -> ModelEvaluator {
        ModelEvaluator(setup: evaluator.kernel.setup, mapping: mapping, series: series, yearIndices: yearIndices)
    }

    /// One output per year of the target, in its order.
    public var outputsPerPoint: Int { outputs.count }

    /// Evaluates `count` points (uniforms, one row of `count` per input) into one row of `count` per output.
    public mutating func evaluate(points: UnsafeBufferPointer<Double>, count: Int, into outputs: UnsafeMutableBufferPointer<Double>) {
        let kernelOutputs = evaluator.outputs
        evaluator.evaluate(points: points, count: count) { offset, n in
            for (o, output) in self.outputs.enumerated() {
                for i in 0..<n { outputs[o * count + offset + i] = kernelOutputs[output + i] }
            }
        }
    }

    /// The outputs (one per year of the target) with the given inputs at quantile levels and every
    /// other input at its central value.
    public func evaluate(overrides: [(input: Int, u: Double)]) -> [Double] {
        let single = ModelKernel(setup: evaluator.kernel.setup, lanes: 1, varyingSlots: mapping.varyingSlots)
        for (input, u) in overrides {
            single.inputs(of: mapping.slot(input: input))[0] = mapping.slotValue(input: input, drawn: mapping.inputs[input].distribution.quantile(u))
        }
        single.evaluate(count: 1)
        return yearIndices.map { single.outputs[single.setup.catalog.outputOffset(series, year: $0, lanes: 1)] }
    }
}
