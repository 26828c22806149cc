import Foundation
import Testing

/// A discovery.json as discover writes one that chose a box restricting x to at most `upper` (box.csv's row).
func chosenDiscovery(upper: String) -> String {
    "{\"subject\": \"s\", \"condition\": \"c\", \"samples\": 10, \"cases\": 5, \"threshold\": 0.8, \"chosenStep\": 3, \"coverage\": 0.6, "
        + "\"density\": 0.75, \"mass\": 0.4, \"densest\": 0.75, \"sentence\": \"s: c in 50.0 % of 10 samples; mostly when x ≤ \(upper): coverage 0.60, density 0.75, 40 % of the samples.\"}"
}

/// `report` reads result JSON through typed views that check every field's value: a value its command
/// cannot have written exits 2 naming the file and field, never renders.
struct DamagedReportInputTests {
    func report(_ directory: String) throws -> Outcome {
        try hpmc(["report", directory, "--out", directory + "/report.html", "--force"])
    }

    @Test(arguments: [("\"probability\": -7, \"lower\": 0.4, \"upper\": 0.6, \"count\": 5, \"samples\": 10",
                       "field targets[0].probability is -7.0; allowed: null or a probability in [0, 1]"),
                      ("\"probability\": 0.5, \"lower\": 0.4, \"upper\": 1.5, \"count\": 5, \"samples\": 10",
                       "field targets[0].upper is 1.5; allowed: null or a probability in [0, 1]"),
                      ("\"probability\": 0.5, \"lower\": 0.6, \"upper\": 0.4, \"count\": 5, \"samples\": 10",
                       "field targets[0].lower is 0.6; allowed: at most upper (0.4)"),
                      ("\"probability\": 0.5, \"lower\": 0.4, \"upper\": 0.6, \"count\": 11, \"samples\": 10",
                       "field targets[0].count is 11; allowed: 0 to samples (10)"),
                      ("\"probability\": 0.5, \"lower\": 0.4, \"upper\": 0.6, \"count\": -5, \"samples\": 10", "field targets[0].count is -5; allowed: 0 to samples (10)"),
                      ("\"probability\": 0.5, \"lower\": 0.4, \"upper\": 0.6, \"count\": 0, \"samples\": -1", "field targets[0].samples is -1; allowed: a whole number ≥ 0"),
                      // Numbers compare cannot have written: it writes count / samples and the Wilson bounds of
                      // that count, each as the double TargetCount computes (all shown with exit 0).
                      ("\"probability\": 0.99, \"lower\": 0.4326835703310087, \"upper\": 0.4464396468281744, \"count\": 8791, \"samples\": 20000",
                       "field targets[0].probability is 0.99; allowed: count / samples = 8791 / 20000 = 0.43955"),
                      ("\"probability\": 0.5, \"lower\": 0.4, \"upper\": 0.7634069094874361, \"count\": 5, \"samples\": 10",
                       "field targets[0].lower is 0.4; allowed: the lower 95 % Wilson bound of 5 of 10, 0.236593090512564"),
                      ("\"probability\": 0.5, \"lower\": 0.236593090512564, \"upper\": 0.7634069094874362, \"count\": 5, \"samples\": 10",
                       "field targets[0].upper is 0.7634069094874362; allowed: the upper 95 % Wilson bound of 5 of 10, 0.7634069094874361"),
                      ("\"probability\": null, \"lower\": 0.236593090512564, \"upper\": 0.7634069094874361, \"count\": 5, \"samples\": 10",
                       "field targets[0].probability is null; allowed: count / samples = 5 / 10 = 0.5"),
                      ("\"probability\": 0.5, \"lower\": null, \"upper\": null, \"count\": 0, \"samples\": 0",
                       "field targets[0].probability is 0.5; allowed: null, as no samples were counted")])
    func damagedTargets(fields: String, problem: String) throws {
        let dir = temporaryDirectory("damaged-targets")
        try "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".write(toFile: dir + "/compare-reduction.svg", atomically: true, encoding: .utf8)
        try "market,segment,metric,year,stat,value,unit\ntotal,all,reduction,2060,diff_p50,1,u\n".write(toFile: dir + "/difference.csv", atomically: true, encoding: .utf8)
        func targets(_ fields: String) -> String { "{\"subject\": \"B - A\", \"targets\": [{\"text\": \"reduction total 2060 >= 1\", \(fields)}]}" }
        // As compare writes 5 of 10, and a target with no samples counted.
        let intact = ["\"probability\": 0.5, \"lower\": 0.236593090512564, \"upper\": 0.7634069094874361, \"count\": 5, \"samples\": 10",
                      "\"probability\": null, \"lower\": null, \"upper\": null, \"count\": 0, \"samples\": 0"]
        for fields in intact {
            try targets(fields).write(toFile: dir + "/targets.json", atomically: true, encoding: .utf8)
            let outcome = try report(dir)
            #expect(outcome.status == 0, "\(fields): \(outcome.stderr)")
        }
        try targets(fields).write(toFile: dir + "/targets.json", atomically: true, encoding: .utf8)
        let damaged = try report(dir)
        #expect(damaged.status == 2)
        #expect(damaged.stderr.hasPrefix("hpmc: error: \(dir)/targets.json: is not compare's targets.json: \(problem)"), "\(damaged.stderr)")
    }

