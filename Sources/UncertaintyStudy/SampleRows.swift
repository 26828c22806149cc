import CSV
import RoadmapModel

extension MonteCarloStudy {
    /// Outputs written per sample to `samples.csv`: horizon-year reduction, sales and value, total first.
    var sampleOutputs: [(column: String, computed: Int)] {
        let catalog = setup.catalog
        let year = catalog.years[catalog.years.count - 1]
        let markets = [Names.total] + setup.scenario.markets.map(\.name)
        return [Metric.reduction, .sales, .value].flatMap { metric in
            markets.map { market in
                ("\(metric.rawValue)_\(market)_\(year)", catalog.computedIndex(of: SeriesKey(market: market, metric: metric))!)
            }
        }
    }

    /// The header of `samples.csv`: sample index, every input by name, then the outputs.
    public var samplesHeader: [String] { ["sample"] + mapping.names + sampleOutputs.map(\.column) }

    /// CSV lines of `count` samples from `first`: drawn inputs (in their own units) and outputs (roadmap
    /// units); a non-finite output is an empty cell.
    func sampleRows(first: Int, count: Int, drawn: UnsafeMutableBufferPointer<Double>, kernel: ModelKernel) -> String {
        let years = setup.yearCount, lanes = kernel.lanes
        let outputs = sampleOutputs
        var text = ""
        for i in 0..<count {
            var fields = [String(first + i)]
            for d in 0..<mapping.count { fields.append(CSV.number(drawn[d * count + i])) }
            for output in outputs { fields.append(CSV.number(kernel.outputs[(output.computed * years + years - 1) * lanes + i])) }
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }
}
