import ArgumentParser
import CSV
import FileOutput
import Foundation
import ParallelRunner
import RoadmapModel
import Sampling
import Scenario
import StreamingStatistics
import StudyOutputs
import UncertaintyStudy

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two scenarios sample by sample, or a run with published figures.",
        discussion: """
        hpmc compare A.yaml B.yaml [--samples N] [--seed S] [--out DIR]
          Runs both scenarios on common random numbers: an uncertain input that both declare under the \
        same name gets the same draw in the same sample, so B - A is computed sample by sample and its \
        band reflects the scenarios, not sampling noise. With --target "reduction total 2060 >= 3" \
        prints the share of samples whose B - A meets it, counted exactly, with its 95 % Wilson interval. \
        Writes difference.csv (market,segment,metric,year,stat,value,unit; stats diff_p5 ... diff_se for \
        B - A and ratio_p5 ... ratio_se for B / A) and prints the horizon-year headline; with --target also \
        targets.json (subject B - A, and per target text, probability, lower, upper, count, samples).

        hpmc compare RUN_DIR --reference FILE.csv
          For every figure of FILE.csv (columns scenario,market,segment,metric,year,value; extra columns \
        are kept) that belongs to the run's scenario (or to `base`): its percentile rank within the run's \
        distribution and whether it lies inside the P5-P95 band. Rows marked unlabelled or unresolved \
        in a `status` column are listed as skipped. The roadmap's figures: Scenarios/roadmap_reference.csv.
        """)

    @Argument(help: "Two scenario files A B, or one run directory with --reference.")
    var inputs: [String]

    @Option(help: "Reference figures (CSV) to rank within the run in RUN_DIR.")
    var reference: String?

    @Option(help: "Output directory (scenario mode: default out/compare-A-B; reference mode: writes reference-ranks.csv only when given).")
    var out: String?

    static let defaultSamples = 100_000

    @Option(name: .customLong("samples"), parsing: .unconditional, help: ArgumentHelp("Samples (scenario mode; default \(Compare.defaultSamples)).", valueName: "samples"))
    var givenSamples: Int?

    var samples: Int { givenSamples ?? Self.defaultSamples }

    @OptionGroup var sampling: SamplingOptions

    @Flag(help: "No progress bar.")
    var quiet = false

    @Option(help: ArgumentHelp(targetHelp + " Counted on B - A (scenario mode)."))
    var target: [String] = []

    @Option(help: "Only rows of this metric (e.g. reduction; with --reference).")
    var metric: Metric?

    @Flag(help: "Overwrite reference-ranks.csv in --out.")
    var force = false

    func validate() throws {
        try validatingOptions {
            try checkInputFile(reference, option: "--reference")
            if reference == nil { try sampling.settings(samples: samples).validate() }
            _ = try parseTargets(target)
            if reference != nil && !target.isEmpty { throw SettingsError(option: "--target", message: "counts B - A of two scenarios; not available with --reference") }
            if reference != nil, let option = sampling.givenDrawOptions(samples: givenSamples).first {
                throw SettingsError(option: option, message: "draws the samples of two scenario files; with --reference the run's own samples are ranked")
            }
            // Too many inputs are refused in run(): ArgumentParser looks for unknown options after
            // validate(), and the value of one compare does not have (`--percentiles 5,95`) arrives
            // here as an input; that option, not the count, is then the error to show.
            if reference == nil {
                guard inputs.count >= 2 else { throw tooFewOrManyInputs }
                guard metric == nil else { throw SettingsError(option: "--metric", message: "selects reference rows; it needs --reference") }
            }
        }
    }

    private var tooFewOrManyInputs: SettingsError {
        reference == nil ? SettingsError(option: "compare", message: "give two scenario files (A B), or a run directory and --reference")
            : SettingsError(option: "--reference", message: "give one run directory")
    }

    /// What it throws is the user's to fix (a scenario, a run directory, a reference file, the output directory).
    func run() throws {
        try reportingInputErrors {
            guard inputs.count == (reference == nil ? 2 : 1) else { throw tooFewOrManyInputs }
            if let reference {
                try rankReferences(runDirectory: inputs[0], reference: reference)
            } else {
                try compareScenarios(inputs[0], inputs[1])
            }
        }
    }

    func compareScenarios(_ pathA: String, _ pathB: String) throws {
        for path in [pathA, pathB] {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw ArchiveError(file: path, problem: "is a directory; compare A B takes two scenario files, and a run directory "
                                       + "(holding study.hpmc, the --out of hpmc run or merge) goes alone with --reference FILE")
            }
        }
        // Side by side; A's error first.
        let loaded = parallelMap(0..<2, threads: setUpThreads(sampling.threads)) { i in Result { try LoadedScenario(path: i == 0 ? pathA : pathB) } }
        let a = try loaded[0].get(), b = try loaded[1].get()
        var settings = sampling.settings(samples: samples)
        settings.targets = try parseTargets(target)
        let directory = out ?? "out/compare-\(a.scenario.name.lowercased())-\(b.scenario.name.lowercased())"
        let comparison = try PairedComparison(a: a.setup, b: b.setup, settings: settings)
        let output = try OutputSet(directory: directory, name: "compare", files: ["difference.csv", "compare-reduction.svg"] + (settings.targets.isEmpty ? [] : [targetsFile]),
                                   otherFiles: [targetsFile], force: force)
        var progress = ProgressReporter(total: samples, label: "\(a.scenario.name) vs \(b.scenario.name)", quiet: quiet)
        defer { progress.finish() }  // on an error too: its line then starts clean
        let (statistics, targetCounts) = try comparison.run { progress.update(completed: $0) }
        progress.finish()
        try output.write(differenceCSV(comparison, statistics), to: "difference.csv")
        try output.write(comparison.reductionChart(statistics).svg(), to: "compare-reduction.svg")
        if !settings.targets.isEmpty {
            let targets = ComparisonTargets(subject: "\(b.scenario.name) - \(a.scenario.name)", targets: targetSummaries(comparison.a, targetCounts))
            try output.write(FileOutput.json(targets, for: FileOutput.path(directory, targetsFile)) + "\n", to: targetsFile)
        }
        try output.commit()
        print(comparisonHeadline(comparison, statistics))
        for line in targetLines(comparison.a, targetCounts, subject: "\(b.scenario.name) - \(a.scenario.name): ") { print(line) }
        print("wrote \(FileOutput.path(directory, "difference.csv"))")
        for market in comparison.marketsSplitDifferently {
            print("note: difference.csv has no B - A rows for \(market)'s segments in the years A and B split \(market) differently "
                  + "(a segment's B - A is no multiple of the market's then)")
        }
        // A ratio undefined by itself (A's value 0) leaves its own series only: said, as those rows describe
        // fewer pairs. A pair left out of every band counts in both bands when B − A is not finite.
        let leftOutDifferences = Dictionary(nonFiniteSeries(comparison.a, statistics[PairedComparison.Band.difference.rawValue]).map { ($0.label, $0.count) },
                                            uniquingKeysWith: +)
        let undefinedRatios = nonFiniteSeries(comparison.a, statistics[PairedComparison.Band.ratio.rawValue]).compactMap { series in
            series.count > leftOutDifferences[series.label, default: 0] ? (series.label, series.count - leftOutDifferences[series.label, default: 0]) : nil
        }
        if let (label, count) = undefinedRatios.first {
            printError("note: B / A is not finite (A's value is 0) in some pairs of \(undefinedRatios.count) series, e.g. \(label) in \(count) of \(samples); "
                       + "those series' ratio rows describe the other pairs")
        }
        // B − A first: every series is there, so it names where the trouble starts (A and B keep what the headline and chart read).
        let example = [(PairedComparison.Band.difference, "B − A"), (.a, "A"), (.b, "B")].lazy.compactMap { band, label in
            nonFiniteSeries(comparison.a, statistics[band.rawValue]).first.map { "\(label): \($0.label)" }
        }.first
        if let warning = nonFiniteWarning(count: statistics[PairedComparison.Band.a.rawValue].nonFiniteSamples, samples: samples,
                                          example: example, unit: "pairs of samples", seeAlso: nil) {
            printError(warning)
            throw ExitCode(1)
        }
    }

    func rankReferences(runDirectory: String, reference: String) throws {
        let run = try LoadedRun(directory: runDirectory)
        let text = try readTextFile(reference)
        var comparison = try run.study.rankReferences(text, file: reference, state: run.state)
        if let metric { comparison.ranks = comparison.ranks.filter { $0.key.metric == metric } }
        print(referenceTable(comparison, scenario: run.study.setup.scenario.name))
        if let out {
            let output = try OutputSet(directory: out, name: "reference-ranks", files: ["reference-ranks.csv"], force: force)
            try output.write(referenceCSV(comparison), to: "reference-ranks.csv")
            try output.commit()
            print("wrote \(FileOutput.path(out, "reference-ranks.csv"))")
        }
    }
}

