import Scenario

/// The deterministic projection: every computed series at the central (or given) slot values.
public struct Projection: Sendable {
    public let setup: ModelSetup
    /// `values[series.position][year]` for the catalog's computed series, roadmap units.
    public let values: [[Double]]

    /// Evaluates the model once. `slotValues` overrides the central values (calibration uses it);
    /// the overridden slots are evaluated per lane exactly as in a Monte Carlo sample.
    public init(setup: ModelSetup, slotValues: [SlotIndex: Double] = [:]) {
        self.setup = setup
        let kernel = ModelKernel(setup: setup, lanes: 1, varyingSlots: Set(slotValues.keys))
        for (slot, value) in slotValues { kernel.inputs(of: slot)[0] = value }
        kernel.evaluate(count: 1)
        let years = setup.yearCount
        values = setup.catalog.seriesIndices.map { s in (0..<years).map { kernel.outputs[setup.catalog.outputOffset(s, year: $0, lanes: 1)] } }
    }

    /// A reported series' value in a year (roadmap units), nil if the series or year is unknown.
    public func value(_ key: SeriesKey, year: Int) -> Double? {
        guard let y = setup.catalog.years.firstIndex(of: year),
              let series = setup.catalog.reported.first(where: { $0.key == key }) else { return nil }
        return values[series.source.position][y] * (series.shares?[y] ?? 1)
    }

    /// Every reported series and year, for `central.csv`.
    public func rows(units: UnitSystem) -> [(key: SeriesKey, year: Int, value: Double, unit: String)] {
        setup.catalog.reported.flatMap { series in
            setup.catalog.years.enumerated().map { y, year in
                let factor = units.factor(series.key.metric)
                return (series.key, year, values[series.source.position][y] * (series.shares?[y] ?? 1) * factor, units.unit(series.key.metric))
            }
        }
    }
}
