import ArgumentParser
import CSV
import Digest
import FileOutput
import Foundation
import ParallelRunner
import RoadmapModel
import Sampling
import Scenario
import UncertaintyStudy

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Monte Carlo: bands for every series and year, headlined by the horizon-year reduction.",
        discussion: """
        Samples the scenario's uncertain inputs (its `uncertain:` list), evaluates the model for every \
        sample and writes, to --out:
          bands.csv      scenario,market,segment,metric,year,stat,value,unit; stats p5 p25 p50 p75 p95
                         (or --percentiles), mean, sd (standard deviation), se (standard error of the mean)
          summary.json   the headline (horizon-year reduction: median and 90 % interval per market and
                         total), a manifest (version, scenario SHA-256, seed, samples, sampler, threads,
                         timing, non-finite count) and a convergence check at N/4, N/2 and N
          samples.csv    with --save-samples: every sample's inputs and horizon-year outputs
        The same scenario, seed, sample count and sampler give byte-identical bands.csv for any --threads.
        """)

    @Argument(help: "Scenario file (YAML).")
    var scenario: String

    @Option(help: "Number of samples.")
    var samples: Int = 100_000

    @Option(help: "Random seed (a non-negative integer).")
    var seed: UInt64 = 1

    @Option(help: "Sampler: mc (plain), lhs (Latin hypercube, stratified per chunk of \(StudySettings.chunkSize)), sobol (scrambled Sobol').")
    var sampler: SamplerKind = .sobol

    @Option(help: "Worker threads (default: all cores). Never changes the results.")
    var threads: Int = availableCoreCount()

    @Option(help: "Output directory (default: out/<scenario name>).")
    var out: String?

    @Option(help: "Percentiles to report, comma-separated.")
    var percentiles: String = "5,25,50,75,95"

    @Option(help: "Units of bands.csv: roadmap or si.")
    var units: UnitSystem = .roadmap

    @Flag(help: "Also write samples.csv (one row per sample).")
    var saveSamples = false

    @Flag(help: "Overwrite existing outputs in --out.")
    var force = false

    @Flag(help: "No progress bar.")
    var quiet = false

    func run() throws {
        let loaded = try LoadedScenario(path: scenario)
        let percentileValues = try reportingInputErrors { try parsePercentiles(percentiles) }
        let settings = StudySettings(samples: samples, seed: seed, sampler: sampler, threads: threads, percentiles: percentileValues)
        let directory = out ?? "out/\(loaded.scenario.name.lowercased())"
        let files = ["bands.csv", "summary.json"] + (saveSamples ? ["samples.csv"] : [])
        let study = try reportingInputErrors { () throws -> MonteCarloStudy in
            try settings.validate()
            try FileOutput.prepareDirectory(directory, for: files, force: force)
            return try MonteCarloStudy(setup: loaded.setup, settings: settings)
        }
        let sink = try saveSamples ? reportingInputErrors { try StreamingFile(path: FileOutput.path(directory, "samples.csv")) } : nil
        sink?.append(CSV.line(study.samplesHeader))

        let clock = ContinuousClock()
        let start = clock.now
        var progress = ProgressReporter(total: samples, label: loaded.scenario.name, quiet: quiet)
        let state = study.run(chunks: 0..<study.plan.chunkCount, sampleSink: sink) { completed, _ in
            progress.update(completed: study.samples(beforeChunk: completed.upperBound))
        }
        progress.finish()
        let seconds = (clock.now - start) / .seconds(1)

        try reportingInputErrors {
            try sink?.commit()
            try FileOutput.write(bandsCSV(study, state, units: units), to: FileOutput.path(directory, "bands.csv"))
            let manifest = try runManifest(loaded, study, wallSeconds: seconds, state: state)
            try FileOutput.write(summaryJSON(study, state, manifest: manifest), to: FileOutput.path(directory, "summary.json"))
        }
        print(oneLineSummary(study, state, seconds: seconds, directory: directory))
    }
}