/// The file of compare's target counts, read by `hpmc report`.
let targetsFile = "targets.json"

/// targets.json: the targets counted on `subject` (B - A), as summary.json lists a run's.
struct ComparisonTargets: Encodable {
    var subject: String
    var targets: [TargetSummary]
}

func referenceTable(_ comparison: ReferenceComparison, scenario: String) -> String {
    var table = TextTable(["market", "segment", "metric", "year", "figure", "percentile rank", "in P5-P95"])
    for rank in comparison.ranks {
        table.add([rank.key.market, rank.key.segment, rank.key.metric.rawValue, String(rank.year), formatFigure(rank.value),
                   String(format: "%.1f", rank.percentileRank), rank.insideP5P95 ? "yes" : "NO"])
    }
    let inside = comparison.ranks.filter(\.insideP5P95).count
    return "\(scenario): where the reference figures fall in the run's bands\n" + table.render()
        + "\n\(inside) of \(comparison.ranks.count) inside P5-P95; \(comparison.skipped.count) rows skipped (other scenarios, unlabelled or unbanded figures)"
}

func referenceCSV(_ comparison: ReferenceComparison) -> String {
    var text = CSV.line(comparison.header + ["percentile_rank", "inside_p5_p95"])
    for rank in comparison.ranks {
        text += CSV.line(comparison.header.map { rank.fields[$0] ?? "" } + [CSV.number(rank.percentileRank), rank.insideP5P95 ? "true" : "false"])
    }
    return text
}

