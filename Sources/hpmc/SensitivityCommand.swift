import ArgumentParser
import CSV
import FileOutput
import Foundation
import ParallelRunner
import RoadmapModel
import Scenario
import Sensitivity
import SVGCharts
import UncertaintyStudy

struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Which assumptions drive a result: Sobol' indices, Morris screening or a tornado.",
        discussion: """
        sobol    Saltelli sampling on scrambled Sobol' points; first-order (Saltelli 2010) and total \
        (Jansen) indices with 95 % intervals; --second-order; --groups. --intervals asymptotic (the \
        default): the delta method, sd from each estimator's influence on it, one pass over the model \
        runs, so --years all costs little more than one year. --intervals bootstrap: sd over --bootstrap \
        resamples of the base rows (as SALib), that many times the estimators' cost in every year. Both \
        report z · sd as the half-width; they agree within a few per cent at N in the thousands.
        morris   elementary effects over --trajectories on a --levels grid (levels at the middles of \
        equal-probability bins): mu*, mu, sigma, with a bootstrap interval for mu*.
        tornado  each input at its P5 and its P95 with every other input at its central value, sorted \
        by swing.
        The quantity analysed: --metric of --market in --year (default: total reduction in the horizon \
        year), or in every year of --years (all, 2030-2060, 2030,2040 …) from the same model runs: each \
        year's indices equal a --year run's bit for bit. Inputs are drawn independently (rank \
        correlations are not applied). Writes sensitivity.csv and sensitivity.json (a row per year and \
        input), sensitivity-<method>.svg (the last year) and, for sobol over several years, \
        sensitivity-sobol-years.svg (S1 by year, stacked).
        Known answers: --test-function ishigami (a = 7, b = 0.1) or g-function (--g-a) instead of a scenario.
        """)

    /// The methods, each one `SensitivityAnalysis` in a file of its own: a new method is its file and a case here.
    enum Method: String, ExpressibleByArgument, CaseIterable {
        case sobol, morris, tornado

        var analysis: any SensitivityAnalysis.Type {
            switch self {
            case .sobol: return SobolAnalysis.self
            case .morris: return MorrisAnalysis.self
            case .tornado: return TornadoAnalysis.self
            }
        }
    }
    enum TestFunction: String, ExpressibleByArgument, CaseIterable { case ishigami, gFunction = "g-function" }
    enum IntervalMethod: String, ExpressibleByArgument, CaseIterable, Codable { case asymptotic, bootstrap }

    @Argument(help: "Scenario file (YAML); omit with --test-function.")
    var scenario: String?

    @Option(help: "sobol, morris or tornado.")
    var method: Method = .sobol

    @Option(parsing: .unconditional, help: "Base samples N for sobol (rounded up to a power of two): N(k + 2) model runs (default \(SensitivityCommand.defaultSamples)).")
    var samples: Int?

    @Option(parsing: .unconditional, help: "Year of the analysed quantity (default: the horizon).")
    var year: Int?

    @Option(parsing: .unconditional, help: "Years analysed from the same model runs: \(StudyFocus.yearsGrammar).")
    var years: String?

    @Option(help: "Metric analysed.")
    var metric: Metric = .reduction

    @Option(help: "Market analysed (or total).")
    var market: String = Names.total

    @Option(help: "Groups of inputs analysed together, e.g. \"cop=cop_heating,cop_hotwater;grid=grid_2030,grid_2060\".")
    var groups: String?

    @Flag(help: "Second-order Sobol' indices too.")
    var secondOrder = false

    @Option(parsing: .unconditional, help: "Morris trajectories (default \(SensitivityCommand.defaultTrajectories)).")
    var trajectories: Int?

    @Option(parsing: .unconditional, help: "Morris grid levels, even (default \(SensitivityCommand.defaultLevels)).")
    var levels: Int?

    @Option(help: "Sobol' intervals: asymptotic (delta method; default) or bootstrap.")
    var intervals: IntervalMethod?

    @Option(parsing: .unconditional, help: "Bootstrap resamples for morris's intervals and sobol's with --intervals bootstrap (default 1000).")
    var bootstrap: Int?

    @Option(name: .customLong("seed"), parsing: .unconditional,
            help: ArgumentHelp("Random seed of sobol's and morris's designs (default \(SamplingOptions.defaultSeed)).", valueName: "seed"))
    var givenSeed: UInt64?

    var seed: UInt64 { givenSeed ?? SamplingOptions.defaultSeed }

    @Option(parsing: .unconditional, help: "Worker threads (default: all cores).")
    var threads: Int = availableCoreCount()

    @Option(help: "Run on a test function with known indices instead of a scenario.")
    var testFunction: TestFunction?

    @Option(parsing: .unconditional, help: "The a vector of the G function, comma-separated (default \(SensitivityCommand.defaultGA)).")
    var gA: String?

    @Option(help: "Output directory (default: out/<scenario>-sensitivity).")
    var out: String?

    @Flag(help: "Print sensitivity.json to standard output.")
    var json = false

    @Flag(help: "Overwrite existing outputs in --out.")
    var force = false

    @Flag(help: "No progress bar.")
    var quiet = false

    func validate() throws {
        try validatingOptions {
            guard threads >= 1 else { throw naming(SensitivityError.invalidThreadCount(threads), method.analysis) }
            guard intervals == nil || method == .sobol else {
                throw SettingsError(option: "--intervals", message: "chooses sobol's intervals; morris's interval of mu* is always a bootstrap (--bootstrap), a tornado has none")
            }
            guard method != .sobol || intervals == .bootstrap || bootstrap == nil else {
                throw SettingsError(option: "--bootstrap", message: "sets the resamples of bootstrap intervals, and sobol's are asymptotic unless --intervals bootstrap")
            }
            guard method != .tornado || bootstrap == nil else {
                throw SettingsError(option: "--bootstrap", message: "sets the resamples of bootstrap intervals, and a tornado has none")
            }
            // An option another method reads would be ignored without a word.
            for (given, option, owner) in [(samples != nil, "--samples", Method.sobol), (secondOrder, "--second-order", .sobol),
                                           (trajectories != nil, "--trajectories", .morris), (levels != nil, "--levels", .morris)]
            where given && method != owner {
                throw SettingsError(option: option, message: "is read by --method \(owner.rawValue) only, not by \(method.rawValue)")
            }
            guard method != .tornado || givenSeed == nil else {
                throw SettingsError(option: "--seed", message: "seeds sobol's and morris's designs; a tornado draws nothing")
            }
            guard method != .tornado || groups == nil else {
                throw SettingsError(option: "--groups", message: "moves inputs together in sobol and morris; a tornado moves each input alone")
            }
            guard testFunction == nil || year == nil else { throw SettingsError(option: "--year", message: "a test function has no years; --year needs a scenario") }
            guard gA == nil || testFunction == .gFunction else {
                throw SettingsError(option: "--g-a", message: "sets the G function's a vector; it needs --test-function g-function")
            }
        }
    }

    func run() throws {
        try reportingInputErrors { try analyse(makeProblem(), method.analysis) }
    }

    /// The defaults of the options each method reads (optional, so that another method's are refused).
    static let defaultSamples = 1 << 14, defaultTrajectories = 20, defaultLevels = 4, defaultGA = "0,1,4.5,9,99,99,99,99"

    /// The options' values, their defaults where not given.
    var sobolSamples: Int { samples ?? Self.defaultSamples }
    var morrisTrajectories: Int { trajectories ?? Self.defaultTrajectories }
    var morrisLevels: Int { levels ?? Self.defaultLevels }

    /// Plans, runs and writes one method's analysis of `problem`; what it throws but an `ExitCode` is
    /// the user's to fix (an option against the scenario, the output directory).
    func analyse<Analysis: SensitivityAnalysis>(_ problem: SensitivityProblem, _: Analysis.Type) throws {
        let directory = out ?? "out/\(problem.label.lowercased())-sensitivity"
        let analysis: Analysis, results: [Analysis.Result]
        do {
            analysis = try Analysis(self, problem: problem, bootstrap: bootstrap.map { BootstrapOptions(resamples: $0) } ?? BootstrapOptions())
        } catch let error as SensitivityError {
            throw naming(error, Analysis.self)
        }
        let files = ["sensitivity.csv", "sensitivity.json"], charts = Method.allCases.flatMap { $0.analysis.chartFiles }
        // Before the analysis, which may take minutes: not refused only at its end for want of --force.
        try OutputSet.checkBeforeWork(directory: directory, name: "sensitivity", files: files, otherFiles: charts, force: force)
        do {
            results = try analysis.results(problem, threads: threads, quiet: quiet)
        } catch let SensitivityError.nonFiniteOutput(index, value) {
            // The model's result, not the user's input: the indices need every evaluation.
            printError(warningLine("model evaluation \(index) gave \(value), a non-finite result; the indices need every evaluation, "
                                   + "so none were computed", seeAlso: nil))
            throw ExitCode(1)
        } catch SensitivityError.constantOutputs(let outputs) {
            let years = outputs.map { problem.years[$0].map(String.init) ?? "" }.joined(separator: ", ")
            throw SettingsError(option: "--years", message: "\(problem.quantity(years)) does not vary over the sample (beyond rounding), so its indices are undefined; "
                                    + "leave \(outputs.count == 1 ? "that year" : "those years") out")
        } catch SensitivityError.constantOutput {
            // One output: what is analysed is the option to change (the G function's through its a vector).
            guard testFunction == nil else {
                throw SettingsError(option: "--g-a", message: "'\(gA ?? Self.defaultGA)' makes the G function constant over the sample (beyond rounding), so its indices are undefined")
            }
            throw SettingsError(option: "--year", message: "\(problem.quantity(problem.years.first.flatMap { $0.map(String.init) } ?? "")) does not vary over the sample "
                                    + "(beyond rounding), so its indices are undefined; choose another --year, --metric or --market")
        } catch let error as SensitivityError {
            throw naming(error, Analysis.self)
        }
        let study = SensitivityStudy(problem: problem, results: results)
        // Opened once every option has been used, so a refused option leaves no directory behind.
        let chart = Analysis.Result.chartFile
        let byYear = Analysis.Result.yearsChart(study)
        let output = try OutputSet(directory: directory, name: "sensitivity", files: files + [chart] + (byYear.map { [$0.file] } ?? []),
                                   otherFiles: charts, force: force)
        let text = try FileOutput.json(study.json(), for: FileOutput.path(directory, "sensitivity.json"))
        try output.write(study.csv, to: "sensitivity.csv")
        try output.write(text + "\n", to: "sensitivity.json")
        try output.write(study.latest.chart(label: problem.label, quantity: study.quantity(study.latestYear)).svg(), to: chart)
        if let byYear { try output.write(byYear.chart.svg(), to: byYear.file) }
        try output.commit()
        print(json ? text : study.table() + "\nwrote \(directory)")
    }

    /// A refusal of the sensitivity library, with the option it concerns.
    func naming<Analysis: SensitivityAnalysis>(_ error: SensitivityError, _: Analysis.Type) -> Error {
        let option: String
        switch error {
        case .tooFewBaseSamples, .tooManyBaseSamples: option = "--samples"
        case .tooFewTrajectories: option = "--trajectories"
        case .tooManyEvaluations, .tooManyOutputs:
            guard let size = Analysis.sizeOption else { return error }
            option = size
        case .tooFewLevels, .oddLevels: option = "--levels"
        case .tooFewResamples, .tooManyResamples: option = "--bootstrap"
        case .invalidThreadCount: option = "--threads"
        case .noGroups, .emptyGroup, .unknownInput, .inputListedTwice, .ungroupedInput: option = "--groups"
        default: return error
        }
        return SettingsError(option: option, message: error.description)
    }

    /// `--groups` as named input index lists.
    func parseGroups(_ names: [String]) throws -> [InputGroup]? {
        guard let groups else { return nil }
        var seen: Set<String> = []
        var result: [InputGroup] = []
        // An empty group or member is an error, as an empty entry of every other list is.
        for part in groups.split(separator: ";", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, !pieces[0].isEmpty else { throw SettingsError(option: "--groups", message: "'\(part)': write NAME=input,input;NAME=…") }
            // A group's name is written where an input's is (sensitivity.csv rows, charts).
            guard UncertainInput.isValidName(pieces[0]) else {
                throw SettingsError(option: "--groups", message: "'\(pieces[0].prefix(40))': a group name is \(UncertainInput.nameRule)")
            }
            let members = pieces[1].split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            var indices: [Int] = []
            for member in members {
                guard let index = names.firstIndex(of: member) else {
                    throw SettingsError(option: "--groups", message: "unknown input '\(member)'; inputs: \(names.joined(separator: ", "))")
                }
                guard seen.insert(member).inserted else { throw SettingsError(option: "--groups", message: "input '\(member)' is named twice") }
                indices.append(index)
            }
            result.append(InputGroup(name: pieces[0], inputs: indices))
        }
        // Inputs not named in any group stay factors of their own.
        for (i, name) in names.enumerated() where !seen.contains(name) { result.append(InputGroup(name: name, inputs: [i])) }
        // Factor names key the outputs' rows.
        var factorNames: Set<String> = []
        for group in result where !factorNames.insert(group.name).inserted {
            throw SettingsError(option: "--groups", message: "'\(group.name)' names two factors; a group's name must differ from the other groups' "
                                    + "and from the inputs in no group")
        }
        return result
    }

    /// `--years` as ascending years of the scenario, or nil when it is not given.
    func parseYears(_ setup: ModelSetup) throws -> [Int]? {
        guard let years else { return nil }
        guard year == nil else { throw SettingsError(option: "--years", message: "give --year or --years, not both") }
        let span = setup.catalog.years
        guard let chosen = try StudyFocus.parseYears(years, subject: .analysedYears) else { return span }
        try StudyFocus.checkYears(chosen, span: span, scenario: setup.scenario.name, subject: .analysedYears)
        return chosen
    }

    /// The model (or test function) to analyse.
    func makeProblem() throws -> SensitivityProblem {
        if let testFunction {
            guard years == nil else { throw SettingsError(option: "--years", message: "a test function has no years; --years needs a scenario") }
            guard scenario == nil else { throw SettingsError(option: "--test-function", message: "give a scenario or a test function, not both") }
            switch testFunction {
            case .ishigami:
                let f = IshigamiFunction(a: 7, b: 0.1)
                return SensitivityProblem(label: "ishigami", names: ["x1", "x2", "x3"], years: [nil], quantity: { _ in "Ishigami f (a = 7, b = 0.1)" },
                                          makeEvaluator: { _ in AnyEvaluator(f) },
                                          evaluateOverrides: { overrides in [testValue(f, dimensions: 3, overrides: overrides)] })
            case .gFunction:
                let gA = self.gA ?? Self.defaultGA
                let a = try decimalList(gA, option: "--g-a")
                if let negative = a.first(where: { $0 < 0 }) {
                    throw SettingsError(option: "--g-a", message: "\(negative) in '\(gA)': each a must be ≥ 0")
                }
                let f = SobolGFunction(a: a)
                return SensitivityProblem(label: "g-function", names: a.indices.map { "x\($0 + 1)" }, years: [nil], quantity: { _ in "Sobol' G function" },
                                          makeEvaluator: { _ in AnyEvaluator(f) },
                                          evaluateOverrides: { overrides in [testValue(f, dimensions: a.count, overrides: overrides)] })
            }
        }
        guard let scenario else { throw SettingsError(option: "scenario", message: "give a scenario file or --test-function") }
        let loaded = try LoadedScenario(path: scenario)
        let mapping = try InputMapping(setup: loaded.setup)
        guard mapping.count > 0 else { throw SettingsError(option: "scenario", message: "\(scenario) declares no uncertain inputs") }
        let analysed = try parseYears(loaded.setup) ?? [year ?? loaded.setup.catalog.years.last!]
        let target = ModelEvaluator.Target(market: market, metric: metric, years: analysed)
        let central: ModelEvaluator
        do {
            central = try ModelEvaluator(setup: loaded.setup, mapping: mapping, target: target)
        } catch let error as StudyError where error.subject == .analysedYears && years == nil {
            throw SettingsError(option: "--year", message: error.message)
        }
        let metric = metric, market = market
        if !loaded.scenario.correlations.isEmpty { printError("note: the scenario's rank correlations are not applied: the indices assume independent inputs") }
        return SensitivityProblem(
            label: loaded.scenario.name, names: mapping.names, years: analysed,
            quantity: { year in "\(metric.rawValue) \(market) \(year) (\(metric.roadmapUnit))" },
            makeEvaluator: { _ in AnyEvaluator(central.copy()) },
            evaluateOverrides: { central.evaluate(overrides: $0) })
    }
}

