import ArgumentParser
import CSV
import FileOutput
import Foundation
import RoadmapModel
import Scenario

struct Project: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Run the deterministic model and write the central projection.",
        discussion: """
        Fits each market's sales curve through its anchors, runs the stock-and-emissions model from \
        the base year to the horizon and writes every series to central.csv (long format: \
        scenario,market,segment,metric,year,value,unit). Prints the key years. A value the model \
        cannot compute (inputs so extreme that it overflows) is printed n/a and left empty, with a \
        warning and exit status 1.
        """)

    @Argument(help: "Scenario file (YAML), e.g. Scenarios/cns.yaml.")
    var scenario: String

    @Option(help: "Directory for central.csv; nothing is written without it.")
    var out: String?

    @Option(help: "Units: roadmap (1e4 units/yr, 1e8 CNY/yr, 1e8 tCO2/yr) or si (units/yr, CNY/yr, MtCO2/yr).")
    var units: UnitSystem = .roadmap

    @Flag(help: "Overwrite central.csv if --out already holds one.")
    var force = false

    func run() throws {
        try reportingInputErrors(project)
    }

    /// What it throws is the user's to fix (the scenario, the output directory).
    func project() throws {
        let loaded = try LoadedScenario(path: scenario)
        let projection = Projection(setup: loaded.setup)
        // Before the projection is printed: a refused --out is then the command's only output.
        if let out { try OutputSet.checkBeforeWork(directory: out, name: "central", files: ["central.csv"], force: force) }
        printCurveFits(loaded.setup)
        print(keyYearTable(projection, units: units))
        if let out {
            let output = try OutputSet(directory: out, name: "central", files: ["central.csv"], force: force)
            try output.write(centralCSV(projection, units: units), to: "central.csv")
            try output.commit()
            print("wrote \(FileOutput.path(out, "central.csv"))")
        }
        // As a run's non-finite samples: said, and exit 1, so that no script takes the n/a for figures.
        let rows = projection.rows(units: units)
        if let first = rows.first(where: { !$0.value.isFinite }) {
            let count = rows.count(where: { !$0.value.isFinite })
            printError("warning: \(count) of \(rows.count) central values are not finite (e.g. \(first.key.metric.rawValue) \(first.key.market) "
                       + "\(first.year)): the scenario's inputs overflow the model there; they are printed n/a"
                       + (out == nil ? "" : " and left empty in central.csv"))
            throw ExitCode(1)
        }
    }
}

extension UnitSystem: ExpressibleByArgument {}

/// central.csv: one row per series and year.
func centralCSV(_ projection: Projection, units: UnitSystem) -> String {
    var text = CSV.line(["scenario", "market", "segment", "metric", "year", "value", "unit"])
    let name = projection.setup.scenario.name
    for row in projection.rows(units: units) {
        text += CSV.line([name, row.key.market, row.key.segment, row.key.metric.rawValue, String(row.year),
                          CSV.number(row.value), row.unit])
    }
    return text
}

func printCurveFits(_ setup: ModelSetup) {
    for (market, fit) in zip(setup.scenario.markets, setup.curveFits) {
        guard let fit else {
            print("\(market.name): sales by compound growth between anchors")
            continue
        }
        let parameters = zip(fit.parameterNames, fit.parameters).map { "\($0) = \(String(format: "%.6g", $1))" }
        print("\(market.name): \(fit.model.rawValue) sales curve \(parameters.joined(separator: ", "))")
    }
}

/// Sales, value, stock and reduction per market in the key years.
func keyYearTable(_ projection: Projection, units: UnitSystem) -> String {
    let years = projection.setup.catalog.years
    let keyYears = years.filter { $0 == years.first || $0 == years.last || $0 % 10 == 0 || $0 == 2025 || $0 == 2035 }
    var table = TextTable(["market", "metric", "unit"] + keyYears.map(String.init))
    let markets = projection.setup.scenario.markets.map(\.name) + [Names.total]
    for market in markets {
        for metric in [Metric.sales, .value, .stock, .reduction] {
            let values = keyYears.map { projection.value(SeriesKey(market: market, metric: metric), year: $0)! * units.factor(metric) }
            table.add([market, metric.rawValue, units.unit(metric)] + values.map(formatFigure))
        }
    }
    return "\(projection.setup.scenario.name) central projection\n" + table.render()
}