extension SamplerKind: ExpressibleByArgument {}

func parsePercentiles(_ text: String) throws -> [Double] {
    try text.split(separator: ",").map { part in
        guard let value = Double(part.trimmingCharacters(in: .whitespaces)) else {
            throw SettingsError(option: "--percentiles", message: "'\(part)' is not a number")
        }
        return value
    }
}

/// bands.csv, long format.
func bandsCSV(_ study: MonteCarloStudy, _ state: StudyState, units: UnitSystem) -> String {
    var text = CSV.line(["scenario", "market", "segment", "metric", "year", "stat", "value", "unit"])
    let name = study.setup.scenario.name
    for row in study.bands(state, units: units) {
        text += CSV.line([name, row.key.market, row.key.segment, row.key.metric.rawValue, String(row.year), row.stat, "\(row.value)", row.unit])
    }
    return text
}

/// The provenance of a result: what produced it and from what.
func runManifest(_ loaded: LoadedScenario, _ study: MonteCarloStudy, wallSeconds: Double, state: StudyState) throws -> [String: Any] {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: loaded.path))
    var manifest: [String: Any] = [
        "hpmc": hpmcVersion,
        "scenario": loaded.scenario.name,
        "scenarioFile": loaded.path,
        "scenarioSHA256": SHA256.hex(bytes),
        "seed": study.settings.seed,
        "samples": study.settings.samples,
        "sampler": study.settings.sampler.rawValue,
        "chunkSize": StudySettings.chunkSize,
        "threads": study.settings.threads,
        "nonFiniteSamples": study.nonFiniteSamples(state),
        "percentilesOutsideResolution": study.unresolvedPercentiles(state),
    ]
    if wallSeconds > 0 {
        manifest["wallSeconds"] = wallSeconds
        manifest["samplesPerSecond"] = Double(study.settings.samples) / wallSeconds
    }
    return manifest
}

func summaryJSON(_ study: MonteCarloStudy, _ state: StudyState, manifest: [String: Any]) -> String {
    func figures(_ list: [(market: String, p5: Double, median: Double, p95: Double, mean: Double)]) -> [String: Any] {
        Dictionary(uniqueKeysWithValues: list.map { ($0.market, ["p5": $0.p5, "median": $0.median, "p95": $0.p95, "mean": $0.mean]) })
    }
    let years = study.setup.catalog.years
    var convergence: [[String: Any]] = study.convergenceFigures(state).map { ["samples": $0.samples, "reduction": figures($0.figures)] }
    convergence.append(["samples": study.settings.samples, "reduction": figures(study.headlineFigures(state))])
    let object: [String: Any] = [
        "headline": ["metric": "reduction", "year": years[years.count - 1], "unit": Metric.reduction.roadmapUnit,
                     "interval": "90 % (P5 to P95)", "markets": figures(study.headlineFigures(state))],
        "manifest": manifest,
        "convergence": convergence,
    ]
    return jsonText(object) + "\n"
}

func oneLineSummary(_ study: MonteCarloStudy, _ state: StudyState, seconds: Double, directory: String) -> String {
    let total = study.headlineFigures(state).last!
    let rate = seconds > 0 ? String(format: "%.2f M samples/s", Double(study.settings.samples) / seconds / 1e6) : "-"
    let year = study.setup.catalog.years.last!
    return "\(study.setup.scenario.name): \(study.settings.samples) samples in \(String(format: "%.2f", seconds)) s (\(rate), \(study.settings.threads) threads); "
        + "\(year) reduction \(formatFigure(total.median)) [P5 \(formatFigure(total.p5)), P95 \(formatFigure(total.p95))] \(Metric.reduction.roadmapUnit); wrote \(directory)"
}

extension StreamingFile: SampleSink {
    public func write(_ text: String) { append(text) }
}
