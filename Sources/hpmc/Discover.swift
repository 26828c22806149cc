import ArgumentParser
import CSV
import FileOutput
import Foundation
import ParallelRunner
import RoadmapModel
import Scenario
import ScenarioDiscovery
import SVGCharts
import UncertaintyStudy

struct Discover: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Scenario discovery: the input ranges in which a condition (a missed target) concentrates.",
        discussion: """
        PRIM (Friedman & Fisher 1999) as scenario discovery uses it: the box of all samples is peeled, \
        --peel-alpha of its samples at a time, on the input and side that scores best, until it would \
        hold fewer than --mass-min of them; the last box is then pasted outwards while that raises its \
        density. Objective: lenient1 (EMA Workbench's default: gain in density per sample removed) or \
        original (the new box's density).
        Coverage: the share of the condition's samples inside the box; density: the share of the box's \
        samples that meet the condition. The box reported is the one of the trajectory that reaches \
        --threshold density with the highest coverage (of equal coverage, the densest); each restricted side of an input gets a \
        quasi-p-value (one-sided binomial test of the box against the box without that limit).
        Samples: a scenario's (drawn and evaluated as hpmc run does: same seed, same samples, same box \
        for any --threads; about 200 bytes per sample with CNS's 12 inputs, measured: some 5 million fit in 1 GB), \
        or --from a run's samples.csv (hpmc run --save-samples), whose inputs and horizon-year outputs it reads.
        The condition: --where "METRIC MARKET YEAR OP VALUE", OP one of < <= > >=, e.g. \
        "reduction total 2060 < 4.34". Samples whose output is not finite are left out (exit 1).
        Writes discovery.csv (the trajectory), box.csv (the chosen box), discovery.json (the summary) \
        and discovery-tradeoff.svg.
        """)

    @Argument(help: "Scenario file (YAML); omit with --from.")
    var scenario: String?

    @Option(help: "A run's samples.csv to analyse instead of drawing samples.")
    var from: String?

    @Option(name: .customLong("where"), help: "The condition, e.g. \"reduction total 2060 < 4.34\".")
    var condition: String

    static let defaultSamples = 200_000

    @Option(name: .customLong("samples"), parsing: .unconditional, help: ArgumentHelp("Samples drawn from the scenario (default \(Discover.defaultSamples)).", valueName: "samples"))
    var givenSamples: Int?

    var samples: Int { givenSamples ?? Self.defaultSamples }

    @OptionGroup var sampling: SamplingOptions

    @Option(parsing: .unconditional, help: "Fraction of the box's samples each peel removes, in (0, 0.5).", transform: decimalOption)
    var peelAlpha: Double = 0.05

    @Option(parsing: .unconditional, help: "Fraction of the box's samples each paste adds, in (0, 1).", transform: decimalOption)
    var pasteAlpha: Double = 0.05

    @Option(parsing: .unconditional, help: "Smallest fraction of all samples a box may hold, in (0, 1).", transform: decimalOption)
    var massMin: Double = 0.05

    @Option(parsing: .unconditional, help: "Density the reported box must reach, in (0, 1].", transform: decimalOption)
    var threshold: Double = 0.8

    @Option(help: "Peeling objective: lenient1 or original.")
    var objective: PRIM.Objective = .lenient1

    @Option(help: "Output directory (default: out/<scenario name>-discover).")
    var out: String?

    @Flag(help: "Overwrite existing outputs in --out.")
    var force = false

    static let files = ["discovery.csv", "box.csv", "discovery.json", "discovery-tradeoff.svg"]

    /// Memory per sample at most: the drawing's buffers and what PRIM keeps (see their own estimates),
    /// as if both were held at once (they are not: CNS, 12 inputs, measured about 200 bytes against the 314 this gives).
    static func bytesPerSample(inputs: Int) -> Int {
        DiscoverySamples.bytesPerSample(inputs: inputs) + PRIM.bytesPerSample(inputs: inputs)
    }

    /// "need about X; this machine allows Y (…)" when `samples` of `inputs` inputs would not fit.
    static func memoryShortage(samples: Int, inputs: Int) -> String? {
        let needed = Double(samples) * Double(bytesPerSample(inputs: inputs))
        guard let available = memoryLeftBytes(), needed > Double(available) else { return nil }
        return "need about \(memorySize(needed)); \(machineAllows(available))"
    }

    /// `--where`: a target's grammar over any computed metric; samples carry no segments.
    func whereCondition() throws -> TargetCondition {
        let condition = try TargetCondition(parsing: condition, subject: .condition, metrics: Metric.allCases)
        guard condition.segment == Names.all else {
            throw SettingsError(option: "--where", message: "'\(self.condition)': discover looks at markets and totals, not segments; write METRIC MARKET YEAR OP NUMBER")
        }
        return condition
    }

    var options: PRIM.Options { PRIM.Options(peelAlpha: peelAlpha, pasteAlpha: pasteAlpha, massMin: massMin, objective: objective) }

    func validate() throws {
        try validatingOptions {
            guard (scenario == nil) != (from == nil) else {
                throw SettingsError(option: "--from", message: "give either a scenario file or --from SAMPLES.csv, not \(scenario == nil ? "neither" : "both")")
            }
            // ArgumentParser keeps the last of a repeated option: a second condition replaced the first unsaid.
            let conditions = CommandLine.arguments.dropFirst().prefix { $0 != "--" }.filter { $0 == "--where" || $0.hasPrefix("--where=") }.count
            guard conditions <= 1 else {
                throw SettingsError(option: "--where", message: "given \(conditions) times; discover analyses one condition: run it once for each")
            }
            _ = try whereCondition()
            try options.validate()
            guard threshold > 0, threshold <= 1 else { throw SettingsError(option: "--threshold", message: "\(threshold); give a density in (0, 1]") }
            if scenario != nil {
                try sampling.settings(samples: samples).validate()
                guard samples <= PRIM.maximumSamples else { throw SettingsError(option: "--samples", message: "\(samples) samples; discover takes at most \(PRIM.maximumSamples)") }
            }
            if from != nil, let option = sampling.givenDrawOptions(samples: givenSamples).first {
                throw SettingsError(option: option, message: "draws samples from a scenario file; --from analyses the samples it reads")
            }
            try checkInputFile(from, option: "--from")
        }
    }

    func run() throws {
        try reportingInputErrors(discover)
    }

    /// What it throws is the user's to fix (the scenario or samples file, the condition, the output directory).
    func discover() throws {
        let condition = try whereCondition()
        let started = Date()
        let loaded = try scenario.map { try LoadedScenario(path: $0) }
        let subject = loaded?.scenario.name ?? from ?? ""
        let directory = out ?? "out/\(loaded.map { $0.scenario.name.lowercased() + "-" } ?? "")discover"
        if let loaded, let shortage = Self.memoryShortage(samples: samples, inputs: loaded.scenario.uncertain.count) {
            throw SettingsError(option: "--samples", message: "\(samples) samples \(shortage)")
        }
        // Before drawing and peeling, which may take minutes: not refused only at their end for want of --force.
        try OutputSet.checkBeforeWork(directory: directory, name: "discover", files: Self.files, force: force)
        let data = try loaded.map { try DiscoverySamples.draw(setup: $0.setup, settings: sampling.settings(samples: samples), condition: condition) }
            ?? DiscoverySamples.read(file: subject, condition: condition) { samples, inputs in
                if let shortage = Self.memoryShortage(samples: samples, inputs: inputs) {
                    throw InputError(file: subject, message: "holds about \(samples) samples of \(inputs) inputs, which \(shortage); "
                                         + "analyse part of it (for instance its first rows, with the header)")
                }
            }
        let finite = data.outputs.indices.filter { data.outputs[$0].isFinite }
        let nonFinite = data.outputs.count - finite.count
        let columns = nonFinite == 0 ? data.columns : data.columns.map { column in finite.map { column[$0] } }
        let cases = finite.map { condition.holds(data.outputs[$0]) }
        // Not "0 of 0 samples meet the condition": that every one was left out is what to say.
        if finite.isEmpty && nonFinite > 0 {
            throw InputError(file: scenario ?? subject, message: "all \(nonFinite) samples gave a non-finite \(condition.sampleColumn), so none can be "
                                 + "compared with '\(condition)'; the inputs overflow the model (run it with hpmc run to see where)")
        }
        let prim = try { () throws -> PRIM in
            do { return try PRIM(columns: columns, cases: cases) } catch let error as PRIMError where error.option == "cases" {
                throw SettingsError(option: "--where", message: "'\(condition)': \(error.message)")
            }
        }()
        let steps = prim.trajectory(options, threads: sampling.threads)
        let chosen = PRIM.select(steps, threshold: threshold)
        let seconds = Date().timeIntervalSince(started)

        let summary = DiscoverySummary(subject: subject, condition: condition, names: data.names, prim: prim, steps: steps, chosen: chosen,
                                       threshold: threshold, options: options, nonFinite: nonFinite,
                                       seed: scenario == nil ? nil : sampling.seed, sampler: scenario == nil ? nil : sampling.sampler.rawValue)
        // The set is made only now, so that a condition no sample meets leaves no directory behind.
        let output = try OutputSet(directory: directory, name: "discover", files: Self.files, force: force)
        try output.write(summary.trajectoryCSV(), to: "discovery.csv")
        try output.write(summary.boxCSV(), to: "box.csv")
        try output.write(FileOutput.json(summary.json, for: FileOutput.path(directory, "discovery.json")), to: "discovery.json")
        try output.write(summary.tradeoffChart().svg(), to: "discovery-tradeoff.svg")
        try output.commit()
        print(summary.sentence)
        print(String(format: "%d samples, %d steps, %.2f s; wrote %@", cases.count, steps.count, seconds, FileOutput.path(directory, "discovery.csv")))
        if nonFinite > 0 {
            printError("warning: \(nonFinite) samples had a non-finite \(condition.sampleColumn) and were left out")
            throw ExitCode(1)
        }
    }
}

