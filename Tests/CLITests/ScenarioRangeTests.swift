import Foundation
import Testing

/// A draw outside its target's range is bad input: `validate` and `run` exit 2 naming the place,
/// and `run` creates nothing.
struct OutOfRangeDraws {
    func badScenario(_ label: String, _ old: String, _ new: String) throws -> (directory: String, file: String) {
        let dir = temporaryDirectory(label)
        let text = try String(contentsOfFile: cns, encoding: .utf8)
        #expect(text.contains(old))
        let file = dir + "/bad.yaml"
        try text.replacingOccurrences(of: old, with: new).write(toFile: file, atomically: true, encoding: .utf8)
        return (dir, file)
    }

    @Test func negativeLifetimeExitsWithTwoAndWritesNothing() throws {
        let (dir, bad) = try badScenario("range", "{type: uniform, min: 12, max: 18}", "{type: uniform, min: -10, max: -1}")
        let validate = try hpmc(["validate", bad])
        #expect(validate.status == 2)
        #expect(validate.stderr.contains("bad.yaml:169: uncertain[8].distribution: 'lifetime' (lifetime.mean, set)"), "\(validate.stderr)")
        #expect(validate.stderr.contains("mean lifetime (years) must be in [1, 100]; use bounds within [1, 100]"), "\(validate.stderr)")
        let run = try hpmc(["run", bad, "--samples", "100", "--out", dir + "/out", "--quiet"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("'lifetime' (lifetime.mean, set)"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }

    @Test func inputNamedLikeAnOutputColumnExitsWithTwo() throws {
        let (dir, bad) = try badScenario("column", "name: grid_2030", "name: reduction_total_2060")
        for arguments in [["validate", bad], ["run", bad, "--samples", "100", "--out", dir + "/out", "--quiet"]] {
            let outcome = try hpmc(arguments)
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("bad.yaml:129: uncertain[0].name: 'reduction_total_2060' is a column of samples.csv"), "\(outcome.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }

    /// A COP the file may hold (> 0) but so large that the model overflows: `project` says so and
    /// exits 1, as a run does, and `validate` fails the figures with no deviation; both printed n/a
    /// with exit 0 and "-inf%".
    @Test func aCentralProjectionThatOverflowsIsSaid() throws {
        let (dir, bad) = try badScenario("overflow", "{year: 2022, value: 2.8,", "{year: 2022, value: 1e300,")
        let project = try hpmc(["project", bad, "--out", dir + "/out"])
        #expect(project.status == 1)
        #expect(project.stderr.hasPrefix("hpmc: warning: 10 of ") && project.stderr.contains("central values are not finite (e.g. electricity heating 2030)")
                && project.stderr.hasSuffix("printed n/a and left empty in central.csv\n"), "\(project.stderr)")
        let central = try String(contentsOfFile: dir + "/out/central.csv", encoding: .utf8)
        #expect(central.contains("CNS,heating,all,reduction,2030,,1e8 tCO2/yr\n"), "\(central.prefix(300))")
        // The scenario names its reference figures beside it.
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("Scenarios/roadmap_reference.csv").path,
                                         toPath: dir + "/roadmap_reference.csv")
        let validate = try hpmc(["validate", bad])
        #expect(validate.status == 1 && !validate.stdout.contains("inf"), "\(validate.stderr)")
        let failed = validate.stdout.split(separator: "\n").filter { $0.contains("reduction  2030") && $0.hasSuffix("FAIL") }
        #expect(failed.count == 2 && failed.allSatisfy { $0.contains("n/a") && $0.range(of: #"[+-][0-9.]+%"#, options: .regularExpression) == nil },
                "\(validate.stdout)")
    }

    /// Sales anchors no logistic passes through are named where the file holds them, with the
    /// anchors and what to change (it said only "market 'heating': the sales curve fit did not
    /// converge", or "choose another start" for anchors that overflow the fit).
    @Test(arguments: [("{year: 2060, value: 2135,", "{year: 2060, value: 50,", "105 (2022), 447 (2030), 50 (2060): the fit did not converge ("),
                      ("{year: 2060, value: 2135,", "{year: 2060, value: 1e300,", "105 (2022), 447 (2030), 1e+300 (2060): an anchor of 1e+300 lies outside 1e-150 to 1e150, beyond the fit's double precision; "),
                      ("{year: 2060, value: 2135,", "{year: 2060, value: 1e-200,", "105 (2022), 447 (2030), 1e-200 (2060): an anchor of 1e-200 lies outside 1e-150 to 1e150, beyond the fit's double precision; ")])
    func salesAnchorsNoCurveFitsAreNamed(old: String, new: String, problem: String) throws {
        let (_, bad) = try badScenario("sales-fit", old, new)
        let validate = try hpmc(["validate", bad])
        #expect(validate.status == 2)
        #expect(validate.stderr.hasPrefix("hpmc: error: \(bad):38: markets[0].sales.anchors: market 'heating': no logistic sales curve passes through its anchors \(problem)"),
                "\(validate.stderr)")
        #expect(validate.stderr.hasSuffix("; change the anchors (a logistic needs sales that rise and level off)\n"), "\(validate.stderr)")
    }
}