    @Test(arguments: [("sobol", "\"S1\": \"NaN\", \"S1_conf\": 0.1, \"ST\": 0.5, \"ST_conf\": 0.1", "field indices[0].S1 must be a number"),
                      ("sobol", "\"S1\": 0.5, \"S1_conf\": -0.1, \"ST\": 0.5, \"ST_conf\": 0.1", "field indices[0].S1_conf is -0.1; allowed: null or a number ≥ 0"),
                      ("morris", "\"mu_star\": -1, \"mu_star_conf\": 0.1, \"mu\": 1, \"sigma\": 0.1", "field indices[0].mu_star is -1.0; allowed: null or a number ≥ 0"),
                      ("tornado", "\"low\": 1, \"high\": 2, \"swing\": -1", "field indices[0].swing is -1.0; allowed: null or a number ≥ 0"),
                      ("magic", "\"S1\": 0.5", "field method is 'magic'; allowed: sobol, morris, tornado")])
    func damagedSensitivity(method: String, fields: String, problem: String) throws {
        let dir = temporaryDirectory("damaged-sensitivity")
        func saved(_ method: String, _ fields: String) -> String {
            "{\"method\": \"\(method)\", \"subject\": \"CNS\", \"quantity\": \"q\", \"indices\": [{\"year\": 2060, \"parameter\": \"a\", \(fields)}]}"
        }
        try saved("sobol", "\"S1\": -0.01, \"S1_conf\": 0.1, \"ST\": null, \"ST_conf\": 0").write(toFile: dir + "/sensitivity.json", atomically: true, encoding: .utf8)
        let intact = try report(dir)
        #expect(intact.status == 0, "\(intact.stderr)")
        try saved(method, fields).write(toFile: dir + "/sensitivity.json", atomically: true, encoding: .utf8)
        let damaged = try report(dir)
        #expect(damaged.status == 2)
        #expect(damaged.stderr.hasPrefix("hpmc: error: \(dir)/sensitivity.json: is not sensitivity's sensitivity.json: \(problem)"), "\(damaged.stderr)")
    }

