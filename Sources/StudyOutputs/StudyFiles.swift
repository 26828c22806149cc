import CSV
import FileOutput
import Foundation
import ParallelRunner
import RoadmapModel
import Scenario
import StreamingStatistics
import UncertaintyStudy

// The files of a whole study, written by `run` and `merge` alike.

/// The files a complete run writes.
package func studyOutputFiles(_ study: MonteCarloStudy, saveSamples: Bool) -> [String] {
    ["bands.csv", "summary.json", studyArchiveFile] + study.fanChartFiles.map(\.file) + study.exceedanceChartFiles.map(\.file)
        + (saveSamples ? ["samples.csv"] : [])
}

/// The checkpoint of a whole study's run, beside its files.
package let studyCheckpointFile = "checkpoint.hpmc"
/// A finished run's mergeable state.
package let studyArchiveFile = "study.hpmc"

/// The output set of a whole study. `run` and `merge` write the same files, so they share one set;
/// a samples.csv and the fan charts of a full run belong to it even when this run writes none
/// (with --force, old ones go). Both declare the run's checkpoint, which its commit removes, so
/// either completes a run's interrupted commit.
package func studyOutputSet(_ directory: String, study: MonteCarloStudy, saveSamples: Bool, force: Bool) throws -> OutputSet {
    try OutputSet(directory: directory, name: studySetName, files: studyOutputFiles(study, saveSamples: saveSamples),
                  otherFiles: studyOtherFiles(study), scratchFiles: [studyCheckpointFile], force: force)
}

/// Completes the study set's commit a crash cut short (`OutputSet.completeInterruptedCommit`); whether there was one.
package func completeInterruptedStudyCommit(_ directory: String, study: MonteCarloStudy) throws -> Bool {
    try OutputSet.completeInterruptedCommit(directory: directory, name: studySetName, files: studyOutputFiles(study, saveSamples: false),
                                            otherFiles: studyOtherFiles(study), scratchFiles: [studyCheckpointFile])
}

private let studySetName = "study"

/// Files of the study set that a run may leave out: samples.csv and the charts of a full run.
private func studyOtherFiles(_ study: MonteCarloStudy) -> [String] {
    ["samples.csv"] + MonteCarloStudy.fanChartFiles(study.setup).map(\.file) + MonteCarloStudy.exceedanceChartFiles(study.setup)
}

/// bands.csv, summary.json, the fan and exceedance charts and study.hpmc (the whole mergeable state, for `compare`
/// and `report`), staged in `output` for its commit, made and written side by side on `threads` threads.
/// The caller has checked that `state` can be encoded (`StudyState.checkEncodingMemory`).
/// `bands`: every tracked series' in `state`.
package func writeStudyOutputs(_ study: MonteCarloStudy, _ state: StudyState, bands: SeriesBands, manifest: RunManifest, output: OutputSet,
                              units: UnitSystem, scenarioText: String, scenarioSHA256: String, references: [ReferenceFigure],
                              threads: Int) throws {
    let summaryPath = FileOutput.path(output.directory, "summary.json")
    var files: [(name: String, make: @Sendable () throws -> [UInt8])] = []
    for (market, file) in study.fanChartFiles {
        files.append((file, { Array(study.fanChart(state.statistics, market: market, references: references).svg().utf8) }))
    }
    for (market, file) in study.exceedanceChartFiles {
        files.append((file, { Array(study.exceedanceChart(state, market: market, references: references).svg().utf8) }))
    }
    files.append(("bands.csv", { Array(bandsCSV(study, state, bands: bands, units: units, threads: threads).utf8) }))
    files.append(("summary.json", { Array(try summaryJSON(study, state, manifest: manifest, destination: summaryPath).utf8) }))
    files.append((studyArchiveFile, {
        let archive = StudyArchive(
            manifest: study.archiveManifest(scenarioSHA256: scenarioSHA256, shard: 0, of: 1, completedThrough: study.plan.chunkCount),
            scenarioText: scenarioText, state: state, threads: threads)
        return try archive.encoded()
    }))
    let makers = files.map { file in (make: file.make, write: output.writer(for: file.name)) }
    // study.hpmc, the largest, first.
    let order = [makers.count - 1] + makers.indices.dropLast()
    let outcomes = parallelMap(order.indices, threads: threads) { i in Result { try makers[order[i]].write(try makers[order[i]].make()) } }
    for outcome in outcomes { try outcome.get() }
}

/// bands.csv, long format; a statistic that could not be computed has an empty value.
func bandsCSV(_ study: MonteCarloStudy, _ state: StudyState, bands: SeriesBands, units: UnitSystem, threads: Int) -> String {
    CSV.line(["scenario"] + BandRow.csvColumns)
        + BandRow.csvLines(study.bands(state.statistics, units: units, computed: bands), leading: [study.setup.scenario.name], threads: threads)
}

/// The provenance of a result: the study it belongs to (`StudyIdentity`, the fields of every
/// shard's manifest) and how this run of it went; one JSON object.
package struct RunManifest: Encodable {
    var study: StudyIdentity
    package var run: RunRecord

    /// How this run of the study went.
    package struct RunRecord: Encodable {
        var scenarioFile: String
        var threads: Int
        var nonFiniteSamples: UInt64
        var percentilesOutsideResolution: Int
        /// The output options: `run --resume` of a finished run checks them (`FinishedRunOutputs`).
        var percentiles: [JSONNumber]
        var units: String
        var wallSeconds: JSONNumber?
        var samplesPerSecond: JSONNumber?
        /// The number of shard files merged, for `merge`.
        package var shards: Int?
    }

    package func encode(to encoder: Encoder) throws {
        try study.encode(to: encoder)
        try run.encode(to: encoder)
    }
}