extension Metric: ExpressibleByArgument {}

/// What a sensitivity method needs of its subject.
struct SensitivityProblem {
    var label: String
    var names: [String]
    /// The years analysed, ascending, one output each; a test function has one output and no year.
    var years: [Int?]
    /// The quantity analysed, given the year (or years) as text.
    var quantity: (String) -> String
    var makeEvaluator: (Int) -> AnyEvaluator
    /// The outputs, one per year, with the given inputs moved and the others central.
    var evaluateOverrides: ([(input: Int, u: Double)]) -> [Double]
}

/// Type-erased evaluator, so test functions and the model share one code path. Unchecked: each
/// instance belongs to one worker, as `BatchEvaluator` requires.
struct AnyEvaluator: BatchEvaluator, @unchecked Sendable {
    private var evaluateBatch: (UnsafeBufferPointer<Double>, Int, UnsafeMutableBufferPointer<Double>) -> Void
    let outputsPerPoint: Int

    init<E: BatchEvaluator>(_ evaluator: E) {
        var inner = evaluator
        outputsPerPoint = evaluator.outputsPerPoint
        evaluateBatch = { inner.evaluate(points: $0, count: $1, into: $2) }
    }

    mutating func evaluate(points: UnsafeBufferPointer<Double>, count: Int, into outputs: UnsafeMutableBufferPointer<Double>) {
        evaluateBatch(points, count, outputs)
    }
}