extension PRIM.Objective: ExpressibleByArgument {}

/// What `discover` found, in the forms it writes.
struct DiscoverySummary {
    var subject: String
    var condition: TargetCondition
    var names: [String]
    var prim: PRIM
    var steps: [PRIM.Step]
    var chosen: Int?
    var threshold: Double
    var options: PRIM.Options
    var nonFinite: Int
    var seed: UInt64?
    var sampler: String?

    /// What box.csv's `restricts` says of an input: both sides, the lower or the upper.
    static let sides = ["both", "lower", "upper"]

    /// The greatest density along the trajectory.
    var densest: Double { steps.map(\.density).max() ?? 0 }

    /// Per restricted input of the chosen box: its bounds, which sides it restricts, ln of each
    /// restricted side's quasi-p-value.
    var restrictions: [(input: Int, lower: Double, upper: Double, sides: String, logPLower: Double?, logPUpper: Double?)] {
        guard let chosen else { return [] }
        let box = steps[chosen].box
        return prim.logQuasiPValues(box).map { d, lower, upper in
            (d, box.lower[d], box.upper[d], lower != nil && upper != nil ? Self.sides[0] : lower != nil ? Self.sides[1] : Self.sides[2], lower, upper)
        }
    }

    func trajectoryCSV() -> String {
        var text = CSV.line(["step", "phase", "coverage", "density", "mass", "samples", "cases", "chosen", "restricted"])
        for (s, step) in steps.enumerated() {
            text += CSV.line([String(s), step.phase.rawValue, CSV.number(step.coverage), CSV.number(step.density), CSV.number(step.mass),
                              String(step.samples), String(step.cases), s == chosen ? "1" : "0", step.restricted.map { names[$0] }.joined(separator: " ")])
        }
        return text
    }

