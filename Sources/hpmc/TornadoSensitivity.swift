import FileOutput
import Sensitivity
import SVGCharts

/// `--method tornado`: each input at its P5 and its P95 with every other input central.
struct TornadoAnalysis: SensitivityAnalysis {
    static let sizeOption: String? = nil

    init(_ command: SensitivityCommand, problem: SensitivityProblem, bootstrap: BootstrapOptions) {}

    func results(_ problem: SensitivityProblem, threads: Int, quiet: Bool) throws -> [TornadoResult] {
        try tornadoPerOutput(inputCount: problem.names.count, outputCount: problem.years.count, evaluate: problem.evaluateOverrides)
            .map { TornadoResult(tornado: $0, names: problem.names) }
    }
}

/// A tornado with the names of the inputs its bars refer to by index.
struct TornadoResult: SensitivityResult {
    static let method = SensitivityCommand.Method.tornado
    static let columns = ["low", "high", "swing"]
    var tornado: Tornado
    var names: [String]

    var rows: [SensitivityRow] { tornado.bars.map { SensitivityRow(parameter: names[$0.input], values: [$0.low, $0.high, $0.swing]) } }

    func chart(label: String, quantity: String) -> ChartSVG {
        var chart = TornadoChart(title: "\(label): tornado of \(quantity)", valueLabel: quantity, baseline: tornado.central)
        chart.entries = tornado.bars.map { .init(label: names[$0.input], low: $0.low, high: $0.high) }
        return ChartSVG { chart.svg() }
    }

    struct Summary: Encodable {
        /// The tornado's output with every input central, one per year.
        var central: [JSONNumber]
    }

    static func summary(_ results: [TornadoResult]) -> Summary { Summary(central: results.map { JSONNumber($0.tornado.central) }) }
}
