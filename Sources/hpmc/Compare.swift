import ArgumentParser
import CSV
import FileOutput
import Foundation
import RoadmapModel
import Scenario
import UncertaintyStudy

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare a run with published or external figures.",
        discussion: """
        hpmc compare RUN_DIR --reference FILE.csv
          For every figure of FILE.csv (columns scenario,market,segment,metric,year,value; extra columns \
        are kept) that belongs to the run's scenario (or to `base`): its percentile rank within the run's \
        distribution and whether it lies inside the P5-P95 band. Rows marked unlabelled or unresolved \
        in a `status` column are listed as skipped. The roadmap's figures: Scenarios/roadmap_reference.csv.
        """)

    @Argument(help: "A run directory (the --out of `hpmc run` or `hpmc merge`).")
    var runDirectory: String

    @Option(help: "Reference figures (CSV).")
    var reference: String

    @Option(help: "Also write reference-ranks.csv to this directory.")
    var out: String?

    @Option(help: "Only rows of this metric (e.g. reduction).")
    var metric: String?

    @Flag(help: "Overwrite reference-ranks.csv in --out.")
    var force = false

    func run() throws {
        let run = try reportingInputErrors { try LoadedRun(directory: runDirectory) }
        let text = try reportingInputErrors { try readTextFile(reference) }
        var comparison = try reportingInputErrors { try run.study.rankReferences(text, file: reference, state: run.state) }
        if let metric { comparison.ranks = comparison.ranks.filter { $0.key.metric.rawValue == metric } }
        print(referenceTable(comparison, scenario: run.study.setup.scenario.name))
        if let out {
            try reportingInputErrors {
                try FileOutput.prepareDirectory(out, for: ["reference-ranks.csv"], force: force)
                try FileOutput.write(referenceCSV(comparison), to: FileOutput.path(out, "reference-ranks.csv"))
            }
            print("wrote \(FileOutput.path(out, "reference-ranks.csv"))")
        }
    }
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
        text += CSV.line(comparison.header.map { rank.fields[$0] ?? "" } + ["\(rank.percentileRank)", rank.insideP5P95 ? "true" : "false"])
    }
    return text
}