/// A test function at the centre of the unit cube with some inputs moved.
func testValue<E: BatchEvaluator>(_ function: E, dimensions: Int, overrides: [(input: Int, u: Double)]) -> Double {
    var point = [Double](repeating: 0.5, count: dimensions)
    for o in overrides { point[o.input] = o.u }
    var f = function
    var output = [0.0]
    point.withUnsafeBufferPointer { p in output.withUnsafeMutableBufferPointer { f.evaluate(points: p, count: 1, into: $0) } }
    return output[0]
}

/// A sensitivity method as the command runs it: its options checked, the model run, each year analysed.
protocol SensitivityAnalysis {
    associatedtype Result: SensitivityResult
    /// The option that sets how many model evaluations the method makes (nil: none does).
    static var sizeOption: String? { get }
    /// Checks the command's options for this method; nothing runs yet.
    init(_ command: SensitivityCommand, problem: SensitivityProblem, bootstrap: BootstrapOptions) throws
    /// One result per year of `problem.years`, in its order.
    func results(_ problem: SensitivityProblem, threads: Int, quiet: Bool) throws -> [Result]
}

extension SensitivityAnalysis {
    static var columns: [String] { Result.columns }
    static var chartFiles: [String] { Result.chartFiles }
}

/// One factor's indices, in the order of its method's `columns`.
struct SensitivityRow {
    var parameter: String
    var values: [Double]
}

