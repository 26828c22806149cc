import RoadmapModel
import UncertaintyStudy

// The embedders' shortest read of a finished study (README, "Using hpmc as a library").
extension MonteCarloStudy {
    /// The `percent` percentile of `series` in `year`, in the roadmap's units (`Metric.roadmapUnit`):
    /// the value `hpmc run` writes to bands.csv. Nil unless `percent` is one of `settings.percentiles`
    /// and the series and year are reported and in the focus.
    public func percentile(_ percent: Double, of series: SeriesKey, year: Int, in state: StudyState) -> Double? {
        // Only a requested percentile has a label (and a band): any other value, NaN or infinite, is nil.
        guard settings.percentiles.contains(percent) else { return nil }
        let stat = percentileLabel(percent)
        return bands(state, years: [year]).first { $0.key == series && $0.stat == stat }?.value
    }
}