    /// A sensitivity analysis with no indices, that ran the model fewer than once, or of a year no
    /// scenario has, is not one a command can have written (all rendered with exit 0; a fractional
    /// or huge year was called "not valid JSON").
    @Test(arguments: [("\"evaluations\": -5, \"indices\": [{\"year\": 2060, \"parameter\": \"a\", \"S1\": 0.5}]", "field evaluations is -5.0; allowed: a whole number ≥ 1"),
                      // A fraction was "not valid JSON", and a method hpmc lacks spoke of Swift's types.
                      ("\"evaluations\": 1.5, \"indices\": [{\"year\": 2060, \"parameter\": \"a\", \"S1\": 0.5}]", "field evaluations is 1.5; allowed: a whole number ≥ 1"),
                      ("\"evaluations\": 64, \"intervals\": \"foo\", \"indices\": [{\"year\": 2060, \"parameter\": \"a\", \"S1\": 0.5}]",
                       "field intervals holds a value hpmc never writes there"),
                      ("\"evaluations\": 64, \"indices\": []", "field indices is empty; allowed: an entry per input (and year)"),
                      ("\"evaluations\": 64, \"indices\": [{\"year\": 99999999999, \"parameter\": \"a\", \"S1\": 0.5}]",
                       "field indices[0].year is 99999999999.0; allowed: null or a year from 1900 to 2400"),
                      ("\"evaluations\": 64, \"indices\": [{\"year\": 2060, \"parameter\": \"a\", \"S1\": 0.5}, {\"year\": -5, \"parameter\": \"a\", \"S1\": 0.5}]",
                       "field indices[1].year is -5.0; allowed: null or a year from 1900 to 2400"),
                      ("\"evaluations\": 64, \"indices\": [{\"year\": 2060.5, \"parameter\": \"a\", \"S1\": 0.5}]",
                       "field indices[0].year is 2060.5; allowed: null or a year from 1900 to 2400"),
                      ("\"evaluations\": 64, \"indices\": [{\"year\": 1e300, \"parameter\": \"a\", \"S1\": 0.5}]",
                       "field indices[0].year is 1e+300; allowed: null or a year from 1900 to 2400"),
                      // One entry per input and year: a second was shown as a second row of the table.
                      ("\"evaluations\": 64, \"indices\": [{\"year\": 2060, \"parameter\": \"a\", \"S1\": 0.5}, {\"year\": 2030, \"parameter\": \"a\", \"S1\": 0.5}, "
                       + "{\"year\": 2060, \"parameter\": \"b\", \"S1\": 0.1}, {\"year\": 2060, \"parameter\": \"a\", \"S1\": 0.9}]",
                       "field indices[3].parameter is 'a'; allowed: one entry per parameter and year; indices[0] is 'a' in 2060"),
                      ("\"evaluations\": 64, \"indices\": [{\"parameter\": \"a\", \"S1\": 0.5}, {\"year\": null, \"parameter\": \"a\", \"S1\": 0.5}]",
                       "field indices[1].parameter is 'a'; allowed: one entry per parameter and year; indices[0] is 'a'")])
    func damagedSensitivityShape(fields: String, problem: String) throws {
        let dir = temporaryDirectory("damaged-sensitivity-shape")
        func saved(_ fields: String) -> String { "{\"method\": \"sobol\", \"subject\": \"CNS\", \"quantity\": \"q\", \(fields)}" }
        try saved("\"evaluations\": 64, \"indices\": [{\"year\": 2060, \"parameter\": \"a\", \"S1\": 0.5}]").write(toFile: dir + "/sensitivity.json", atomically: true, encoding: .utf8)
        let intact = try report(dir)
        #expect(intact.status == 0, "\(intact.stderr)")
        try saved(fields).write(toFile: dir + "/sensitivity.json", atomically: true, encoding: .utf8)
        let damaged = try report(dir)
        #expect(damaged.status == 2)
        #expect(damaged.stderr.hasPrefix("hpmc: error: \(dir)/sensitivity.json: is not sensitivity's sensitivity.json: \(problem)"), "\(damaged.stderr)")
    }

    /// A directory named twice (also as `dir/.`) is refused: its sections were shown twice (found by a tester).
    @Test func aDirectoryNamedTwiceIsRefused() throws {
        let dir = temporaryDirectory("report-twice")
        #expect(try hpmc(["run", cns, "--samples", "64", "--out", dir + "/run", "--quiet"]).status == 0)
        let twice = try hpmc(["report", dir + "/run", dir + "/run/.", "--out", dir + "/report.html"])
        #expect(twice.status == 2 && twice.stderr.hasPrefix("hpmc: error: directories: '\(dir)/run/.' is given twice; name each directory once"), "\(twice.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/report.html"))
    }