/// `bands`: every tracked series' in `state`.
package func runManifest(_ study: MonteCarloStudy, scenarioFile: String, scenarioSHA256: String, units: UnitSystem,
                        wallSeconds: Double?, state: StudyState, bands: SeriesBands) -> RunManifest {
    var manifest = RunManifest(study: study.identity(scenarioSHA256: scenarioSHA256),
                               run: .init(scenarioFile: scenarioFile, threads: study.settings.threads, nonFiniteSamples: study.nonFiniteSamples(state),
                                          percentilesOutsideResolution: bands.unresolvedPercentiles,
                                          percentiles: study.settings.percentiles.map(JSONNumber.init), units: units.rawValue))
    if let wallSeconds, wallSeconds > 0 {
        manifest.run.wallSeconds = JSONNumber(wallSeconds)
        manifest.run.samplesPerSecond = JSONNumber(Double(study.settings.samples) / wallSeconds)
    }
    return manifest
}

/// summary.json: the headline, the manifest, the convergence check and the non-finite results.
struct StudySummary: Encodable {
    struct Figures: Encodable {
        var p5: JSONNumber, median: JSONNumber, p95: JSONNumber, mean: JSONNumber
    }
    struct Headline: Encodable {
        var metric = Metric.reduction.rawValue
        var year: Int
        var unit = Metric.reduction.roadmapUnit
        var interval = "90 % (P5 to P95)"
        var markets: [String: Figures]
    }
    struct Convergence: Encodable {
        var samples: Int
        var reduction: [String: Figures]
    }
    /// Samples with any non-finite output, and the series that had them (at most `listed`; `seriesCount` in all).
    struct NonFinite: Encodable {
        var samples: UInt64
        var seriesCount: Int
        var series: [NonFiniteSeries]
    }
    var headline: Headline
    var manifest: RunManifest
    var convergence: [Convergence]
    var nonFinite: NonFinite
    /// Each `--target`: its exactly counted probability and 95 % Wilson interval.
    var targets: [TargetSummary]

    static let listed = 100
}

/// A series and year with non-finite values, and how many.
package struct NonFiniteSeries: Encodable {
    var market: String
    var segment: String?
    var metric: String
    var year: Int
    package var count: UInt64

    public var label: String { "\(metric) \(market)\(segment.map { " \($0)" } ?? "") \(year)" }
}

/// Every tracked series and year of `study` that saw non-finite values in `statistics`.
package func nonFiniteSeries(_ study: MonteCarloStudy, _ statistics: StatisticsAccumulator) -> [NonFiniteSeries] {
    zip(study.layout.seriesIndices, study.tracked).compactMap { t, series in
        let count = statistics.nonFiniteCount(series: t)
        guard count > 0 else { return nil }
        return NonFiniteSeries(market: series.key.market, segment: series.key.segment == Names.all ? nil : series.key.segment,
                               metric: series.key.metric.rawValue, year: study.setup.catalog.years[series.year], count: count)
    }
}

func summaryJSON(_ study: MonteCarloStudy, _ state: StudyState, manifest: RunManifest, destination: String) throws -> String {
    func figures(_ list: [(market: String, p5: Double, median: Double, p95: Double, mean: Double)]) -> [String: StudySummary.Figures] {
        Dictionary(uniqueKeysWithValues: list.map { ($0.market, .init(p5: JSONNumber($0.p5), median: JSONNumber($0.median), p95: JSONNumber($0.p95), mean: JSONNumber($0.mean))) })
    }
    let years = study.setup.catalog.years
    // A focus without the horizon reduction: an empty headline and no convergence check.
    var convergence = study.convergenceFigures(state).map { StudySummary.Convergence(samples: $0.samples, reduction: figures($0.figures)) }
    if !study.headline.isEmpty { convergence.append(.init(samples: study.settings.samples, reduction: figures(study.headlineFigures(state)))) }
    let series = nonFiniteSeries(study, state.statistics)
    let summary = StudySummary(
        headline: .init(year: years[years.count - 1], markets: figures(study.headlineFigures(state))),
        manifest: manifest, convergence: convergence,
        nonFinite: .init(samples: study.nonFiniteSamples(state), seriesCount: series.count, series: Array(series.prefix(StudySummary.listed))),
        targets: targetSummaries(study, state.targets))
    return try FileOutput.json(summary, for: destination) + "\n"
}

/// A target's line in summary.json.
package struct TargetSummary: Encodable {
    public var text: String
    public var probability: JSONNumber
    /// The 95 % Wilson score interval.
    public var lower: JSONNumber
    public var upper: JSONNumber
    /// Samples that met the condition, of `samples` with a finite value of its series.
    public var count: UInt64
    public var samples: UInt64

    init(_ condition: TargetCondition, _ count: TargetCount) {
        let p = count.probability
        text = condition.text
        probability = JSONNumber(p.estimate)
        lower = JSONNumber(p.lower)
        upper = JSONNumber(p.upper)
        self.count = count.met
        samples = count.evaluated
    }
}

package func targetSummaries(_ study: MonteCarloStudy, _ counts: [TargetCount]) -> [TargetSummary] {
    zip(study.targets, counts).map { TargetSummary($0.condition, $1) }
}

/// The output options a finished run's summary.json records (absent before 0.11.2).
package struct FinishedRunOutputs: Decodable {
    private struct Summary: Decodable { var manifest: FinishedRunOutputs }
    package var percentiles: [Double]?
    package var units: String?

    /// Those of the run whose summary.json is `path`; nil when it cannot be read or records none.
    package static func read(_ path: String) -> FinishedRunOutputs? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(Summary.self, from: data).manifest
    }
}
