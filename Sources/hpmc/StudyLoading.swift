import FileOutput
import Foundation
import RoadmapModel
import Sampling
import Scenario
import UncertaintyStudy

/// A finished run read back from its directory's study.hpmc: the study (rebuilt from the embedded
/// scenario) and its state.
struct LoadedRun {
    var directory: String
    var archive: StudyArchive
    var study: MonteCarloStudy
    var state: StudyState

    init(directory: String, percentiles: [Double] = StudySettings.defaultPercentiles) throws {
        self.directory = directory
        try checkNoInterruptedCommit(directory)
        let path = FileOutput.path(directory, "study.hpmc")
        guard FileManager.default.fileExists(atPath: path) else {
            throw ArchiveError(file: directory, problem: "holds no study.hpmc: not the --out directory of a finished `hpmc run` or `hpmc merge`")
        }
        archive = try StudyArchive.read(path: path)
        let manifest = archive.manifest
        guard manifest.isComplete, manifest.shardCount == 1 else { throw ArchiveError(file: path, problem: "not a finished whole run") }
        if let focus = manifest.focus {
            let options = focus.narrowed.map { "\($0.subject.option) \($0.list)" }.joined(separator: " ")
            throw ArchiveError(file: path, problem: "a focused run (\(options)); report and compare read a run of all series")
        }
        let scenario = try Scenario.parse(text: archive.scenarioText, file: "\(path) (embedded scenario)")
        guard let sampler = SamplerKind(rawValue: manifest.sampler) else { throw ArchiveError(file: path, problem: "unknown sampler") }
        let settings = StudySettings(samples: manifest.samples, seed: manifest.seed, sampler: sampler, threads: 1, percentiles: percentiles,
                                     targets: try MonteCarloStudy.targets(of: manifest, file: path))
        study = try MonteCarloStudy(setup: try ModelSetup(scenario: scenario), settings: settings)
        state = try archive.state()
        try study.check(state, file: path)
    }
}

/// Refuses a directory in which a crash cut a commit short: it holds part of one command's new files
/// beside part of the old, which no reader may take for one set of results.
func checkNoInterruptedCommit(_ directory: String) throws {
    guard let set = OutputSet.interruptedSets(in: directory).first else { return }
    throw ArchiveError(file: directory, problem: "holds a half-replaced set of files ('\(set)': a crash interrupted moving the new ones in); "
                           + "run the command that wrote them again (a run with --resume), which first completes the move, then read it")
}