/// A method's indices of one output (one year): its rows, chart and fields of sensitivity.json.
protocol SensitivityResult {
    /// The method's fields of sensitivity.json beside the indices, over all years.
    associatedtype Summary: Encodable
    static var method: SensitivityCommand.Method { get }
    /// The indices' names: the columns of sensitivity.csv.
    static var columns: [String] { get }
    /// The factors in the order the method reports them.
    var rows: [SensitivityRow] { get }
    func chart(label: String, quantity: String) -> ChartSVG
    /// The method's fields of sensitivity.json from the results of every year, in order.
    static func summary(_ results: [Self]) -> Summary
    /// A chart of every year analysed and its file, or nil when the method draws none.
    static func yearsChart(_ study: SensitivityStudy<Self>) -> (file: String, chart: FanChart)?
    /// Every chart file the method can write (`--force` removes those an analysis does not write).
    static var chartFiles: [String] { get }
    /// A line printed under the table, such as what its intervals are; nil for none.
    static func note(_ results: [Self]) -> String?
}

extension SensitivityResult {
    /// The chart of the last year analysed.
    static var chartFile: String { "sensitivity-\(method.rawValue).svg" }
    static var chartFiles: [String] { [chartFile] }
    static func yearsChart(_ study: SensitivityStudy<Self>) -> (file: String, chart: FanChart)? { nil }
    static func note(_ results: [Self]) -> String? { nil }

