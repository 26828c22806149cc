import Sensitivity
import SVGCharts

/// `--method morris`: elementary effects over trajectories on a grid of levels.
struct MorrisAnalysis: SensitivityAnalysis {
    static let sizeOption: String? = "--trajectories"
    let design: MorrisDesign
    let bootstrap: BootstrapOptions

    init(_ command: SensitivityCommand, problem: SensitivityProblem, bootstrap: BootstrapOptions) throws {
        try bootstrap.validate()
        design = try MorrisDesign(inputNames: problem.names, groups: try command.parseGroups(problem.names), trajectories: command.morrisTrajectories,
                                  levels: command.morrisLevels, seed: command.seed)
        self.bootstrap = bootstrap
    }

    func results(_ problem: SensitivityProblem, threads: Int, quiet: Bool) throws -> [MorrisIndices] {
        try morrisIndicesPerOutput(design, threads: threads, bootstrap: bootstrap, makeEvaluator: problem.makeEvaluator)
    }
}

extension MorrisIndices: SensitivityResult {
    static let method = SensitivityCommand.Method.morris
    static let columns = ["mu_star", "mu_star_conf", "mu", "sigma"]

    var rows: [SensitivityRow] { names.indices.map { SensitivityRow(parameter: names[$0], values: [muStar[$0], muStarConf[$0], mu[$0], sigma[$0]]) } }

    func chart(label: String, quantity: String) -> ChartSVG {
        var chart = BarChart(title: "\(label): Morris screening of \(quantity)", categoryLabel: "input", valueLabel: "elementary effect per unit of quantile level", categories: names)
        chart.addSeries(name: "mu* (95 % interval)", values: muStar, lower: zip(muStar, muStarConf).map { $0 - $1 },
                        upper: zip(muStar, muStarConf).map { $0 + $1 }, colour: Palette.blue)
        chart.addSeries(name: "sigma", values: sigma, colour: Palette.orange)
        return ChartSVG { chart.svg() }
    }

    struct Summary: Encodable {
        var evaluations: Int?
        var trajectories: Int?
    }

    static func summary(_ results: [MorrisIndices]) -> Summary {
        Summary(evaluations: results.last?.evaluations, trajectories: results.last?.trajectories)
    }
}