    func boxCSV() -> String {
        var text = CSV.line(["input", "lower", "upper", "restricts", "quasi_p_lower", "quasi_p_upper", "log10_quasi_p_lower", "log10_quasi_p_upper"])
        // A side left at the data's extreme has no quasi-p-value: an empty cell.
        func cells(_ logP: Double?) -> (p: String, log10: String) { (logP.map { CSV.number(exp($0)) } ?? "", logP.map { CSV.number($0 / M_LN10) } ?? "") }
        for r in restrictions {
            let lower = cells(r.logPLower), upper = cells(r.logPUpper)
            text += CSV.line([names[r.input], CSV.number(r.lower), CSV.number(r.upper), r.sides, lower.p, upper.p, lower.log10, upper.log10])
        }
        return text
    }

    /// One sentence: where the condition concentrates, or that no box reaches the threshold.
    var sentence: String {
        Self.sentence(subject: subject, condition: condition.text, samples: steps[0].samples, cases: steps[0].cases, threshold: threshold,
                      densest: densest, chosen: chosen.map { (steps[$0].coverage, steps[$0].density, steps[$0].mass) },
                      ranges: restrictions.map { (names[$0.input], $0.lower, $0.upper, $0.sides) })
    }

    /// The sentence of a discovery from its figures, as discovery.json and box.csv hold them (`report`
    /// shows it only when it is this). `ranges`: the chosen box's restricted inputs and sides.
    static func sentence(subject: String, condition: String, samples: Int, cases: Int, threshold: Double, densest: Double,
                         chosen: (coverage: Double, density: Double, mass: Double)?,
                         ranges: [(name: String, lower: Double, upper: Double, sides: String)]) -> String {
        // The share first, then the percentage: (100 × cases) / samples rounds some ties the other way.
        let lead = "\(subject): \(condition) in \(String(format: "%.1f", 100 * (Double(cases) / Double(samples)))) % of \(samples) samples"
        guard let chosen else { return lead + "; no box reaches density \(formatFigure(threshold)) (the densest: \(formatFigure(densest)))." }
        let restricted = ranges.map { r in
            r.sides == sides[0] ? "\(formatFigure(r.lower)) ≤ \(r.name) ≤ \(formatFigure(r.upper))"
                : r.sides == sides[1] ? "\(r.name) ≥ \(formatFigure(r.lower))" : "\(r.name) ≤ \(formatFigure(r.upper))"
        }
        return lead + "; mostly when " + restricted.joined(separator: " and ")
            + String(format: ": coverage %.2f, density %.2f, %.0f %% of the samples.", chosen.coverage, chosen.density, 100 * chosen.mass)
    }