    /// discovery.json's figures are what discover can write (fractions, cases within the samples, a
    /// chosen step with its figures), and its sentence is shown only as discover words it for them and
    /// box.csv: a coverage of 1.5, 999999 cases of 20000 and a sentence written by hand were shown
    /// (found by a tester).
    @Test func damagedDiscovery() throws {
        let dir = temporaryDirectory("damaged-discovery")
        #expect(try hpmc(["discover", cns, "--samples", "2048", "--where", "reduction total 2060 < 4.34", "--out", dir + "/d"]).status == 0)
        let path = dir + "/d/discovery.json"
        let data = try #require(contents(path))
        let written = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(try report(dir + "/d").status == 0)
        for (field, value, problem) in [("coverage", 1.5 as Any, "field coverage is 1.5; allowed: a fraction in [0, 1]"),
                                        ("cases", 999999, "field cases is 999999; allowed: 0 to samples (2048)"),
                                        ("mass", NSNull(), "field chosenStep is"),
                                        ("densest", 1.5, "field densest is 1.5; allowed: a fraction in [0, 1]"),
                                        ("sentence", "CNS: all is well.", "field sentence does not match its figures and box.csv (discover writes 'CNS: reduction total 2060")] {
            var damaged = written
            damaged[field] = value
            try JSONSerialization.data(withJSONObject: damaged).write(to: URL(fileURLWithPath: path))
            let outcome = try report(dir + "/d")
            #expect(outcome.status == 2 && outcome.stderr.hasPrefix("hpmc: error: \(path): is not discover's discovery.json: \(problem)"), "\(field): \(outcome.stderr)")
        }
        try data.write(to: URL(fileURLWithPath: path))
        // box.csv: a side discover does not write, and rows beside a discovery that chose no box.
        let box = dir + "/d/box.csv", boxText = try String(contentsOfFile: box, encoding: .utf8)
        var lines = boxText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var cells = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[3] = "sideways"
        lines[1] = cells.joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: box, atomically: true, encoding: .utf8)
        let sideways = try report(dir + "/d")
        #expect(sideways.status == 2 && sideways.stderr.hasPrefix("hpmc: error: \(box): row 2.restricts: 'sideways'; allowed: both, lower, upper"), "\(sideways.stderr)")
        // A discovery that found no box, as discover writes it, reads back; box rows beside it are damage.
        let discovered = try hpmc(["discover", cns, "--samples", "2048", "--where", "reduction total 2060 < 3.5", "--threshold", "1", "--out", dir + "/none"])
        #expect(discovered.status == 0 && discovered.stdout.contains("no box reaches density 1"), "\(discovered.stdout)")
        #expect(try report(dir + "/none").status == 0)
        try boxText.write(toFile: dir + "/none/box.csv", atomically: true, encoding: .utf8)
        let rows = try report(dir + "/none")
        #expect(rows.status == 2 && rows.stderr.hasPrefix("hpmc: error: \(dir)/none/box.csv: restricts inputs, but discovery.json chose no box"), "\(rows.stderr)")
    }

    /// The numbers of the CSV files it shows are read by the one decimal grammar: an empty cell is a
    /// statistic that could not be computed, any other non-decimal text is damage (was shown as read).
    @Test func damagedCSVNumbers() throws {
        let dir = temporaryDirectory("damaged-csv-numbers")
        let files = [("compare", "difference.csv", "market,segment,metric,year,stat,value,unit\ntotal,all,reduction,2060,diff_p50,VALUE,u\n"),
                     ("sweep", "sweep.csv", "point,x,market,metric,year,stat,value,unit\n0,1,total,reduction,2060,p50,VALUE,1e8 tCO2/yr\n"),
                     ("discover", "box.csv", "input,lower,upper,restricts,log10_quasi_p_lower,log10_quasi_p_upper\nx,1,VALUE,upper,,-2\n")]
        try FileManager.default.createDirectory(atPath: dir + "/compare", withIntermediateDirectories: true)
        try "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".write(toFile: dir + "/compare/compare-reduction.svg", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir + "/discover", withIntermediateDirectories: true)
        try chosenDiscovery(upper: "1.5").write(toFile: dir + "/discover/discovery.json", atomically: true, encoding: .utf8)
        for (subdirectory, file, text) in files {
            let path = "\(dir)/\(subdirectory)/\(file)"
            try FileManager.default.createDirectory(atPath: "\(dir)/\(subdirectory)", withIntermediateDirectories: true)
            try text.replacingOccurrences(of: "VALUE", with: "1.5").write(toFile: path, atomically: true, encoding: .utf8)
            let intact = try report("\(dir)/\(subdirectory)")
            #expect(intact.status == 0, "\(file): \(intact.stderr)")
            try text.replacingOccurrences(of: "VALUE", with: "0x10").write(toFile: path, atomically: true, encoding: .utf8)
            let damaged = try report("\(dir)/\(subdirectory)")
            let column = file == "box.csv" ? "upper" : "value"
            #expect(damaged.status == 2 && damaged.stderr == "hpmc: error: \(path): row 2.\(column): '0x10' is not a decimal number such as 42, -0.5 or 1.5e-3\n",
                    "\(file): \(damaged.stderr)")
        }
    }

    /// A row of sweep.csv that sweep cannot have written exits 2 naming the row and column: a point's
    /// statistic given twice (the report listed the point twice), a point's percentiles out of order
    /// (a median above its P95 was shown), a unit but the metric's in sweep's units (roadmap; `nan`,
    /// `abc` or SI were accepted), a metric without bands, a statistic sweep does not write (a
    /// percentile other than its five).
    @Test(arguments: [("1e4 units/yr\n", "1e4 units/yr\n1,2,total,reduction,2060,p50,9,1e8 tCO2/yr\n",
                       "row 9.stat: p50 of point 1, total reduction 2060 is row 6 too; allowed: one row per point, market, metric, year and stat"),
                      ("p50,1.5,", "p50,2.5,",
                       "row 3.value: p50 2.5 is above p95 2 of the same point, market, metric and year (row 4); allowed: percentiles in order"),
                      ("p5,1,", "p5,1.75,", "row 2.value: p5 1.75 is above p50 1.5 of the same point, market, metric and year (row 3); allowed: percentiles in order"),
                      ("p5,1,1e8 tCO2/yr", "p5,1,nan", "row 2.unit: 'nan' is not the unit of reduction; allowed: 1e8 tCO2/yr"),
                      ("mean,1.5,1e8 tCO2/yr", "mean,1.5,abc", "row 5.unit: 'abc' is not the unit of reduction; allowed: 1e8 tCO2/yr"),
                      ("p5,1,1e8 tCO2/yr", "p5,1,MtCO2/yr", "row 2.unit: 'MtCO2/yr' is not the unit of reduction; allowed: 1e8 tCO2/yr"),
                      ("reduction,2060,mean", "hp_emissions,2060,mean",
                       "row 5.metric: 'hp_emissions' is not a metric sweep writes; allowed: sales, value, stock, heat, electricity, reduction"),
                      ("p95,", "p095,", "row 4.stat: 'p095' is not a statistic sweep writes; allowed: p5, p25, p50, p75, p95, mean, sd, se"),
                      ("mean,", "median,", "row 5.stat: 'median' is not a statistic sweep writes; allowed: p5, p25, p50, p75, p95, mean, sd, se"),
                      ("p5,1,", "p2.5,1,", "row 2.stat: 'p2.5' is not a statistic sweep writes; allowed: p5, p25, p50, p75, p95, mean, sd, se")])
    func damagedSweepRows(find: String, replacement: String, problem: String) throws {
        let dir = temporaryDirectory("damaged-sweep")
        let intact = """
            point,x,market,metric,year,stat,value,unit
            0,1,total,reduction,2060,p5,1,1e8 tCO2/yr
            0,1,total,reduction,2060,p50,1.5,1e8 tCO2/yr
            0,1,total,reduction,2060,p95,2,1e8 tCO2/yr
            0,1,total,reduction,2060,mean,1.5,1e8 tCO2/yr
            1,2,total,reduction,2060,p50,2.5,1e8 tCO2/yr
            1,2,total,reduction,2060,p25,,1e8 tCO2/yr
            1,2,total,sales,2060,p50,3,1e4 units/yr

            """
        try intact.write(toFile: dir + "/sweep.csv", atomically: true, encoding: .utf8)
        let outcome = try report(dir)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let range = try #require(intact.range(of: find))
        try intact.replacingCharacters(in: range, with: replacement).write(toFile: dir + "/sweep.csv", atomically: true, encoding: .utf8)
        let damaged = try report(dir)
        #expect(damaged.status == 2 && damaged.stderr == "hpmc: error: \(dir)/sweep.csv: \(problem)\n", "\(damaged.stderr)")
    }

    /// The report inlines the SVG charts of the directories it reads; one that holds anything hpmc's chart
    /// writer never writes (an element, an attribute, a value's character outside SVGVocabulary) was
    /// edited by hand and exits 2 naming the file and what it holds, for every kind of chart the report
    /// reads. Each payload was copied into report.html: it runs code, fetches or posts to another site,
    /// redirects the page, or breaks the page after the chart.
    @Test(arguments: [("<script>alert(1)</script>", "the element <script>"),
                      ("<SCRIPT>alert(1)</SCRIPT>", "the element <SCRIPT>"),
                      ("<rect width=\"5\" onload = \"alert(1)\"/>", "the attribute onload on <rect>"),
                      ("<a href=\"JavaScript:alert(1)\"><text>x</text></a>", "the element <a>"),
                      ("<text x=\"1\" xlink:href=\"&#106;avascript:alert(1)\">x</text>", "the attribute xlink:href on <text>"),
                      ("<foreignObject><div>x</div></foreignObject>", "the element <foreignObject>"),
                      ("<style>rect { fill: url(javascript:alert(1)) }</style>", "the element <style>"),
                      ("<meta http-equiv=\"refresh\" content=\"0;url=http://evil.example/\">", "the element <meta>"),
                      ("<img src=\"http://evil.example/x.png\"/>", "the element <img>"),
                      ("<img srcset=\"http://evil.example/x.png 1x\"/>", "the element <img>"),
                      ("<video poster=\"http://evil.example/x.png\"/>", "the element <video>"),
                      ("<table background=\"http://evil.example/x.png\"></table>", "the element <table>"),
                      ("<rect width=\"5\" style=\"background:url(http://evil.example/x)\"/>", "the attribute style on <rect>"),
                      ("<rect width=\"5\" fill=\"url(http://evil.example/x)\"/>", "'(' in the value of fill on <rect>"),
                      ("</svg><form action=\"http://evil.example/\"><input name=\"q\"/></form>", "the element <form>"),
                      ("<button formaction=\"http://evil.example/\">x</button>", "the element <button>"),
                      ("<a><animate attributeName=\"href\" values=\"&#x6a;avascript:alert(1)\"/></a>", "the element <a>"),
                      ("<set attributeName=\"onmouseover\" to=\"alert(1)\"/>", "the element <set>"),
                      ("</svg><plaintext>", "the element <plaintext>"),
                      ("</svg><textarea>", "the element <textarea>"),
                      ("<text x=\"1\">&#x6a;avascript:alert(1)</text>", "the reference &#x6a;"),
                      ("<!-- --><script>alert(1)</script>", "a comment")])
    func activeChartContent(payload: String, found: String) throws {
        let dir = temporaryDirectory("active-svg")
        let inputs = [("compare", "difference.csv", "market,segment,metric,year,stat,value,unit\ntotal,all,reduction,2060,diff_p50,1,u\n"),
                      ("sensitivity", "sensitivity.json", "{\"method\": \"sobol\", \"subject\": \"CNS\", \"quantity\": \"q\", \"indices\": [{\"year\": 2060, \"parameter\": \"a\", \"S1\": 0.5, \"S1_conf\": 0.1, \"ST\": 0.5, \"ST_conf\": 0.1}]}"),
                      ("sweep", "sweep.csv", "point,x,market,metric,year,stat,value,unit\n0,1,total,reduction,2060,p50,1.5,1e8 tCO2/yr\n"),
                      ("discover", "box.csv", "input,lower,upper,restricts,log10_quasi_p_lower,log10_quasi_p_upper\nx,1,2,upper,,-2\n")]
        let charts = [("compare", "compare-reduction.svg"), ("sensitivity", "sensitivity-sobol.svg"), ("sensitivity", "sensitivity-sobol-years.svg"),
                      ("sweep", "sweep-reduction-total.svg"), ("discover", "discovery-tradeoff.svg")]
        for (subdirectory, file, text) in inputs {
            try FileManager.default.createDirectory(atPath: "\(dir)/\(subdirectory)", withIntermediateDirectories: true)
            try text.write(toFile: "\(dir)/\(subdirectory)/\(file)", atomically: true, encoding: .utf8)
        }
        try chosenDiscovery(upper: "2").write(toFile: dir + "/discover/discovery.json", atomically: true, encoding: .utf8)
        func chart(_ body: String) -> String { "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text x=\"1\">one = 1</text>\(body)</svg>" }
        for (subdirectory, file) in charts {
            for (other, otherFile) in charts where other == subdirectory {
                try chart("").write(toFile: "\(dir)/\(other)/\(otherFile)", atomically: true, encoding: .utf8)
            }
            let intact = try report("\(dir)/\(subdirectory)")
            #expect(intact.status == 0, "\(file): \(intact.stderr)")
            #expect(String(decoding: contents("\(dir)/\(subdirectory)/report.html") ?? Data(), as: UTF8.self).contains("one = 1"), "\(file)")
            let path = "\(dir)/\(subdirectory)/\(file)"
            try chart(payload).write(toFile: path, atomically: true, encoding: .utf8)
            let damaged = try report("\(dir)/\(subdirectory)")
            #expect(damaged.status == 2 && damaged.stderr == "hpmc: error: \(path): holds \(found), which hpmc never writes in a chart; a report does not carry it\n",
                    "\(file): \(damaged.stderr)")
        }
    }

    /// Every chart the commands write is within SVGVocabulary and inlined as written: fans and exceedance
    /// curves (rebuilt by the report, not read), the comparison, every sensitivity method's, the
    /// sweep's heat map (its colour bar fills with url(#…)) and discovery's trade-off. The files
    /// beside them pass the report's checks as written: target probabilities strictly between 0 and 1
    /// and their Wilson bounds, read back from JSON, are the doubles compare computed.
    @Test func everyChartTheCommandsWriteIsInlined() throws {
        let dir = temporaryDirectory("every-chart")
        let commands = [("run", ["run", cns, "--samples", "100"]),
                        ("compare", ["compare", ngs, cns, "--samples", "100", "--target", "reduction total 2060 >= 3", "--target", "reduction hotwater 2060 < 1.1"]),
                        ("sweep", ["sweep", cns, "--grid", "lifetime=10:20:2", "--grid", "cop_heating=2:4:2", "--samples-per-point", "100"]),
                        ("sobol", ["sensitivity", cns, "--samples", "64", "--years", "2030,2060"]),
                        ("morris", ["sensitivity", cns, "--method", "morris", "--trajectories", "4"]),
                        ("tornado", ["sensitivity", cns, "--method", "tornado"]),
                        ("discover", ["discover", cns, "--samples", "2048", "--where", "reduction total 2060 < 4.34"])]
        for (name, arguments) in commands {
            let outcome = try hpmc(arguments + ["--out", dir + "/" + name])
            try #require(outcome.status == 0, "\(name): \(outcome.stderr)")
        }
        let outcome = try hpmc(["report"] + commands.map { dir + "/" + $0.0 } + ["--out", dir + "/report.html"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let html = String(decoding: contents(dir + "/report.html") ?? Data(), as: UTF8.self)
        #expect(html.contains("<td>52 of 100</td>") && html.contains("<td>42 of 100</td>"))
        let read = ["compare/compare-reduction.svg", "sobol/sensitivity-sobol.svg", "sobol/sensitivity-sobol-years.svg", "morris/sensitivity-morris.svg",
                    "tornado/sensitivity-tornado.svg", "sweep/sweep-reduction-total.svg", "discover/discovery-tradeoff.svg"]
        for file in read {
            let svg = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            #expect(html.contains(svg.replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", with: "").trimmingCharacters(in: .newlines)), "\(file)")
        }
        // The run's seven charts (three fans, three exceedance curves, total sales) and the seven read.
        #expect(html.components(separatedBy: "<svg ").count - 1 == 7 + read.count)
    }

    /// A chart's text is no URL: sensitivity titles its charts "NAME: …", and a scenario may be named
    /// JavaScript; its report is written (it exited 2, saying the chart held a javascript: URL).
    @Test func chartTextNamingJavaScriptIsKept() throws {
        let dir = temporaryDirectory("javascript-title")
        let scenario = try String(contentsOfFile: cns, encoding: .utf8)
            .replacingOccurrences(of: "\nname: CNS\n", with: "\nname: JavaScript\n")
        #expect(scenario.contains("\nname: JavaScript\n"))
        try scenario.write(toFile: dir + "/javascript.yaml", atomically: true, encoding: .utf8)
        let analysis = try hpmc(["sensitivity", dir + "/javascript.yaml", "--samples", "64", "--years", "2030,2060", "--out", dir + "/sens", "--quiet"])
        #expect(analysis.status == 0, "\(analysis.stderr)")
        let report = try report(dir + "/sens")
        #expect(report.status == 0, "\(report.stderr)")
        #expect(String(decoding: contents(dir + "/sens/report.html") ?? Data(), as: UTF8.self).contains("JavaScript: first-order"))
    }
}
