import RoadmapModel
import Scenario
import StreamingStatistics

// The shortest path through the engine, for embedders (README, "Using hpmc as a library"): the
// steps `hpmc run` takes around its files, each delegating to the general API.
extension MonteCarloStudy {
    /// A study of the scenario in the YAML file at `path`, loaded and compiled as `hpmc run` does.
    ///
    /// - Throws: `InputError` naming the file, line and key of a problem in the scenario;
    ///   `StudyError` for settings out of range; `MemoryShortage` when `settings.threads` workers
    ///   would not fit in the memory the process may use.
    public init(scenarioFile path: String, settings: StudySettings) throws {
        try self.init(setup: ModelSetup(scenario: Scenario.load(contentsOf: path)), settings: settings)
    }

    /// Runs every sample on `settings.threads` threads (which never change the numbers) and returns
    /// the accumulated statistics, to be read with `percentile(_:of:year:in:)` or `bands(_:units:years:)` (StudyOutputs).
    /// Throws `RunMemoryError` when the system refuses the memory of the workers' bins, or the counts
    /// of values far beyond the first chunk's range outgrow the memory left for them.
    public func run() throws(RunMemoryError) -> StudyState {
        try run(chunks: 0..<plan.chunkCount)
    }
}
