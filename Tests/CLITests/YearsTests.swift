import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `hpmc sensitivity --years`: every year's indices from one set of model runs.
struct SensitivityYearsTests {
    /// The rows of the CSV (after its header) whose year cell is `year`.
    func rows(_ path: String, year: String) throws -> [Substring] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.first?.hasPrefix("year,parameter,") == true)
        return lines.dropFirst().filter { $0.hasPrefix(year + ",") }
    }

    /// Year Y of a `--years` run equals a `--year Y` run bit for bit (the CSV writes every double's
    /// shortest round-trip text), for each method, and every requested year has its rows.
    @Test(arguments: [["--method", "sobol", "--samples", "256"],
                      ["--method", "sobol", "--samples", "256", "--intervals", "bootstrap", "--bootstrap", "50"],
                      ["--method", "morris", "--trajectories", "12", "--bootstrap", "20"],
                      ["--method", "tornado"]])
    func yearRowsEqualAYearRun(method: [String]) throws {
        let dir = temporaryDirectory("years")
        let several = try hpmc(["sensitivity", cns] + method + ["--years", "2030, 2045-2046,2060", "--out", dir + "/years", "--quiet"])
        #expect(several.status == 0, "\(several.stderr)")
        let one = try hpmc(["sensitivity", cns] + method + ["--year", "2045", "--out", dir + "/one", "--quiet"])
        #expect(one.status == 0, "\(one.stderr)")
        let joint = try rows(dir + "/years/sensitivity.csv", year: "2045"), alone = try rows(dir + "/one/sensitivity.csv", year: "2045")
        #expect(joint.count == 12 && joint == alone)
        for year in ["2030", "2046", "2060"] { #expect(try rows(dir + "/years/sensitivity.csv", year: year).count == 12) }
        #expect(try rows(dir + "/years/sensitivity.csv", year: "2031").isEmpty)
        let data = try #require(contents(dir + "/years/sensitivity.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["years"] as? [Int] == [2030, 2045, 2046, 2060])
        #expect((json["indices"] as? [[String: Any]])?.filter { $0["year"] as? Int == 2046 }.count == 12)
        let chart = FileManager.default.fileExists(atPath: dir + "/years/sensitivity-sobol-years.svg")
        #expect(chart == (method[1] == "sobol"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/one/sensitivity-sobol-years.svg"))
    }

    /// The stacked S1 chart: one band per input that reaches 0.02 in some year, the rest as others,
    /// and the report shows it beside the last year's bars.
    @Test func yearsChartInTheReport() throws {
        let dir = temporaryDirectory("years-report")
        let run = try hpmc(["sensitivity", cns, "--samples", "512", "--years", "all", "--out", dir + "/sobol", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOfFile: dir + "/sobol/sensitivity.csv", encoding: .utf8)
        let lines = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(lines.count == 39 * 12)
        var largest: [String: Double] = [:]
        for line in lines { largest[String(line[1]), default: -1] = max(largest[String(line[1]), default: -1], Double(line[2]) ?? -1) }
        let major = largest.filter { $0.value >= 0.02 }.keys, minor = largest.filter { $0.value < 0.02 }.keys
        let svg = try String(contentsOfFile: dir + "/sobol/sensitivity-sobol-years.svg", encoding: .utf8)
        for name in major { #expect(svg.contains(">\(name)<"), "\(name) has no band") }
        for name in minor { #expect(!svg.contains(">\(name)<"), "\(name) should be among the others") }
        #expect(svg.contains("others (S1 &lt; 0.02 in every year)") == !minor.isEmpty)
        // The y-axis label fits whole (it was cut to "S1, stacked (fraction of vari…").
        #expect(svg.contains("class=\"y-label\"") && svg.contains(">stacked S1 (variance share)</text>") && !svg.contains("…"))
        let report = try hpmc(["report", dir + "/sobol", "--out", dir + "/report.html"])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        #expect(XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8)).parse())
        #expect(html.components(separatedBy: "<svg").count - 1 == 2)
        #expect(html.contains("First-order Sobol' indices by year") && html.contains("(table and bars: 2060)"))
        #expect(html.contains("S1_conf, ST_conf: 95 % half-widths, asymptotic (delta method)"))
    }

    /// `--intervals bootstrap` changes only the half-widths, and sensitivity.json and the table say which
    /// intervals they are (and the resamples of a bootstrap).
    @Test func intervalMethodsShareTheIndices() throws {
        let dir = temporaryDirectory("intervals")
        let asymptotic = try hpmc(["sensitivity", cns, "--samples", "256", "--years", "2030,2060", "--out", dir + "/asymptotic", "--quiet"])
        #expect(asymptotic.status == 0, "\(asymptotic.stderr)")
        let bootstrap = try hpmc(["sensitivity", cns, "--samples", "256", "--years", "2030,2060", "--intervals", "bootstrap", "--bootstrap", "40",
                                  "--out", dir + "/bootstrap", "--quiet"])
        #expect(bootstrap.status == 0, "\(bootstrap.stderr)")
        #expect(asymptotic.stdout.contains("S1_conf, ST_conf: 95 % half-widths, asymptotic (delta method)"))
        #expect(bootstrap.stdout.contains("S1_conf, ST_conf: 95 % half-widths, bootstrap over 40 resamples of the base rows"))
        func columns(_ run: String) throws -> (indices: [[Substring]], conf: [[Substring]]) {
            let lines = try String(contentsOfFile: dir + "/\(run)/sensitivity.csv", encoding: .utf8).split(separator: "\n")
            #expect(lines.first == "year,parameter,S1,S1_conf,ST,ST_conf" && lines.count == 1 + 2 * 12)
            let cells = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            return (cells.map { [$0[0], $0[1], $0[2], $0[4]] }, cells.map { [$0[3], $0[5]] })
        }
        let a = try columns("asymptotic"), b = try columns("bootstrap")
        #expect(a.indices == b.indices && a.conf != b.conf)
        for (run, method, resamples) in [("asymptotic", "asymptotic", nil), ("bootstrap", "bootstrap", 40)] as [(String, String, Int?)] {
            let data = try #require(contents(dir + "/\(run)/sensitivity.json"))
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(json["intervals"] as? String == method && json["resamples"] as? Int == resamples)
        }
    }
}

/// `--years` has one grammar and one set of messages in `run` and `sensitivity`.
struct YearsGrammarTests {
    @Test(arguments: [("2060,2060", "--years: 2060 is named twice"), ("2030-2040,2035", "--years: 2035 is named twice"),
                      ("2060-2030", "--years: '2060-2030': the range runs backwards; write FIRST-LAST"),
                      ("20x0", "--years: '20x0': write all, a year, FIRST-LAST, or a comma-separated list of them, each year once"),
                      ("2030,", "--years: '2030,' has an empty entry"),
                      ("2021-2030", "--years: 2021 is outside CNS's years; give years from 2022 to 2060")])
    func sameRefusalInBothCommands(years: String, message: String) throws {
        let out = temporaryDirectory("years-grammar") + "/out"
        for command in [["run", cns, "--samples", "100"], ["sensitivity", cns, "--method", "tornado"]] {
            let outcome = try hpmc(command + ["--years", years, "--out", out, "--quiet"])
            #expect(outcome.status == 2, "\(command[0]): \(outcome.stderr)")
            #expect(outcome.stderr == "hpmc: error: \(message)\n", "\(command[0]): \(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }
}
