import Foundation
import Testing

struct InputErrorExitCodes {
    /// A target figure the model has no value for is an error naming its row and field, and a file
    /// with no target of the scenario's labels one naming the labels: all passed as not-modelled,
    /// exit 0. One beyond the scenario's years stays not-modelled, counted in the summary.
    @Test(arguments: [("CNS,total,all,reduction,2060,4.34,1e8 tCO2/yr", "CNS,total,all,reduction,2060,4.34,MtCO2/yr",
                       "row 48.unit: 'MtCO2/yr' is not the unit of reduction here; allowed: 1e8 tCO2/yr"),
                      ("CNS,total,all,reduction,2060,4.34", "CNS,bogus,all,reduction,2060,4.34",
                       "row 48.market: 'bogus' is not a market of CNS; allowed: heating, hotwater, total"),
                      ("CNS,total,all,reduction,2060,4.34", "CNS,total,retail,reduction,2060,4.34",
                       "row 48.segment: 'retail' is not a segment of total; allowed: all")])
    func aTargetFigureTheModelLacksIsNamed(old: String, new: String, problem: String) throws {
        let dir = temporaryDirectory("reference-row")
        let references = try String(contentsOfFile: repositoryRoot.appendingPathComponent("Scenarios/roadmap_reference.csv").path, encoding: .utf8)
        #expect(references.contains(old))
        try references.replacingOccurrences(of: old, with: new).write(toFile: dir + "/roadmap_reference.csv", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: cns, toPath: dir + "/cns.yaml")
        let outcome = try hpmc(["validate", dir + "/cns.yaml"])
        #expect(outcome.status == 2 && outcome.stderr == "hpmc: error: \(dir)/roadmap_reference.csv: \(problem)\n", "\(outcome.stderr)")
        try references.replacingOccurrences(of: "CNS,total,all,reduction,2060,4.34", with: "CNS,total,all,reduction,2100,4.34")
            .write(toFile: dir + "/roadmap_reference.csv", atomically: true, encoding: .utf8)
        let beyond = try hpmc(["validate", dir + "/cns.yaml"])
        #expect(beyond.status == 0 && beyond.stdout.contains("42 pass, 0 fail, 0 declared deviations, 1 not modelled (beyond the scenario's years), 14 not targets"),
                "\(beyond.stdout.suffix(200))")
        try (references.split(separator: "\n")[0] + "\n").write(toFile: dir + "/roadmap_reference.csv", atomically: true, encoding: .utf8)
        let empty = try hpmc(["validate", dir + "/cns.yaml"])
        #expect(empty.status == 2 && empty.stderr.hasPrefix("hpmc: error: \(dir)/roadmap_reference.csv: holds no target figure (published, derived or corrected) of base or CNS"),
                "\(empty.stderr)")
    }

    @Test func malformedScenarioExitsWithTwo() throws {
        let dir = temporaryDirectory("bad")
        let bad = dir + "/bad.yaml"
        try "name: X\nbase_year: 2022\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let outcome = try hpmc(["validate", bad])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("bad.yaml"))
        #expect(outcome.stderr.contains("horizon"))
    }

    /// A t0 target would move the observed base year: exit 2, with the file, the line and what to vary instead.
    @Test func midpointTargetExitsWithTwo() throws {
        let dir = temporaryDirectory("t0")
        let text = try String(contentsOfFile: cns, encoding: .utf8)
        #expect(text.contains("target: heating.sales.r\n    apply: factor"))
        try text.replacingOccurrences(of: "target: heating.sales.r\n    apply: factor", with: "target: heating.sales.t0\n    apply: shift")
            .write(toFile: dir + "/t0.yaml", atomically: true, encoding: .utf8)
        let outcome = try hpmc(["run", dir + "/t0.yaml", "--samples", "10", "--out", dir + "/o", "--quiet"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("t0.yaml:") && outcome.stderr.contains("uncertain[6].target"))
        #expect(outcome.stderr.contains("t0 cannot vary") && outcome.stderr.contains("heating.sales.r"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/o"))
    }

    @Test func badOptionsExitWithTwoAndWriteNothing() throws {
        let dir = temporaryDirectory("opts")
        for (arguments, fragment) in [(["--samples", "0"], "--samples"), (["--threads", "0"], "--threads"),
                                      (["--percentiles", "5,150"], "--percentiles"), (["--shard", "3/2"], "--shard")] {
            let outcome = try hpmc(["run", cns, "--out", dir + "/o", "--quiet"] + arguments)
            #expect(outcome.status == 2, "\(arguments)")
            #expect(outcome.stderr.contains(fragment), "\(outcome.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/o/bands.csv"))
        let unknownSampler = try hpmc(["run", cns, "--sampler", "halton", "--out", dir + "/o"])
        #expect(unknownSampler.status != 0)
        #expect(unknownSampler.stderr.contains("sampler"))
    }

    @Test func unwritableOutputIsAnInputError() throws {
        let outcome = try hpmc(["run", cns, "--samples", "10", "--out", "/proc/hpmc-cannot-write", "--quiet"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("/proc/hpmc-cannot-write"))
    }
}

struct CommandOutputs {
    @Test func validateCNSPassesAndPrintsJSON() throws {
        let outcome = try hpmc(["validate", cns, "--json"])
        #expect(outcome.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        #expect(object?["passed"] as? Bool == true)
        #expect((object?["rows"] as? [Any])?.count ?? 0 > 40)
    }

    @Test func projectWritesCentralCSV() throws {
        let dir = temporaryDirectory("project")
        let outcome = try hpmc(["project", cns, "--out", dir, "--units", "si"])
        #expect(outcome.status == 0)
        let text = try String(contentsOfFile: dir + "/central.csv", encoding: .utf8)
        #expect(text.hasPrefix("scenario,market,segment,metric,year,value,unit\n"))
        #expect(text.contains("CNS,total,all,reduction,2060,"))
        #expect(text.contains("MtCO2/yr"))
        #expect(try hpmc(["project", cns, "--out", dir]).status == 2)   // no overwrite without --force
    }

    @Test func fitPrintsTheDocumentedJSON() throws {
        let dir = temporaryDirectory("fit")
        // Logistic K = 100, r = 0.5, t0 = 10, sampled without noise.
        let rows = (0..<20).map { t in "\(t),\(100 / (1 + exp(-0.5 * (Double(t) - 10))))" }
        try ("t,y\n" + rows.joined(separator: "\n") + "\n").write(toFile: dir + "/data.csv", atomically: true, encoding: .utf8)
        let outcome = try hpmc(["fit", dir + "/data.csv", "--model", "logistic", "--json"])
        #expect(outcome.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let parameters = try #require(object["parameters"] as? [String: Double])
        #expect(abs(parameters["K"]! - 100) < 1e-6 && abs(parameters["r"]! - 0.5) < 1e-8 && abs(parameters["t0"]! - 10) < 1e-7)
        #expect(object["converged"] as? Bool == true)
        #expect(object["standardErrors"] is [String: Double] && object["rss"] is Double && object["iterations"] is Int)
    }

    @Test func runWritesBandsSummaryAndSamples() throws {
        let dir = temporaryDirectory("run")
        let outcome = try hpmc(["run", cns, "--samples", "3000", "--out", dir, "--save-samples", "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let bands = try String(contentsOfFile: dir + "/bands.csv", encoding: .utf8)
        #expect(bands.hasPrefix("scenario,market,segment,metric,year,stat,value,unit\n"))
        for stat in ["p5", "p25", "p50", "p75", "p95", "mean", "sd", "se"] { #expect(bands.contains(",2060,\(stat),")) }
        let summary = try #require(try JSONSerialization.jsonObject(with: contents(dir + "/summary.json")!) as? [String: Any])
        let manifest = try #require(summary["manifest"] as? [String: Any])
        #expect((manifest["scenarioSHA256"] as? String)?.count == 64)
        #expect(manifest["seed"] as? Int == 1 && manifest["samples"] as? Int == 3000 && manifest["hpmc"] is String)
        #expect((summary["convergence"] as? [Any])?.count == 3)
        let samples = try String(contentsOfFile: dir + "/samples.csv", encoding: .utf8).split(separator: "\n")
        #expect(samples.count == 3001)
        #expect(samples[0].contains("reduction_total_2060") && samples[0].contains("grid_2060"))
        #expect(try hpmc(["run", cns, "--samples", "10", "--out", dir, "--quiet"]).status == 2)   // no overwrite
    }
}

struct SensitivityCommandTests {
    /// The CLI on the Ishigami function (a = 7, b = 0.1) recovers the analytic indices.
    @Test func ishigamiKnownAnswersThroughTheCLI() throws {
        let dir = temporaryDirectory("ishigami")
        let outcome = try hpmc(["sensitivity", "--test-function", "ishigami", "--method", "sobol", "--samples", "16384",
                                "--json", "--out", dir, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(object["method"] as? String == "sobol")
        #expect(object["intervals"] as? String == "asymptotic" && object["resamples"] == nil && object["confidenceLevel"] as? Double == 0.95)
        let indices = try #require(object["indices"] as? [[String: Any]])
        let expected: [(s1: Double, st: Double)] = [(0.3139, 0.5576), (0.4424, 0.4424), (0, 0.2437)]
        for (entry, exact) in zip(indices, expected) {
            #expect(abs((entry["S1"] as! Double) - exact.s1) < 0.02 && abs((entry["ST"] as! Double) - exact.st) < 0.02)
        }
        #expect(FileManager.default.fileExists(atPath: dir + "/sensitivity-sobol.svg"))
    }

    /// With --second-order, sensitivity.json holds S2 and its half-widths S2_conf, matrices of the
    /// same shape per year; Ishigami's one interaction, S13 = 0.2437 (Saltelli et al. 2008), lies
    /// within its interval, and the pairs without one sit at 0 within theirs.
    @Test func secondOrderIndicesComeWithTheirIntervals() throws {
        let dir = temporaryDirectory("second-order")
        let outcome = try hpmc(["sensitivity", "--test-function", "ishigami", "--method", "sobol", "--second-order", "--samples", "8192",
                                "--json", "--out", dir, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let s2 = try #require((object["S2"] as? [[[Any]]])?.first), conf = try #require((object["S2_conf"] as? [[[Any]]])?.first)
        #expect(s2.count == 3 && conf.count == 3 && zip(s2, conf).allSatisfy { $0.count == $1.count })
        let expected: [(i: Int, j: Int, value: Double)] = [(0, 1, 0), (0, 2, 0.2437), (1, 2, 0)]
        for (i, j, value) in expected {
            let index = try #require(s2[i][j] as? Double), half = try #require(conf[i][j] as? Double)
            #expect(half > 0 && half < 0.2 && abs(index - value) <= half, "S2[\(i)][\(j)] = \(index) ± \(half)")
        }
    }

    /// A swept input rank-correlated with one the sweep draws: the sweep says that the drawn one keeps
    /// its own distribution (nothing conditions it on the pinned value); not when both are swept.
    @Test func aSweptCorrelatedInputIsNoted() throws {
        let dir = temporaryDirectory("sweep-correlated")
        try String(contentsOfFile: cns, encoding: .utf8)
            .replacingOccurrences(of: "\nvalidation:", with: "\ncorrelations:\n  - {between: [cop_heating, cop_hotwater], rank: 0.6}\nvalidation:")
            .write(toFile: dir + "/cns.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("Scenarios/roadmap_reference.csv").path, toPath: dir + "/roadmap_reference.csv")
        let sweep = ["sweep", dir + "/cns.yaml", "--samples-per-point", "100", "--quiet", "--force", "--grid", "cop_heating=3:4:2"]
        let one = try hpmc(sweep + ["--out", dir + "/one"])
        #expect(one.status == 0 && one.stderr == "hpmc: note: cop_heating is rank-correlated with cop_hotwater (0.6) in the scenario; the sweep pins "
                + "cop_heating, and cop_hotwater keeps its own distribution, not its distribution given the pinned value\n", "\(one.stderr)")
        let both = try hpmc(sweep + ["--grid", "cop_hotwater=3:4:2", "--out", dir + "/both"])
        #expect(both.status == 0 && both.stderr.isEmpty, "\(both.stderr)")
    }

    @Test func badGroupsAndSampleRounding() throws {
        let dir = temporaryDirectory("groups")
        let unknown = try hpmc(["sensitivity", cns, "--groups", "g=nothing", "--out", dir, "--quiet"])
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown input 'nothing'"))
        let twice = try hpmc(["sensitivity", cns, "--groups", "g=lifetime,lifetime", "--out", dir, "--quiet"])
        #expect(twice.status == 2 && twice.stderr.contains("named twice"))
        let rounded = try hpmc(["sensitivity", "--test-function", "g-function", "--samples", "100", "--out", dir, "--quiet"])
        #expect(rounded.status == 0 && rounded.stderr.contains("rounded up to 128"))
    }
}

#if canImport(FoundationXML)
import FoundationXML
#endif

struct ReportTests {
    /// The report parses as XML, carries every chart its inputs allow, and fetches nothing.
    @Test func reportIsSelfContainedAndComplete() throws {
        let dir = temporaryDirectory("report")
        #expect(try hpmc(["run", cns, "--samples", "3000", "--out", dir + "/cns", "--quiet", "--target", "reduction total 2060 >= 4.34"]).status == 0)
        #expect(try hpmc(["compare", ngs, cns, "--samples", "3000", "--out", dir + "/compare", "--quiet"]).status == 0)
        #expect(try hpmc(["sensitivity", cns, "--method", "tornado", "--out", dir + "/tornado"]).status == 0)
        let outcome = try hpmc(["report", dir + "/cns", dir + "/compare", dir + "/tornado", "--out", dir + "/report.html",
                                "--reference", repositoryRoot.appendingPathComponent("Scenarios/roadmap_reference.csv").path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        let parser = XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        #expect(parser.parse(), "the report is not well-formed")
        // Three reduction fans (total, heating, hot water), their three exceedance curves, total sales,
        // the comparison and the tornado.
        #expect(html.components(separatedBy: "<svg").count - 1 == 9)
        #expect(html.components(separatedBy: "<title id=").count - 1 == 9)
        #expect(html.contains("<td>reduction total 2060 &gt;= 4.34</td>"))
        // Sales start from the observed 2022 point (105 + 137) in every sample.
        #expect(html.contains("CNS, total sales: P5 to P95 242 to 242 in 2022"), "\(html.components(separatedBy: "total sales").dropFirst().first?.prefix(120) ?? "")")
        for section in ["Headline", "validation against the roadmap", "Scenario comparison", "Sensitivity", "convergence", "Manifest"] {
            #expect(html.contains(section), "missing \(section)")
        }
        let withoutNamespace = html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
        #expect(withoutNamespace.range(of: "http") == nil && !html.contains("<script") && !html.contains("@import") && !html.contains("url("))
    }

    /// A study whose horizon is not 2060 is labelled with its own horizon throughout.
    @Test func reportNamesTheScenariosHorizonYear() throws {
        let dir = temporaryDirectory("report-2050")
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("Scenarios/roadmap_reference.csv").path,
                                         toPath: dir + "/roadmap_reference.csv")
        let text = try String(contentsOfFile: cns, encoding: .utf8)
            .replacingOccurrences(of: "year: 2060", with: "year: 2050")
            .replacingOccurrences(of: "horizon: 2060", with: "horizon: 2050")
            .replacingOccurrences(of: "grid@2060", with: "grid@2050")
        try text.write(toFile: dir + "/cns-2050.yaml", atomically: true, encoding: .utf8)
        let run = try hpmc(["run", dir + "/cns-2050.yaml", "--samples", "3000", "--out", dir + "/run", "--quiet"])
        try #require(run.status == 0, "\(run.stderr)")
        let compare = try hpmc(["compare", dir + "/cns-2050.yaml", dir + "/cns-2050.yaml", "--samples", "3000", "--out", dir + "/compare", "--quiet"])
        try #require(compare.status == 0, "\(compare.stderr)")
        let outcome = try hpmc(["report", dir + "/run", dir + "/compare", "--out", dir + "/report.html"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        #expect(html.contains("CNS: 2050 reduction") && html.contains("convergence of the 2050 total reduction"))
        #expect(html.contains("<th>2050 difference, median</th>") && html.contains("<td>total</td>"))
        #expect(!html.contains("the 2060") && !html.contains("2060 difference"))
    }

    /// Run from elsewhere than the repository, report finds no default reference file: it says the
    /// validation was not done (it showed an empty table and "0 pass, 0 fail"); with --reference it is.
    @Test func reportWithoutReferenceFiguresSaysSo() throws {
        let dir = temporaryDirectory("report-no-reference")
        #expect(try hpmc(["run", cns, "--samples", "2000", "--out", dir + "/run", "--quiet"]).status == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: hpmcBinary)
        process.arguments = ["report", dir + "/run", "--out", dir + "/report.html"]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        #expect(html.contains("CNS: validation against the roadmap</h3>\n<p class=\"note\">Not compared: no reference figures "
                              + "(Scenarios/roadmap_reference.csv is not under the current directory; give --reference FILE).</p>"))
        #expect(!html.contains("0 pass, 0 fail"))
        let reference = repositoryRoot.appendingPathComponent("Scenarios/roadmap_reference.csv").path
        #expect(try hpmc(["report", dir + "/run", "--reference", reference, "--out", dir + "/with.html"]).status == 0)
        let with = try String(contentsOfFile: dir + "/with.html", encoding: .utf8)
        #expect(with.contains(" pass, 0 fail;") && !with.contains("Not compared"))
    }

    /// The engine says which model concept is at fault; the command names what the user typed.
    @Test func scenariosThatCannotBeComparedAreAnInputErrorOfCompare() throws {
        let dir = temporaryDirectory("compare-horizons")
        let text = try String(contentsOfFile: cns, encoding: .utf8)
            .replacingOccurrences(of: "year: 2060", with: "year: 2050")
            .replacingOccurrences(of: "horizon: 2060", with: "horizon: 2050")
            .replacingOccurrences(of: "grid@2060", with: "grid@2050")
        try text.write(toFile: dir + "/cns-2050.yaml", atomically: true, encoding: .utf8)
        let outcome = try hpmc(["compare", cns, dir + "/cns-2050.yaml", "--samples", "100", "--out", dir + "/out"])
        #expect(outcome.status == 2, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("hpmc: error: compare: the scenarios cover different years (2022-2060 and 2022-2050)"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }

    @Test func aDirectoryWithoutResultsIsAnInputError() throws {
        let outcome = try hpmc(["report", temporaryDirectory("empty"), "--out", temporaryDirectory("r") + "/r.html"])
        #expect(outcome.status == 2 && outcome.stderr.contains("holds no hpmc results"))
    }

    /// A damaged CSV file of a result directory is an input error naming the file (and the line),
    /// neither a report silently lacking that part nor a message that does not say which file.
    @Test func damagedResultCSVFilesAreInputErrorsNamingTheFile() throws {
        let dir = temporaryDirectory("damaged-csv")
        let commands = [["compare", cns, cns, "--samples", "100", "--out", dir + "/compare", "--quiet"],
                        ["sweep", cns, "--grid", "lifetime=10:20:2", "--samples-per-point", "100", "--out", dir + "/sweep", "--quiet"],
                        ["discover", cns, "--samples", "2048", "--where", "reduction total 2060 < 4.34", "--out", dir + "/discover"]]
        for arguments in commands {
            let outcome = try hpmc(arguments)
            try #require(outcome.status == 0, "\(arguments[0]): \(outcome.stderr)")
        }
        let damages: [(Data, String)] = [(Data(), ":1: the file is empty"), (Data([0xFF, 0xFE, 0x0A]), "is not UTF-8 text")]
        for file in ["compare/difference.csv", "sweep/sweep.csv", "discover/box.csv"] {
            let path = dir + "/" + file, original = try #require(contents(path))
            for (damage, fragment) in damages {
                try damage.write(to: URL(fileURLWithPath: path))
                let outcome = try hpmc(["report", dir + "/compare", dir + "/sweep", dir + "/discover", "--out", dir + "/r.html"])
                #expect(outcome.status == 2 && outcome.stderr.contains("hpmc: error: \(path)") && outcome.stderr.contains(fragment),
                        "\(file): \(outcome.stderr)")
                #expect(!FileManager.default.fileExists(atPath: dir + "/r.html"))
            }
            try original.write(to: URL(fileURLWithPath: path))
        }
        #expect(try hpmc(["report", dir + "/compare", dir + "/sweep", dir + "/discover", "--out", dir + "/r.html"]).status == 0)
    }

    /// A damaged JSON file of a result directory names the field at fault and what it must be,
    /// not Foundation's debug text.
    @Test func damagedResultJSONFilesNameTheField() throws {
        let dir = temporaryDirectory("damaged-json")
        let compare = try hpmc(["compare", cns, cns, "--samples", "100", "--target", "reduction total 2060 >= 0",
                                "--out", dir + "/compare", "--quiet"])
        try #require(compare.status == 0, "\(compare.stderr)")
        let path = dir + "/compare/targets.json", original = try String(contentsOfFile: path, encoding: .utf8)
        let cases: [(String, String)] = [
            ("[]", "is not compare's targets.json: the file must hold an object"),
            ("{", "is not compare's targets.json: not valid JSON"),
            (original.replacingOccurrences(of: "\"subject\"", with: "\"subjects\""), "field subject is missing"),
            (original.replacingOccurrences(of: "\"count\" : ", with: "\"count\" : \"many\", \"was\" : "), "field targets[0].count must be a number"),
            (original.replacingOccurrences(of: "\"count\" : ", with: "\"count\" : null, \"was\" : "), "field targets[0].count is null; it must be a number"),
        ]
        for (text, fragment) in cases {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let outcome = try hpmc(["report", dir + "/compare", "--out", dir + "/r.html"])
            #expect(outcome.status == 2 && outcome.stderr.contains("hpmc: error: \(path): ") && outcome.stderr.contains(fragment),
                    "\(fragment): \(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/r.html"))
        }
    }
}