    func table(quantity: String) -> String {
        var table = TextTable(["parameter"] + Self.columns)
        for row in rows { table.add([row.parameter] + row.values.map(formatFigure)) }
        return "\(Self.method.rawValue) sensitivity of \(quantity)\n" + table.render()
    }
}

/// A method's results in every year analysed: what the command writes.
struct SensitivityStudy<Result: SensitivityResult> {
    var problem: SensitivityProblem
    /// One per year of `problem.years`, in its order.
    var results: [Result]

    var latestYear: Int? { problem.years.last ?? nil }
    var latest: Result { results[results.count - 1] }

    func quantity(_ year: Int?) -> String { problem.quantity(year.map(String.init) ?? "") }

    /// The quantity over all years analysed.
    var quantitySpan: String {
        let years = problem.years.compactMap { $0 }
        guard years.count > 1, let first = years.first, let last = years.last else { return quantity(latestYear) }
        return problem.quantity("\(first)–\(last)")
    }

    /// One row per year and factor; the year is empty for a test function.
    var csv: String {
        var text = CSV.line(["year", "parameter"] + Result.columns)
        for (year, result) in zip(problem.years, results) {
            for row in result.rows {
                text += CSV.line([year.map(String.init) ?? "", row.parameter] + row.values.map(CSV.number))
            }
        }
        return text
    }

