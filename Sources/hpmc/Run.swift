import ArgumentParser
import CSV
import Digest
import FileOutput
import Foundation
import ParallelRunner
import RoadmapModel
import Sampling
import Scenario
import StudyOutputs
import UncertaintyStudy

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
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
          exceedance-*.svg  P(horizon-year reduction ≥ x) per market and total, targets and roadmap marked
        With --target "reduction total 2060 >= 4.34": the share of samples meeting it, counted exactly \
        (mergeable across shards), with its 95 % Wilson interval, in summary.json and on stdout.
        The same scenario, seed, sample count and sampler give byte-identical bands.csv for any --threads.
        --metrics, --markets and --years focus the run: only those series are tracked and written (each \
        row equal to the same row of a full run when no sample is non-finite: a focused run leaves out \
        samples non-finite in its own series only), fan charts only for markets whose reduction is in the \
        focus, and summary.json's headline only for those whose horizon-year reduction is.
        A sample with a non-finite result is left out of every band and listed in summary.json; the run \
        then prints one warning and exits 1 (a --shard run warns and exits 0, so that a scheduler still \
        starts the merge, which reports them and exits 1). The files appear together at the end, or not at all.
        --resume continues from the checkpoint in --out; a run that finished, or was killed while moving \
        its finished files into place (the move is then completed), has nothing to resume, and --resume exits 0 \
        (exit 2 if other --percentiles, --units or --save-samples are asked: its files stay as they are).
        """)

    @Argument(help: "Scenario file (YAML).")
    var scenario: String

    @Option(parsing: .unconditional, help: "Number of samples.")
    var samples: Int = 100_000

    @OptionGroup var sampling: SamplingOptions

    @Option(help: "Output directory (default: out/<scenario name>).")
    var out: String?

    @Option(parsing: .unconditional, help: "Percentiles to report, comma-separated.")
    var percentiles: String = "5,25,50,75,95"

    @Option(help: ArgumentHelp(targetHelp))
    var target: [String] = []

    @Option(help: "Units of bands.csv: roadmap or si.")
    var units: UnitSystem = .roadmap

    @Option(help: "Track and write only these metrics, comma-separated: \(StudyFocus.metricNames.joined(separator: ", ")) (default: all).")
    var metrics: String?

    @Option(help: "Track and write only these markets (their segments with them), comma-separated, `total` for the total (default: all).")
    var markets: String?

    @Option(parsing: .unconditional, help: "Track and write only these years: \(StudyFocus.yearsGrammar), e.g. 2030,2060 or 2030-2060 (default: all).")
    var years: String?

    @Flag(help: "Also write samples.csv (one row per sample). Written in one pass, so such a run writes no checkpoints and cannot be resumed.")
    var saveSamples = false

    @Option(parsing: .unconditional, help: "Run only shard I of N (0-based), e.g. --shard 3/8: its share of the chunks, written to shard-I-of-N.hpmc for `hpmc merge`.",
            transform: ShardSpec.parse)
    var shard: ShardSpec?

    @Option(parsing: .unconditional, help: "Seconds between checkpoints (written atomically to --out; default 60), at most \(Run.maximumCheckpointInterval) (a year). 0 disables them. They come at least 0.05 s apart, and writing them takes at most a tenth of the run.",
            transform: decimalOption)
    var checkpointEvery: Double = 60

    @Flag(help: "Continue an interrupted run from its checkpoint in --out.")
    var resume = false

    @Flag(help: "Overwrite existing outputs in --out.")
    var force = false

    @Flag(help: "No progress bar.")
    var quiet = false

    /// A year of seconds: the longest checkpoint interval accepted (0 turns checkpoints off).
    static let maximumCheckpointInterval = 365 * 24 * 3600

    /// The study's settings from the options: sampling, percentiles, targets and focus.
    func studySettings() throws -> StudySettings {
        var settings = sampling.settings(samples: samples, percentiles: try parsePercentiles(percentiles))
        settings.targets = try parseTargets(target)
        settings.focus = try focus()
        return settings
    }

    func validate() throws {
        try validatingOptions {
            try studySettings().validate()
            try shard?.validate()
            guard checkpointEvery.isFinite, checkpointEvery >= 0, checkpointEvery <= Double(Self.maximumCheckpointInterval) else {
                throw SettingsError(option: "--checkpoint-every", message: "\(checkpointEvery) seconds; give 0 (off) to \(Self.maximumCheckpointInterval)")
            }
            if shard != nil && saveSamples { throw SettingsError(option: "--save-samples", message: "not available with --shard") }
        }
    }

    func run() throws {
        try reportingInputErrors(runStudy)
    }

    /// What it throws is the user's to fix (the scenario, a checkpoint, the focus against the scenario, the output directory).
    func runStudy() throws {
        let loaded = try LoadedScenario(path: scenario)
        // Checked in validate(): cannot fail here.
        let settings = try studySettings()
        let directory = out ?? "out/\(loaded.scenario.name.lowercased())"
        let shard = self.shard ?? ShardSpec(index: 0, count: 1)
        let sharded = self.shard != nil
        let checkpointName = sharded ? "\(shard.fileStem).checkpoint" : studyCheckpointFile
        let shardFile = "\(shard.fileStem).hpmc"
        let checkpointPath = FileOutput.path(directory, checkpointName)
        // A shard's set: its file, and its checkpoint, which the set's commit removes.
        let shardSet = (name: shard.fileStem, files: [shardFile], scratch: [checkpointName])
        // Refuses a focus the scenario lacks, and a run too large for the machine, before anything is written.
        var study = try MonteCarloStudy(setup: loaded.setup, settings: settings)
        if saveSamples && !study.savesSampleOutputs {
            throw SettingsError(option: "--save-samples", message: "samples.csv holds the \(loaded.scenario.horizon) reduction, sales and value of the "
                                    + "markets and metrics in focus, and this focus leaves none of them; widen --metrics, --markets or --years, or drop --save-samples")
        }
        let scenarioText = try readTextFile(scenario)
        let references = loaded.scenario.validation == nil ? [] : try loaded.references()
        let scenarioHash = SHA256.hex(Array(scenarioText.utf8))
        let chunks = study.plan.chunks(shard: shard.index, of: shard.count)

        if !resume && !force && FileManager.default.fileExists(atPath: checkpointPath) {
            throw SettingsError(option: "--resume", message: "\(checkpointPath) holds an interrupted run: "
                                    + (saveSamples ? "pass --force to start over (continuing it, with --resume, cannot save samples)"
                                                   : "pass --resume to continue it or --force to start over"))
        }
        // The state file a finished run leaves.
        let finished = FileOutput.path(directory, sharded ? shardFile : studyArchiveFile)
        var resumed: StudyState? = nil
        if resume {
            // A run killed while moving its finished files into place: completing the move finishes it.
            let completed = sharded ? try OutputSet.completeInterruptedCommit(directory: directory, name: shardSet.name, files: shardSet.files, scratchFiles: shardSet.scratch)
                                    : try completeInterruptedStudyCommit(directory, study: study)
            // A finished run has nothing to resume: it succeeds, so that a requeued task that finished
            // (for a shard, the scheduler then starts the merge) or a repeated command changes nothing.
            if completed || !FileManager.default.fileExists(atPath: checkpointPath) && FileManager.default.fileExists(atPath: finished) {
                let expected = study.archiveManifest(scenarioSHA256: scenarioHash, shard: shard.index, of: shard.count, completedThrough: chunks.upperBound)
                let archive = try StudyArchive.read(path: finished), manifest = archive.manifest
                let otherChunks = manifest.position == expected.position ? nil
                    : (field: "chunks", value: "\(manifest.chunkStart)..<\(manifest.completedThrough)", other: "\(chunks.lowerBound)..<\(chunks.upperBound)")
                let how = completed ? "a crash interrupted moving its files into place, now completed as that run wrote them" : "nothing to resume"
                if let difference = manifest.studyDifference(from: expected) ?? otherChunks {
                    throw ArchiveError(file: finished, problem: "holds a finished run (\(how)) of another study: its \(difference.field) is \(difference.value), "
                                          + "this run's \(difference.other); to run this one, leave out --resume and pass --force")
                }
                let setFiles = sharded ? shardSet.files : studyOutputFiles(study, saveSamples: false)
                if let missing = setFiles.first(where: { !FileManager.default.fileExists(atPath: FileOutput.path(directory, $0)) }) {
                    throw ArchiveError(file: FileOutput.path(directory, missing), problem: "is missing from the finished run's files; run it again with --force")
                }
                if !sharded { try checkFinishedOutputs(directory: directory, percentiles: settings.percentiles, units: units, saveSamples: saveSamples) }
                print("\(loaded.scenario.name): the run had finished (\(how)): \(finished)")
                // Its non-finite samples, as when it finished: a whole run's fail it, a shard's are the merge's to fail.
                try reportNonFinite(study, try archive.state(), sharded: sharded)
                return
            }
            if saveSamples {
                throw SettingsError(option: "--resume", message: "a run that saves its samples cannot be continued (samples.csv is written in one pass, "
                                        + "so it writes no checkpoints); start it over with --force, or resume without --save-samples")
            }
            guard FileManager.default.fileExists(atPath: checkpointPath) else {
                throw SettingsError(option: "--resume", message: "\(directory) holds no \(checkpointName) to resume; start the run without --resume "
                                        + "(it writes a checkpoint there every --checkpoint-every seconds)")
            }
            let archive = try StudyArchive.read(path: checkpointPath)
            let expected = study.archiveManifest(scenarioSHA256: scenarioHash, shard: shard.index, of: shard.count,
                                                 completedThrough: archive.manifest.completedThrough)
            guard archive.manifest == expected else {
                let difference = archive.manifest.studyDifference(from: expected).map { ": its \($0.field) is \($0.value), this run's \($0.other)" }
                // The same targets in another order are the same study, but the checkpoint's counts are in its order.
                if difference == nil && archive.manifest.targets != expected.targets {
                    throw SettingsError(option: "--target", message: "\(checkpointPath) counts the same targets in another order; "
                                            + "give them in its order to continue it: \(archive.manifest.targets.map { "'\($0)'" }.joined(separator: ", "))")
                }
                throw ArchiveError(file: checkpointPath, problem: "was written for another study" + (difference ?? " (its shard or chunk range differ)"))
            }
            let state = try archive.state()
            try study.check(state, file: checkpointPath)
            try study.holdResumed(state, file: checkpointPath)
            resumed = state
        }
        // Everything is checked: now the output directory is created and locked for the whole run.
        let output = sharded ? try OutputSet(directory: directory, name: shardSet.name, files: shardSet.files, scratchFiles: shardSet.scratch, force: force)
            : try studyOutputSet(directory, study: study, saveSamples: saveSamples, force: force)
        let first = resumed?.chunks.upperBound ?? chunks.lowerBound
        let sink = saveSamples ? try output.streamingFile("samples.csv") : nil
        sink?.append(CSV.line(study.samplesHeader))

        let clock = ContinuousClock()
        let start = clock.now
        var progress = ProgressReporter(total: study.samples(beforeChunk: chunks.upperBound) - study.samples(beforeChunk: chunks.lowerBound),
                                        label: loaded.scenario.name,
                                        initial: study.samples(beforeChunk: first) - study.samples(beforeChunk: chunks.lowerBound), quiet: quiet)
        defer { progress.finish() }  // on an error too: its line then starts clean
        var checkpointFailure: Error? = nil
        // A run saving samples cannot be resumed, so its checkpoints would only promise that it could.
        var schedule = checkpointEvery > 0 && !saveSamples ? CheckpointSchedule(interval: .seconds(checkpointEvery), start: start) : nil
        let roundDuration = schedule?.roundDuration ?? StudySettings.roundDuration
        var state = try study.run(chunks: first..<chunks.upperBound, sampleSink: sink, roundDuration: roundDuration) { completed, current in
            progress.update(completed: study.samples(beforeChunk: completed.upperBound) - study.samples(beforeChunk: chunks.lowerBound))
            guard schedule?.isDue(at: clock.now) == true, completed.upperBound < chunks.upperBound else { return }
            let began = clock.now
            var snapshot = current()
            if let resumed { snapshot.merge(resumed) }
            let manifest = study.archiveManifest(scenarioSHA256: scenarioHash, shard: shard.index, of: shard.count, completedThrough: completed.upperBound)
            do {
                try FileOutput.write(try StudyArchive(manifest: manifest, scenarioText: scenarioText, state: snapshot).encoded(), to: checkpointPath)
            } catch {
                checkpointFailure = error
            }
            schedule?.written(began: began, ended: clock.now)
        }
        progress.finish()
        if let checkpointFailure { printError("warning: a checkpoint could not be written: \(checkpointFailure)") }
        if let resumed { state.merge(resumed) }
        state.chunks = chunks
        let seconds = (clock.now - start) / .seconds(1)

        try state.checkEncodingMemory(file: finished)
        if sharded {
            let manifest = study.archiveManifest(scenarioSHA256: scenarioHash, shard: shard.index, of: shard.count, completedThrough: chunks.upperBound)
            try output.write(try StudyArchive(manifest: manifest, scenarioText: scenarioText, state: state, threads: study.settings.threads).encoded(), to: shardFile)
            try output.commit(removingScratch: true)
            print("\(loaded.scenario.name): shard \(shard.index)/\(shard.count), chunks \(chunks.lowerBound)..<\(chunks.upperBound), in \(String(format: "%.2f", seconds)) s; wrote \(FileOutput.path(directory, shardFile))")
        } else {
            try sink?.commit()
            let bands = study.seriesBands(state.statistics, threads: study.settings.threads)
            let manifest = runManifest(study, scenarioFile: loaded.path, scenarioSHA256: scenarioHash, units: units,
                                       wallSeconds: resume ? nil : seconds, state: state, bands: bands)
            try writeStudyOutputs(study, state, bands: bands, manifest: manifest, output: output, units: units,
                                  scenarioText: scenarioText, scenarioSHA256: scenarioHash, references: references,
                                  threads: study.settings.threads)
            try output.commit(removingScratch: true)
            print(oneLineSummary(study, state, seconds: resume ? nil : seconds, directory: directory))
            if !study.headline.isEmpty { print(headlineTable(study, state)) }
            for line in targetLines(study, state.targets) { print(line) }
        }
        try reportNonFinite(study, state, sharded: sharded)
    }

    /// Warns of the run's non-finite samples and, for a whole run, fails it (exit 1). A shard's are
    /// reported, and fail the job, by the merge: a failed shard would keep a scheduler from starting
    /// the merge at all (`afterok`).
    func reportNonFinite(_ study: MonteCarloStudy, _ state: StudyState, sharded: Bool) throws {
        let samples = study.samples(beforeChunk: state.chunks.upperBound) - study.samples(beforeChunk: state.chunks.lowerBound)
        if let warning = nonFiniteWarning(study, state, samples: samples, seeAlso: sharded ? "`hpmc merge` reports them" : "see summary.json") {
            printError(warning)
            if !sharded { throw ExitCode(1) }
        }
    }
}

extension Run {
    /// `--metrics`, `--markets`, `--years` (markets and years are checked against the scenario by `MonteCarloStudy`).
    func focus() throws -> StudyFocus {
        StudyFocus(metrics: try metrics.map(StudyFocus.parseMetrics), markets: try markets.map(StudyFocus.parseMarkets),
                   years: try years.flatMap { text throws(StudyError) in try StudyFocus.parseYears(text) }.map(Set.init))
    }
}

/// `--shard I/N`.
struct ShardSpec {
    var index: Int
    var count: Int

    init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// `I/N` in whole numbers; the refusal says so (ArgumentParser's own named no form).
    static func parse(_ argument: String) throws -> ShardSpec {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 2, let index = parts[0], let count = parts[1] else {
            throw ValidationError("give I/N in whole numbers, such as 3/8 (shard I of N, from 0)")
        }
        return ShardSpec(index: index, count: count)
    }

    func validate() throws {
        guard count >= 1, (0..<count).contains(index) else {
            throw SettingsError(option: "--shard", message: "\(index)/\(count): give I/N with N ≥ 1 and 0 ≤ I < N")
        }
    }

    var fileStem: String { "shard-\(index)-of-\(count)" }
}


/// A finished run's files stay as they are on `--resume`: refused when this command asks for outputs
/// they lack (other percentiles or units, saved samples), which only a new run writes. A summary.json
/// from before 0.11.2 records no percentiles or units.
private func checkFinishedOutputs(directory: String, percentiles: [Double], units: UnitSystem, saveSamples: Bool) throws {
    func refusal(_ option: String, wrote: String, asked: String) -> SettingsError {
        SettingsError(option: option, message: "\(directory) holds a finished run that wrote \(wrote), and --resume leaves a finished run's files as they are; "
                          + "to write \(asked), run it again with --force (the same seed draws the same samples)")
    }
    let recorded = FinishedRunOutputs.read(FileOutput.path(directory, "summary.json"))
    if let wrote = recorded?.percentiles, wrote != percentiles {
        func list(_ values: [Double]) -> String { values.map(DecimalNumber.text).joined(separator: ",") }
        throw refusal("--percentiles", wrote: "percentiles \(list(wrote))", asked: "percentiles \(list(percentiles))")
    }
    if let wrote = recorded?.units, wrote != units.rawValue {
        throw refusal("--units", wrote: "\(wrote) units", asked: "\(units.rawValue) units")
    }
    if saveSamples && !FileManager.default.fileExists(atPath: FileOutput.path(directory, "samples.csv")) {
        throw refusal("--save-samples", wrote: "no samples.csv", asked: "one")
    }
}

/// `--percentiles P1,P2,…`, checked as `StudySettings` requires; an empty entry is an error, not skipped.
func parsePercentiles(_ text: String) throws -> [Double] {
    let values = try decimalList(text, option: "--percentiles")
    try StudySettings.validate(percentiles: values)
    return values
}

/// What `count` non-finite samples of `samples` mean for the results; nil when there were none.
func nonFiniteNote(count: UInt64, samples: Int, example: String?, unit: String = "samples") -> String? {
    guard count > 0 else { return nil }
    return "\(count) of \(samples) \(unit) gave a non-finite result\(example.map { " (e.g. \($0))" } ?? ""); they are left out of every band"
}

/// The one warning line of non-finite samples, for every command; nil when there were none.
func nonFiniteWarning(count: UInt64, samples: Int, example: String?, unit: String = "samples", seeAlso: String?) -> String? {
    nonFiniteNote(count: count, samples: samples, example: example, unit: unit).map { warningLine($0, seeAlso: seeAlso) }
}

/// A warning as every command prints it: one line; the command then exits 1.
func warningLine(_ note: String, seeAlso: String?) -> String {
    "warning: \(note)" + (seeAlso.map { "; \($0)" } ?? "")
}

/// What a study's non-finite samples mean for its results; nil when there were none.
func nonFiniteNote(_ study: MonteCarloStudy, _ state: StudyState, samples: Int) -> String? {
    nonFiniteNote(count: study.nonFiniteSamples(state), samples: samples, example: nonFiniteSeries(study, state.statistics).first?.label)
}

/// The one warning line of a study with non-finite samples; nil when there were none.
func nonFiniteWarning(_ study: MonteCarloStudy, _ state: StudyState, samples: Int, seeAlso: String) -> String? {
    nonFiniteNote(study, state, samples: samples).map { warningLine($0, seeAlso: seeAlso) }
}

/// `seconds` is nil for a resumed run, whose time covers only the samples after the checkpoint.
func oneLineSummary(_ study: MonteCarloStudy, _ state: StudyState, seconds: Double?, directory: String) -> String {
    let timing = seconds.map { seconds in
        let rate = seconds > 0 ? String(format: "%.2f M samples/s", Double(study.settings.samples) / seconds / 1e6) : "-"
        return "in \(String(format: "%.2f", seconds)) s (\(rate), \(study.settings.threads) threads)"
    } ?? "(resumed, \(study.settings.threads) threads)"
    let year = study.setup.catalog.years[study.setup.yearCount - 1]
    let reduction = study.headlineFigures(state).first { $0.market == Names.total }.map { total in
        "\(year) reduction \(formatFigure(total.median)) [P5 \(formatFigure(total.p5)), P95 \(formatFigure(total.p95))] \(Metric.reduction.roadmapUnit); "
    } ?? ""
    return "\(study.setup.scenario.name): \(study.settings.samples) samples \(timing); \(reduction)wrote \(directory)"
}

extension StreamingFile: SampleSink {
    public func write(_ text: String) { append(text) }
}

/// The horizon-year reduction per market and total: median, 90 % interval, mean.
func headlineTable(_ study: MonteCarloStudy, _ state: StudyState) -> String {
    let year = study.setup.catalog.years.last!
    var table = TextTable(["\(year) reduction", "median", "P5", "P95", "mean", "unit"])
    for figure in study.headlineFigures(state) {
        table.add([figure.market, formatFigure(figure.median), formatFigure(figure.p5), formatFigure(figure.p95),
                   formatFigure(figure.mean), Metric.reduction.roadmapUnit])
    }
    return table.render()
}

/// When a run writes its checkpoints. They come between rounds, so rounds last no longer than the
/// interval, nor shorter than `shortestRound` (each ends in a barrier); and writing them takes at
/// most a tenth of the run: the next waits at least nine times as long as the last took.
struct CheckpointSchedule {
    static let shortestRound = Duration.milliseconds(50)
    let interval: Duration
    private var last: ContinuousClock.Instant
    private var spacing: Duration

    init(interval: Duration, start: ContinuousClock.Instant) {
        self.interval = interval
        last = start
        spacing = interval
    }

    var roundDuration: Duration { max(Self.shortestRound, min(StudySettings.roundDuration, interval)) }

    func isDue(at now: ContinuousClock.Instant) -> Bool { now - last >= spacing }

    mutating func written(began: ContinuousClock.Instant, ended: ContinuousClock.Instant) {
        last = ended
        spacing = max(interval, (ended - began) * 9)
    }
}
