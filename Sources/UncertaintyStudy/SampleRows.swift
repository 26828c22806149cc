import CSV
import RoadmapModel
import Scenario

extension MonteCarloStudy {
    /// Outputs written per sample to `samples.csv`: horizon-year reduction, sales and value, total
    /// first; those in the focus.
    var sampleOutputs: [(column: String, computed: SeriesIndex)] {
        guard settings.focus.includes(year: setup.catalog.years[setup.yearCount - 1]) else { return [] }
        return Self.sampleOutputs(setup).filter { settings.focus.includes(setup.catalog[series: $0.computed]) }
    }

    /// Whether `samples.csv` has an output column: a focus may leave none.
    package var savesSampleOutputs: Bool { !sampleOutputs.isEmpty }

    static func sampleOutputs(_ setup: ModelSetup) -> [(column: String, computed: SeriesIndex)] {
        let catalog = setup.catalog
        let year = catalog.years[catalog.years.count - 1]
        let markets = [Names.total] + setup.scenario.markets.map(\.name)
        return sampleOutputMetrics.flatMap { metric in
            markets.map { market in
                ("\(metric.rawValue)_\(market)_\(year)", catalog.computedIndex(of: SeriesKey(market: market, metric: metric))!)
            }
        }
    }

    static let sampleOutputMetrics = [Metric.reduction, .sales, .value]

    /// Whether `name` has the form of an output column, METRIC_MARKET_YEAR (for a file read without its scenario).
    static func isSampleOutputColumn(_ name: String) -> Bool {
        let parts = name.split(separator: "_")
        guard let metric = parts.first, let year = parts.last, parts.count >= 3 else { return false }
        return sampleOutputMetrics.map(\.rawValue).contains(String(metric)) && year.count == 4 && year.allSatisfy { ("0"..."9").contains($0) }
    }

    /// The header of `samples.csv`: sample index, every input by name, then the outputs.
    package var samplesHeader: [String] { [Self.sampleIndexColumn] + mapping.names + sampleOutputs.map(\.column) }

    private static let sampleIndexColumn = "sample"

    /// Refuses input names that `samples.csv` already uses for its own columns (one name, two columns).
    package static func checkInputNames(_ setup: ModelSetup, file: String) throws {
        let reserved = [sampleIndexColumn] + sampleOutputs(setup).map(\.column)
        for (i, input) in setup.scenario.uncertain.enumerated() where reserved.contains(input.name) {
            throw InputError(file: file, keyPath: "uncertain[\(i)].name", line: input.line,
                             message: "'\(input.name)' is a column of samples.csv already; reserved: \(reserved.joined(separator: ", "))")
        }
    }

    /// CSV lines of `count` samples from `first`: drawn inputs (in their own units) and outputs (roadmap
    /// units); a non-finite output is an empty cell.
    func sampleRows(first: Int, count: Int, drawn: UnsafeMutableBufferPointer<Double>, kernel: ModelKernel) -> String {
        let outputs = sampleOutputs.map { setup.catalog.outputOffset($0.computed, year: setup.yearCount - 1, lanes: kernel.lanes) }
        var text = ""
        for i in 0..<count {
            var fields = [String(first + i)]
            for d in 0..<mapping.count { fields.append(CSV.number(drawn[d * count + i])) }
            for output in outputs { fields.append(CSV.number(kernel.outputs[output + i])) }
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }
}
