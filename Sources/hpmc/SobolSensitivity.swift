import FileOutput
import ParallelRunner
import Sensitivity
import SVGCharts

/// `--method sobol`: Saltelli sampling, first-order and total indices with asymptotic or bootstrap intervals.
struct SobolAnalysis: SensitivityAnalysis {
    static let sizeOption: String? = "--samples"
    let design: SobolDesign
    let intervals: SobolIntervals

    init(_ command: SensitivityCommand, problem: SensitivityProblem, bootstrap: BootstrapOptions) throws {
        switch command.intervals ?? .asymptotic {
        case .asymptotic: intervals = .asymptotic()
        case .bootstrap: intervals = .bootstrap(bootstrap)
        }
        try intervals.validate()
        design = try SobolDesign(inputNames: problem.names, groups: try command.parseGroups(problem.names), baseSamples: command.sobolSamples,
                                 secondOrder: command.secondOrder, seed: command.seed)
        if let asked = design.roundedFrom {
            printError("note: --samples \(asked) rounded up to \(design.baseSamples), a power of two (Sobol' points)")
        }
    }

    /// Bytes an analysis holds per model evaluation and output: its output, the output's own copy and
    /// the analysis' arrays. Measured (peak RSS against --samples): about 47 for CNS, 60 for Ishigami.
    static let bytesPerEvaluation = 64.0

    func results(_ problem: SensitivityProblem, threads: Int, quiet: Bool) throws -> [SobolIndices] {
        // Refused up front: an allocation the system refuses (`ulimit -v`) would otherwise trap.
        let needed = Double(design.evaluations) * Self.bytesPerEvaluation * Double(max(1, problem.years.count))
        if let available = usableMemoryBytes(), needed > Double(available) {
            throw SettingsError(option: "--samples", message: String(format: "%d samples (%d model runs) need about %.1f GB; this machine allows %.1f GB",
                                                                     design.baseSamples, design.evaluations, needed / 1e9, Double(available) / 1e9))
        }
        var progress = ProgressReporter(total: design.evaluations, label: "\(problem.label) sobol", unit: "runs", quiet: quiet)
        defer { progress.finish() }  // on an error too: its line then starts clean
        let indices = try sobolIndicesPerOutput(design, threads: threads, intervals: intervals,
                                                progress: { done, _ in progress.update(completed: done) }, makeEvaluator: problem.makeEvaluator)
        return indices
    }
}

extension SobolIndices: SensitivityResult {
    static let method = SensitivityCommand.Method.sobol
    static let columns = ["S1", "S1_conf", "ST", "ST_conf"]
    static let yearsChartFile = "sensitivity-sobol-years.svg"
    static var chartFiles: [String] { [chartFile, yearsChartFile] }
    /// Inputs whose S1 stays below this in every year are drawn together as "others" in the years chart.
    static let minorShare = 0.02

    var rows: [SensitivityRow] { names.indices.map { SensitivityRow(parameter: names[$0], values: [S1[$0], S1_conf[$0], ST[$0], ST_conf[$0]]) } }

    func chart(label: String, quantity: String) -> ChartSVG {
        var chart = BarChart(title: "\(label): Sobol' indices of \(quantity)", categoryLabel: "input", valueLabel: "Sobol' index (fraction of variance)", categories: names)
        chart.addSeries(name: "first order S1 (95 % interval)", values: S1, lower: zip(S1, S1_conf).map { $0 - $1 },
                        upper: zip(S1, S1_conf).map { $0 + $1 }, colour: Palette.blue)
        chart.addSeries(name: "total ST (95 % interval)", values: ST, lower: zip(ST, ST_conf).map { $0 - $1 },
                        upper: zip(ST, ST_conf).map { $0 + $1 }, colour: Palette.orange)
        return ChartSVG { chart.svg() }
    }

