import Foundation
import Testing

/// Numbers are read by one strict decimal grammar at every entry point, and every error starts the
/// same way: a wrong spelling is never read as another number, and exit status 2 names the place.
struct DecimalEntryPointTests {
    /// `arguments` exit 2 with one `hpmc: error:` line holding every fragment, and write nothing.
    func expectRefusal(_ arguments: [String], _ fragments: [String], out: String? = nil) throws {
        let outcome = try hpmc(arguments + (out.map { ["--out", $0] } ?? []))
        #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
        let first = outcome.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("hpmc: error: "), "\(arguments): \(outcome.stderr)")
        for fragment in fragments { #expect(first.contains(fragment), "\(arguments): \(outcome.stderr)") }
        if let out { #expect(!FileManager.default.fileExists(atPath: out), "\(arguments)") }
    }

    @Test func commandLineNumbers() throws {
        let out = temporaryDirectory("decimal-options") + "/out"
        let run = ["run", cns, "--samples", "100", "--quiet"]
        try expectRefusal(run + ["--target", "reduction total 2060 >= 0x10"],
                          ["--target: 'reduction total 2060 >= 0x10': threshold '0x10' is not a decimal number such as 42, -0.5 or 1.5e-3"], out: out)
        try expectRefusal(run + ["--target", "reduction total 2060 >= 1e-400"], ["--target:", "'1e-400' is out of the representable range"], out: out)
        try expectRefusal(run + ["--percentiles", "5,inf,95"], ["--percentiles: '5,inf,95': 'inf' is not a decimal number"], out: out)
        try expectRefusal(run + ["--checkpoint-every", "0x10"], ["--checkpoint-every", "'0x10' is not a decimal number"], out: out)
        try expectRefusal(run + ["--checkpoint-every", "1e400"], ["--checkpoint-every", "'1e400' is out of the representable range"], out: out)
        try expectRefusal(["discover", cns, "--where", "reduction total 2060 < nan"], ["--where:", "threshold 'nan' is not a decimal number"], out: out)
        try expectRefusal(["discover", cns, "--where", "reduction total 2060 < 4", "--threshold", "0x1p-1"],
                          ["--threshold", "'0x1p-1' is not a decimal number"], out: out)
        try expectRefusal(["sweep", cns, "--grid", "cop_heating=0x1:2:3"], ["--grid: 'cop_heating=0x1:2:3': '0x1' is not a decimal number"], out: out)
        try expectRefusal(["sweep", cns, "--grid", "cop_heating=0.9::3"], ["--grid: 'cop_heating=0.9::3': '' is not a decimal number"], out: out)
        try expectRefusal(["sensitivity", "--test-function", "g-function", "--g-a", "0,1e-999"],
                          ["--g-a: '0,1e-999': '1e-999' is out of the representable range"], out: out)
        try expectRefusal(["fit", repositoryRoot.appendingPathComponent("Package.swift").path, "--start", "10,0x1,2020"],
                          ["--start: '10,0x1,2020': '0x1' is not a decimal number"])
    }

    @Test func fileNumbers() throws {
        let dir = temporaryDirectory("decimal-files")
        // A scenario: Swift's Double(String) read 0xF as 15.
        let scenario = try String(contentsOfFile: cns, encoding: .utf8)
        #expect(scenario.contains("mean: {value: 15,"))
        try scenario.replacingOccurrences(of: "mean: {value: 15,", with: "mean: {value: 0xF,").write(toFile: dir + "/hex.yaml", atomically: true, encoding: .utf8)
        try expectRefusal(["validate", dir + "/hex.yaml"], [dir + "/hex.yaml:", "lifetime.mean.value: '0xF' is not a decimal number"])
        // fit's data.
        try "t,y\n2000,1\n2001,1e-400\n2002,3\n2003,4\n".write(toFile: dir + "/data.csv", atomically: true, encoding: .utf8)
        try expectRefusal(["fit", dir + "/data.csv"], [dir + "/data.csv: row 3.y: '1e-400' is out of the representable range"])
        // discover's samples.csv.
        try "sample,lifetime,reduction_total_2060\n0,15,4.1\n1,16,infinity\n".write(toFile: dir + "/samples.csv", atomically: true, encoding: .utf8)
        try expectRefusal(["discover", "--from", dir + "/samples.csv", "--where", "reduction total 2060 < 4.34"],
                          ["\(dir)/samples.csv:3: reduction_total_2060: 'infinity' is not a decimal number"], out: dir + "/out")
        // A reference file, read by report (and run, merge) and by compare RUN_DIR.
        let reference = try String(contentsOfFile: repositoryRoot.appendingPathComponent("Scenarios/roadmap_reference.csv").path, encoding: .utf8)
        var lines = reference.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let valueColumn = try #require(header.firstIndex(of: "value"))
        var fields = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[valueColumn] = "0x1p2"
        lines[1] = fields.joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: dir + "/reference.csv", atomically: true, encoding: .utf8)
        try expectRefusal(["report", dir, "--reference", dir + "/reference.csv"], ["\(dir)/reference.csv: row 2.value: '0x1p2' is not a decimal number"],
                          out: dir + "/report.html")
        let run = try hpmc(["run", cns, "--samples", "2048", "--quiet", "--out", dir + "/run"])
        #expect(run.status == 0, "\(run.stderr)")
        try expectRefusal(["compare", dir + "/run", "--reference", dir + "/reference.csv"],
                          ["\(dir)/reference.csv: row 2.value: '0x1p2' is not a decimal number"])
        // A status the format lacks was ranked as if published.
        try "scenario,market,segment,metric,year,value,status\nCNS,heating,all,reduction,2060,2.63,unresolve\n"
            .write(toFile: dir + "/status.csv", atomically: true, encoding: .utf8)
        try expectRefusal(["compare", dir + "/run", "--reference", dir + "/status.csv"],
                          ["\(dir)/status.csv: row 2.status: unknown status 'unresolve'; allowed: published, derived, corrected, unlabelled, unresolved"])
    }
}