/// difference.csv: the bands of B − A (stats diff_*) and B / A (stats ratio_*).
func differenceCSV(_ comparison: PairedComparison, _ statistics: [StatisticsAccumulator]) -> String {
    let rows = comparison.a.bands(statistics[PairedComparison.Band.difference.rawValue], statPrefix: "diff_",
                                  segmentScale: { comparison.segmentScale(of: $0, year: $1, ratio: false) })
        + comparison.a.bands(statistics[PairedComparison.Band.ratio.rawValue], ratio: true, statPrefix: "ratio_",
                             segmentScale: { comparison.segmentScale(of: $0, year: $1, ratio: true) })
    return CSV.line(BandRow.csvColumns) + BandRow.csvLines(rows, threads: comparison.a.settings.threads)
}

/// The horizon-year reduction of A, B and the paired difference, per market and total.
func comparisonHeadline(_ comparison: PairedComparison, _ statistics: [StatisticsAccumulator]) -> String {
    let nameA = comparison.a.setup.scenario.name, nameB = comparison.b.setup.scenario.name
    let year = comparison.a.setup.catalog.years.last!
    var table = TextTable(["\(year) reduction", nameA, nameB, "\(nameB) - \(nameA) median", "90 % interval", "unit"])
    for figure in comparison.headline(statistics) {
        table.add([figure.market, formatFigure(figure.a), formatFigure(figure.b), formatFigure(figure.difference.median),
                   "\(formatFigure(figure.difference.p5)) to \(formatFigure(figure.difference.p95))", Metric.reduction.roadmapUnit])
    }
    return "Paired comparison on common random numbers (medians)\n" + table.render()
}