    struct Summary: Encodable {
        var evaluations: Int?
        /// How the `*_conf` half-widths were estimated: `asymptotic` or `bootstrap`.
        var intervals: SensitivityCommand.IntervalMethod?
        /// Bootstrap resamples; absent for asymptotic intervals.
        var resamples: Int?
        var confidenceLevel: Double?
        /// Second-order indices, one matrix per year, and their half-widths.
        var S2: [[[JSONNumber]]]?
        var S2_conf: [[[JSONNumber]]]?
    }

    static func summary(_ results: [SobolIndices]) -> Summary {
        let S2 = results.compactMap { $0.S2?.map { $0.map(JSONNumber.init) } }
        let S2_conf = results.compactMap { $0.S2_conf?.map { $0.map(JSONNumber.init) } }
        var summary = Summary(evaluations: results.last?.evaluations, confidenceLevel: results.last?.confidenceLevel,
                              S2: S2.isEmpty ? nil : S2, S2_conf: S2_conf.isEmpty ? nil : S2_conf)
        switch results.last?.intervals {
        case .asymptotic: summary.intervals = .asymptotic
        case .bootstrap(let options): summary.intervals = .bootstrap; summary.resamples = options.resamples
        case nil: break
        }
        return summary
    }

    static func note(_ results: [SobolIndices]) -> String? {
        let summary = summary(results)
        guard let method = summary.intervals, let level = summary.confidenceLevel else { return nil }
        return intervalsDescription(method, resamples: summary.resamples, confidenceLevel: level)
    }

    /// What the `*_conf` columns are, as the table and the report say it.
    static func intervalsDescription(_ method: SensitivityCommand.IntervalMethod, resamples: Int?, confidenceLevel: Double) -> String {
        let kind = switch method {
        case .asymptotic: "asymptotic (delta method)"
        case .bootstrap: "bootstrap" + (resamples.map { " over \($0) resamples of the base rows" } ?? "")
        }
        return "S1_conf, ST_conf: \(formatFigure(100 * confidenceLevel)) % half-widths, \(kind); the interval is the index ± its half-width."
    }

    /// First-order indices by year, stacked (a negative estimate, noise around zero, counts as 0);
    /// nil for a single year.
    static func yearsChart(_ study: SensitivityStudy<SobolIndices>) -> (file: String, chart: FanChart)? {
        let indices = study.results, problem = study.problem
        let years = problem.years.compactMap { $0 }
        guard years.count > 1, indices.count == years.count, let names = indices.first?.names else { return nil }
        let shares = names.indices.map { i in indices.map { max(0, $0.S1[i]) } }
        let major = names.indices.filter { i in shares[i].contains { $0 >= minorShare } }
            .sorted { shares[$0].reduce(0, +) > shares[$1].reduce(0, +) }
        let minor = names.indices.filter { !major.contains($0) }
        var chart = FanChart(title: "\(problem.label): first-order Sobol' indices of \(study.quantitySpan)", xLabel: "year",
                             yLabel: "stacked S1 (variance share)", years: years)
        var base = [Double](repeating: 0, count: years.count)
        func stack(_ name: String, _ values: [Double], _ colour: Colour) {
            let top = zip(base, values).map { $0 + $1 }
            chart.bands.append(.init(name: name, lower: base, upper: top, colour: colour, opacity: 0.85))
            base = top
        }
        for (n, i) in major.enumerated() {
            // The palette's second round, lightened, so no two inputs share a colour.
            let colour = n < Palette.categorical.count ? Palette.categorical(n) : Palette.categorical(n).mixed(with: Colour(hex: 0xFFFFFF), fraction: 0.5)
            stack(names[i], shares[i], colour)
        }
        if !minor.isEmpty {
            stack("others (S1 < \(minorShare) in every year)", years.indices.map { y in minor.reduce(0) { $0 + shares[$1][y] } }, Colour(hex: 0x999999))
        }
        chart.yDomain = 0...max(1, base.max() ?? 1)
        chart.summary = "The first-order Sobol' index of each input in every year from \(years[0]) to \(years[years.count - 1]); "
            + "the band's height is the share of the year's variance the input explains alone, and the top of the stack their sum."
        return (yearsChartFile, chart)
    }
}
