import ArgumentParser
import FileOutput
import ParallelRunner
import Foundation
import RoadmapModel
import Sampling
import Scenario
import StudyOutputs
import UncertaintyStudy

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the shard files of a sharded run into the run's outputs.",
        discussion: """
        Reads shard-I-of-N.hpmc files (or every such file in the given directories), checks that \
        they are the N shards of one study (same scenario hash, seed, sample count, sampler and hpmc \
        version; none missing, none twice; none truncated or corrupted) and writes bands.csv and \
        summary.json exactly as `hpmc run` would: bands.csv is byte-identical to an unsharded run. \
        The shards' --target conditions (all shards must have the same) are merged and reported. \
        Shards of a focused run (--metrics, --markets, --years) merge into that focus; shards of \
        different focuses are refused.
        """)

    @Argument(help: "Shard files, or directories holding them.")
    var inputs: [String]

    @Option(help: "Output directory.")
    var out: String

    @Option(help: "Units of bands.csv: roadmap or si.")
    var units: UnitSystem = .roadmap

    @Option(parsing: .unconditional, help: "Percentiles to report, comma-separated.")
    var percentiles: String = "5,25,50,75,95"

    @Option(help: "Reference figures marked on the fan charts (default: \(defaultReferenceFile) when it exists).")
    var reference: String?

    @Flag(help: "Overwrite existing outputs in --out.")
    var force = false

    @Option(parsing: .unconditional, help: "Threads reading and adding shard files (default: all cores). Never changes the results.")
    var threads: Int = availableCoreCount()

    func validate() throws {
        try validatingOptions {
            guard threads >= 1 else { throw SettingsError(option: "--threads", message: "\(threads) threads; it must be at least 1") }
            _ = try parsePercentiles(percentiles)
            try checkInputFile(reference, option: "--reference")
        }
    }

    func run() throws {
        try reportingInputErrors(merge)
    }

    /// What it throws is the user's to fix (a shard, its embedded scenario, an option, the output directory).
    func merge() throws {
        let paths = try shardPaths(inputs)
        let (first, state): (StudyArchive, StudyState)
        do {
            (first, state) = try ShardMerge.merge(paths, threads: threads) { path throws(ArchiveError) in try StudyArchive.read(path: path) }
        } catch {
            // A shard file is moved into place whole, so one in place is complete; one whose move a crash
            // cut short may be missing, which its run completes.
            let halfMoved = inputs.flatMap { OutputSet.interruptedSets(in: $0).filter { $0.hasPrefix("shard-") } }
            guard !halfMoved.isEmpty else { throw error }
            throw ArchiveError(file: error.file, problem: error.problem + "; a crash cut short moving \(halfMoved.joined(separator: ", ")) into place: "
                                   + "run its `hpmc run … --shard I/N --resume` to complete it")
        }
        let manifest = first.manifest
        let embedded = "\(paths[0]) (embedded scenario)"
        let scenario = try Scenario.parse(text: first.scenarioText, file: embedded)
        let setup = try ModelSetup(scenario: scenario)
        let percentileValues = try parsePercentiles(percentiles)
        guard let sampler = SamplerKind(rawValue: manifest.sampler) else {
            throw ArchiveError(file: paths[0], problem: "unknown sampler '\(manifest.sampler)'")
        }
        let settings = StudySettings(samples: manifest.samples, seed: manifest.seed, sampler: sampler, threads: threads, percentiles: percentileValues,
                                     targets: try MonteCarloStudy.targets(of: manifest, file: paths[0]),
                                     focus: manifest.focus ?? .all)
        // Its workers never run: the merged state is already held (the run's memory check would
        // refuse with a run's advice, fewer markets or inputs, against memory the merge has taken).
        let study = try MonteCarloStudy(setup: setup, settings: settings, checkingMemory: false)
        try study.check(state, file: paths[0])
        let bands = study.seriesBands(state.statistics, threads: threads)
        var summaryManifest = runManifest(study, scenarioFile: embedded, scenarioSHA256: manifest.scenarioSHA256, units: units,
                                          wallSeconds: nil, state: state, bands: bands)
        summaryManifest.run.shards = manifest.shardCount
        let references = try referenceFigures(option: reference)
        // Before the directory is made: a refusal then leaves nothing behind.
        try state.checkEncodingMemory(file: FileOutput.path(out, studyArchiveFile))
        let output = try studyOutputSet(out, study: study, saveSamples: false, force: force)
        try writeStudyOutputs(study, state, bands: bands, manifest: summaryManifest, output: output, units: units,
                              scenarioText: first.scenarioText, scenarioSHA256: manifest.scenarioSHA256, references: references,
                              threads: threads)
        try output.commit()
        print("merged \(paths.count) shard\(paths.count == 1 ? "" : "s") of \(manifest.scenario) (\(manifest.samples) samples); wrote \(out)")
        for line in targetLines(study, state.targets) { print(line) }
        if let warning = nonFiniteWarning(study, state, samples: manifest.samples, seeAlso: "see summary.json") {
            printError(warning)
            throw ExitCode(1)
        }
    }
}

/// Shard files among `inputs`, directories expanded to their `shard-*.hpmc` files.
func shardPaths(_ inputs: [String]) throws -> [String] {
    var paths: [String] = []
    for input in inputs {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
            throw ArchiveError(file: input, problem: "no such file or directory")
        }
        if isDirectory.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: input)
                .filter { $0.hasPrefix("shard-") && $0.hasSuffix(".hpmc") }.sorted()
            guard !names.isEmpty else { throw ArchiveError(file: input, problem: "holds no shard-*.hpmc files") }
            paths += names.map { FileOutput.path(input, $0) }
        } else {
            paths.append(input)
        }
    }
    return paths
}