    /// sensitivity.json: an index that could not be computed is null.
    struct JSONResult: Encodable {
        /// One factor's indices in one year under the method's column names.
        struct Entry: Encodable {
            var year: Int?
            var parameter: String
            var values: [String: JSONNumber]

            struct Key: CodingKey {
                var stringValue: String
                var intValue: Int? { nil }
                init(stringValue: String) { self.stringValue = stringValue }
                init?(intValue: Int) { nil }
            }

            func encode(to encoder: Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                try container.encodeIfPresent(year, forKey: Key(stringValue: "year"))
                try container.encode(parameter, forKey: Key(stringValue: "parameter"))
                for (key, value) in values { try container.encode(value, forKey: Key(stringValue: key)) }
            }
        }
        var method: String
        var subject: String
        var quantity: String
        var years: [Int]?
        var indices: [Entry]
        /// The method's own fields, written beside these in one object.
        var summary: Result.Summary

        enum CodingKeys: String, CodingKey { case method, subject, quantity, years, indices }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(method, forKey: .method)
            try container.encode(subject, forKey: .subject)
            try container.encode(quantity, forKey: .quantity)
            try container.encodeIfPresent(years, forKey: .years)
            try container.encode(indices, forKey: .indices)
            try summary.encode(to: encoder)
        }
    }

    func json() -> JSONResult {
        let years = problem.years.compactMap { $0 }
        var indices: [JSONResult.Entry] = []
        for (year, result) in zip(problem.years, results) {
            indices += result.rows.map { row in
                .init(year: year, parameter: row.parameter,
                      values: Dictionary(uniqueKeysWithValues: zip(Result.columns, row.values.map(JSONNumber.init))))
            }
        }
        return JSONResult(method: Result.method.rawValue, subject: problem.label, quantity: quantitySpan, years: years.isEmpty ? nil : years,
                          indices: indices, summary: Result.summary(results))
    }

    func table() -> String {
        var text = latest.table(quantity: quantity(latestYear))
        if let note = Result.note(results) { text += "\n" + note }
        guard problem.years.count > 1 else { return text }
        return text + "\n(the last of \(problem.years.count) years analysed; sensitivity.csv has every year)"
    }
}

/// A chart ready to render.
struct ChartSVG {
    var render: () -> String
    func svg() -> String { render() }
}
