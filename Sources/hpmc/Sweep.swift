import ArgumentParser
import CSV
import FileOutput
import Foundation
import ParallelRunner
import RoadmapModel
import Sampling
import Scenario
import StudyOutputs
import SVGCharts
import UncertaintyStudy

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Parameter sweep: how the bands move across a grid of pinned inputs.",
        discussion: """
        A full-factorial grid over 1 to 4 names. At each point those inputs are pinned and every other \
        uncertain input is sampled with the same seed, so all points see the same draws of the others \
        (common random numbers): differences between points are the pinned inputs' effect, not noise.
        A name is an uncertain input of the scenario (its value in the input's own units, e.g. a COP \
        factor) or any model quantity by its path (e.g. grid@2060, lifetime.mean); --list prints them.
        Writes sweep.csv: point,<names>,market,metric,year,stat,value,unit, for the whole markets in \
        --year (default: the last year), the only year each point tracks.
        """)

    @Argument(help: "Scenario file (YAML).")
    var scenario: String

    @Option(name: .customLong("grid"), help: "NAME=LO:HI:STEPS, e.g. cop_heating=0.85:1.15:4 (repeat for up to 4 names).")
    var grids: [String] = []

    @Flag(help: "List the names that --grid accepts and exit.")
    var list = false

    @Option(parsing: .unconditional, help: "Samples at each grid point.")
    var samplesPerPoint: Int = 20_000

    @Option(parsing: .unconditional, help: "Year of the reported figures.")
    var year: Int?

    @OptionGroup var sampling: SamplingOptions

    @Option(help: "Output directory (default: out/<scenario name>-sweep).")
    var out: String?

    @Flag(help: "Overwrite existing outputs in --out.")
    var force = false

    @Flag(help: "No progress bar.")
    var quiet = false

    /// The units and percentiles of sweep.csv.
    static let units = UnitSystem.roadmap, percentiles = StudySettings.defaultPercentiles

    func validate() throws {
        try validatingOptions {
            do {
                try sampling.settings(samples: samplesPerPoint).validate()
            } catch let error as StudyError where error.subject == .sampleCount {
                throw SettingsError(option: "--samples-per-point", message: error.message)
            }
        }
    }

    func run() throws {
        try reportingInputErrors(sweep)
    }

    /// The grids of `--grid`; the message for a name that addresses nothing says where the names are listed.
    func sweepGrid(setup: ModelSetup) throws -> SweepGrid {
        do {
            return try SweepGrid(specifications: grids, setup: setup)
        } catch where error.subject == .sweepName {
            throw SettingsError(option: error.subject.option, message: error.message + "; `hpmc sweep --list SCENARIO` prints the names")
        }
    }

    /// What it throws is the user's to fix (the scenario, a grid name or value, the output directory).
    func sweep() throws {
        let loaded = try LoadedScenario(path: scenario)
        if list {
            let names = SweepGrid.names(setup: loaded.setup)
            print("Uncertain inputs (value in the input's own units):\n  " + names.inputs.joined(separator: "\n  "))
            print("Model quantities (value replaces the scenario's):")
            for slot in names.quantities {
                print("  \(slot.name)  (scenario value \(formatFigure(slot.central)))")
            }
            return
        }
        let grid = try sweepGrid(setup: loaded.setup)
        let years = loaded.setup.catalog.years
        let reportYear = year ?? years.last!
        guard years.contains(reportYear) else {
            throw SettingsError(option: "--year", message: "\(reportYear) is outside \(years.first!)...\(years.last!)")
        }
        let swept = Set(grid.axes.map(\.name))
        for correlation in loaded.scenario.correlations {
            for (pinned, drawn) in [(correlation.first, correlation.second), (correlation.second, correlation.first)]
            where swept.contains(pinned) && !swept.contains(drawn) {
                printError("note: \(pinned) is rank-correlated with \(drawn) (\(formatFigure(correlation.rho))) in the scenario; the sweep pins \(pinned), "
                           + "and \(drawn) keeps its own distribution, not its distribution given the pinned value")
            }
        }
        var settings = sampling.settings(samples: samplesPerPoint, percentiles: Self.percentiles)
        // sweep.csv holds the report year only: the other years are not tracked (as `run --years`).
        settings.focus = StudyFocus(years: [reportYear])
        let directory = out ?? "out/\(loaded.scenario.name.lowercased())-sweep"
        let heatMap = "sweep-reduction-total.svg"
        // Point 0's study checks what every point's does (its pilot, the memory) before the directory is made.
        _ = try MonteCarloStudy(setup: loaded.setup, settings: settings, pins: grid.pins(point: 0))
        let output = try OutputSet(directory: directory, name: "sweep", files: ["sweep.csv"] + (grid.axes.count == 2 ? [heatMap] : []),
                                   otherFiles: [heatMap], force: force)
        // At most 10,000 points of at most StudySettings.maximumSamples each (both checked): no overflow.
        var progress = ProgressReporter(total: grid.points.count * samplesPerPoint, label: "\(loaded.scenario.name) sweep", quiet: quiet)
        defer { progress.finish() }  // on an error too: its line then starts clean
        // Streamed point by point, so memory does not grow with the number of points.
        let sweepFile = try output.streamingFile("sweep.csv")
        sweepFile.append(CSV.line(grid.header))
        var medians: [Double] = []
        var nonFiniteSamples: UInt64 = 0, nonFiniteExample: String?
        try grid.run(setup: loaded.setup, settings: settings, afterRound: { p, samples in
            progress.update(completed: p * samplesPerPoint + samples)
        }) { p, study, state in
            let point = grid.points[p]
            nonFiniteSamples += study.nonFiniteSamples(state)
            if nonFiniteExample == nil { nonFiniteExample = nonFiniteSeries(study, state.statistics).first.map { "point \(p): \($0.label)" } }
            var text = ""
            for row in study.bands(state, units: Self.units, years: [reportYear], segment: Names.all) {
                text += CSV.line([String(p)] + point.map { "\($0)" } + [row.key.market, row.key.metric.rawValue, String(row.year), row.stat, CSV.number(row.value), row.unit])
                if row.key == SeriesKey(market: Names.total, metric: .reduction) && row.stat == "p50" { medians.append(row.value) }
            }
            sweepFile.append(text)
        }
        progress.finish()
        try sweepFile.commit()
        if grid.axes.count == 2 {
            let (rows, columns) = (grid.axes[0], grid.axes[1])
            let map = HeatMap(title: "\(loaded.scenario.name): median total CO2 reduction in \(reportYear)",
                              xLabel: columns.name, yLabel: rows.name, valueLabel: Metric.reduction.roadmapUnit,
                              xValues: columns.values, yValues: rows.values,
                              values: rows.values.indices.map { r in columns.values.indices.map { medians[r * columns.values.count + $0] } })
            try output.write(map.svg(), to: heatMap)
        }
        try output.commit()
        print(sweepTable(grid, medians: medians, year: reportYear))
        print("wrote \(FileOutput.path(directory, "sweep.csv"))")
        if let warning = nonFiniteWarning(count: nonFiniteSamples, samples: grid.points.count * samplesPerPoint,
                                          example: nonFiniteExample, seeAlso: "each point's bands leave its own out") {
            printError(warning)
            throw ExitCode(1)
        }
    }
}

/// The median total reduction at each grid point: a matrix for two names, a column otherwise.
func sweepTable(_ grid: SweepGrid, medians: [Double], year: Int) -> String {
    let title = "Median total reduction in \(year), \(Metric.reduction.roadmapUnit)"
    if grid.axes.count == 2 {
        let (rows, columns) = (grid.axes[0], grid.axes[1])
        var table = TextTable(["\(rows.name) \\ \(columns.name)"] + columns.values.map(formatFigure))
        for (r, value) in rows.values.enumerated() {
            table.add([formatFigure(value)] + columns.values.indices.map { formatFigure(medians[r * columns.values.count + $0]) })
        }
        return title + "\n" + table.render()
    }
    var table = TextTable(grid.axes.map(\.name) + ["median"])
    for (p, point) in grid.points.enumerated() { table.add(point.map(formatFigure) + [formatFigure(medians[p])]) }
    return title + "\n" + table.render()
}