    struct JSON: Encodable {
        var subject: String
        var condition: String
        var samples: Int
        var cases: Int
        var nonFiniteSamples: Int
        var seed: UInt64?
        var sampler: String?
        var objective: String
        var peelAlpha: Double
        var pasteAlpha: Double
        var massMin: Double
        var threshold: Double
        var chosenStep: Int?
        var coverage: JSONNumber?
        var density: JSONNumber?
        var mass: JSONNumber?
        /// The greatest density along the trajectory (the sentence's, when no box reaches the threshold).
        var densest: JSONNumber
        var sentence: String
    }

    var json: JSON {
        let step = chosen.map { steps[$0] }
        return JSON(subject: subject, condition: condition.text, samples: steps[0].samples, cases: steps[0].cases,
                    nonFiniteSamples: nonFinite, seed: seed, sampler: sampler, objective: options.objective.rawValue,
                    peelAlpha: options.peelAlpha, pasteAlpha: options.pasteAlpha, massMin: options.massMin, threshold: threshold,
                    chosenStep: chosen, coverage: step.map { JSONNumber($0.coverage) }, density: step.map { JSONNumber($0.density) },
                    mass: step.map { JSONNumber($0.mass) }, densest: JSONNumber(densest), sentence: sentence)
    }

    /// Density against coverage along the trajectory, the chosen box marked.
    func tradeoffChart() -> FanChart {
        var chart = FanChart(title: "\(subject): where \(condition)", xLabel: "coverage", yLabel: "density", x: steps.map(\.coverage))
        chart.lines = [.init(name: "peeling and pasting trajectory", values: steps.map(\.density), colour: Palette.blue)]
        chart.points = chosen.map { [.init(x: steps[$0].coverage, y: steps[$0].density, label: "chosen box (step \($0))", colour: Palette.vermillion)] } ?? []
        chart.xDomain = 0...1
        chart.yDomain = 0...1
        return chart
    }
}
