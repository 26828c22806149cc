import Foundation
import Testing

/// Option values a command cannot use are bad input: exit 2, a message naming the option, the name
/// and value where there is one and what is allowed, and no output directory created.
struct OptionRangeTests {
    func expectRefusal(_ arguments: [String], _ fragments: [String]) throws {
        let dir = temporaryDirectory("option")
        let outcome = try hpmc(arguments + ["--out", dir + "/out", "--quiet"])
        #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
        for fragment in fragments { #expect(outcome.stderr.contains(fragment), "\(arguments): \(outcome.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"), "\(arguments)")
    }

    @Test func sweepGridValuesOutsideTheirRange() throws {
        try expectRefusal(["sweep", cns, "--grid", "lifetime=-5:-1:3"],
                          ["--grid: lifetime = -5.0 (sets lifetime.mean): mean lifetime (years) must be > 0; lifetime must lie in (0, ∞)"])
        try expectRefusal(["sweep", cns, "--grid", "coal_share_heating=0.5:1.7:3"],
                          ["--grid: coal_share_heating = 1.1", "share of displaced heat must be in [0, 1]"])
        try expectRefusal(["sweep", cns, "--grid", "heating.sales.r=-0.1:0.1:3"],
                          ["--grid: heating.sales.r = -0.1:", "growth rate r (per year) must be > 0"])
        try expectRefusal(["sweep", cns, "--grid", "heating.displaced.gas.share=0.1:0.5:3"],
                          ["--grid: 'heating.displaced.gas.share' (--grid), 'coal_share_heating' vary shares of 'heating' that can add up to 1.25"])
    }

    @Test func sweepGridShapeAndSizes() throws {
        try expectRefusal(["sweep", cns, "--grid", "cop_heating=1:2:9223372036854775807"],
                          ["--grid: 'cop_heating=1:2:9223372036854775807': STEPS must be at least 2 and at most 10000"])
        try expectRefusal(["sweep", cns, "--grid", "cop_heating=1:2:1e300"], ["STEPS must be at least 2 and at most 10000"])
        try expectRefusal(["sweep", cns, "--grid", "heating.sales@2030=400:500:2"],
                          ["--grid: unknown name 'heating.sales@2030' (the anchors of a fitted logistic curve cannot vary per sample"])
        try expectRefusal(["sweep", cns, "--grid", "cop_heating=1:2:2", "--samples-per-point", "0"],
                          ["--samples-per-point: 0 samples; it must be at least 1"])
        try expectRefusal(["sweep", cns, "--grid", "cop_heating=1:2:2", "--samples-per-point", "9223372036854775807"],
                          ["--samples-per-point: 9223372036854775807 at each of 2 points; at most 4611686018427387903 per point"])
        try expectRefusal(["sweep", cns, "--grid", "cop_heating=1:2:2", "--year", "9223372036854775807"],
                          ["--year: 9223372036854775807 is outside 2022...2060"])
    }

    @Test func sweepNameEqualToASweepColumn() throws {
        let dir = temporaryDirectory("column")
        let text = try String(contentsOfFile: cns, encoding: .utf8)
        #expect(text.contains("name: lifetime\n"))
        let renamed = dir + "/renamed.yaml"
        try text.replacingOccurrences(of: "name: lifetime\n", with: "name: value\n").write(toFile: renamed, atomically: true, encoding: .utf8)
        try expectRefusal(["sweep", renamed, "--grid", "value=12:18:2"],
                          ["--grid: 'value' is a column of sweep.csv (point, market, metric, year, stat, value, unit)"])
    }
}
