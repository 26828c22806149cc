import Foundation
import Testing

/// `--target` end to end: exact counts in summary.json and on stdout, identical for any threads and
/// shards, refused with exit 2 when malformed or not the study's.
struct TargetCLITests {
    static let samples = "9000"
    static let targets = ["--target", "reduction total 2060 >= 4.34", "--target", "reduction hotwater 2060<1.7"]

    func summaryTargets(_ dir: String) throws -> [[String: Any]] {
        let data = try #require(contents(dir + "/summary.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(object["targets"] as? [[String: Any]])
    }

    /// A compare target on a segment that A and B share out differently was counted on the market's
    /// B - A times A's share, with exit 0 (P = 0 where the true paired difference is below the
    /// threshold in every pair); it is refused, as difference.csv leaves such rows out.
    @Test func aCompareTargetOnADifferentlySharedSegmentIsRefused() throws {
        let dir = temporaryDirectory("compare-segment-target")
        let text = try String(contentsOfFile: cns, encoding: .utf8)
        #expect(text.contains("value: 0.5731,") && text.contains("value: 0.4269,"))
        try text.replacingOccurrences(of: "value: 0.5731,", with: "value: 0.4,").replacingOccurrences(of: "value: 0.4269,", with: "value: 0.6,")
            .write(toFile: dir + "/split.yaml", atomically: true, encoding: .utf8)
        let outcome = try hpmc(["compare", cns, dir + "/split.yaml", "--samples", "256", "--quiet", "--out", dir + "/out",
                                "--target", "reduction hotwater household 2060 < -0.1"])
        #expect(outcome.status == 2 && outcome.stderr.hasPrefix("hpmc: error: --target: 'reduction hotwater household 2060 < -0.1': the scenarios share "
                + "hotwater's reduction out into segments differently in 2060"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
        let market = try hpmc(["compare", cns, dir + "/split.yaml", "--samples", "256", "--quiet", "--out", dir + "/out",
                               "--target", "reduction hotwater 2060 < -0.1"])
        #expect(market.status == 0, "\(market.stderr)")
    }

    @Test func countsMatchTheSavedSamplesForAnyThreadsAndShards() throws {
        let dir = temporaryDirectory("targets")
        let run = ["run", cns, "--samples", Self.samples, "--seed", "4", "--quiet"] + Self.targets
        let single = try hpmc(run + ["--threads", "1", "--save-samples", "--out", dir + "/single"])
        #expect(single.status == 0, "\(single.stderr)")
        let summary = try summaryTargets(dir + "/single")
        #expect(summary.map { $0["text"] as? String } == ["reduction total 2060 >= 4.34", "reduction hotwater 2060 < 1.7"])
        let data = try #require(contents(dir + "/single/samples.csv"))
        let table = String(decoding: data, as: UTF8.self)
        let rows = table.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let total = try #require(rows[0].firstIndex(of: "reduction_total_2060")), hotwater = try #require(rows[0].firstIndex(of: "reduction_hotwater_2060"))
        let expected = [rows.dropFirst().filter { Double($0[total])! >= 4.34 }.count, rows.dropFirst().filter { Double($0[hotwater])! < 1.7 }.count]
        for (entry, count) in zip(summary, expected) {
            #expect(entry["count"] as? Int == count)
            #expect(entry["samples"] as? Int == 9000)
            let p = try #require(entry["probability"] as? Double), lower = try #require(entry["lower"] as? Double), upper = try #require(entry["upper"] as? Double)
            // Within an ulp: Foundation's JSON reader need not round-trip the shortest form exactly.
            #expect(abs(p - Double(count) / 9000) <= 1e-16 && lower < p && p < upper)
            #expect(single.stdout.contains("(\(count) of 9000 samples)"))
        }
        #expect(try hpmc(run + ["--threads", "2", "--out", dir + "/two"]).status == 0)
        for i in 0..<3 {
            #expect(try hpmc(run + ["--shard", "\(i)/3", "--out", dir + "/shards"]).status == 0)
        }
        let merged = try hpmc(["merge", dir + "/shards", "--out", dir + "/merged"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.contains("(\(expected[0]) of 9000 samples)"))
        for other in ["two", "merged"] {
            #expect(NSArray(array: try summaryTargets(dir + "/" + other)).isEqual(to: summary))
            #expect(contents(dir + "/\(other)/exceedance-total.svg") == contents(dir + "/single/exceedance-total.svg"))
        }
        #expect(contents(dir + "/merged/study.hpmc") == contents(dir + "/two/study.hpmc"))
    }

    @Test func mergeRefusesShardsWithOtherTargets() throws {
        let dir = temporaryDirectory("target-shards")
        for (i, target) in ["reduction total 2060 >= 4.34", "reduction total 2060 >= 4.34", "reduction total 2060 >= 4"].enumerated() {
            #expect(try hpmc(["run", cns, "--samples", Self.samples, "--shard", "\(i)/3", "--out", dir, "--quiet", "--target", target]).status == 0)
        }
        let outcome = try hpmc(["merge", dir, "--out", dir + "/merged"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("target list 'reduction total 2060 >= 4' differs"), "\(outcome.stderr)")
    }

    /// Targets are a set for a study's identity: shards given them in another order merge, in the
    /// first shard's order, to the unsharded run's counts; other targets are still refused.
    @Test func reorderedTargetsMergeInTheFirstShardsOrder() throws {
        let dir = temporaryDirectory("target-order")
        let run = ["run", cns, "--samples", "9000", "--quiet"]
        #expect(try hpmc(run + ["--target", Self.targets[3], "--target", Self.targets[1], "--out", dir + "/whole"]).status == 0)
        #expect(try hpmc(run + ["--shard", "0/2", "--target", Self.targets[3], "--target", Self.targets[1], "--out", dir + "/shards"]).status == 0)
        #expect(try hpmc(run + ["--shard", "1/2", "--target", Self.targets[1], "--target", Self.targets[3], "--out", dir + "/shards"]).status == 0)
        let merged = try hpmc(["merge", dir + "/shards", "--out", dir + "/merged"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let targets = try summaryTargets(dir + "/merged")
        #expect(targets.map { $0["text"] as? String } == ["reduction hotwater 2060 < 1.7", "reduction total 2060 >= 4.34"])
        #expect(NSArray(array: targets).isEqual(to: try summaryTargets(dir + "/whole")))
        #expect(contents(dir + "/merged/bands.csv") == contents(dir + "/whole/bands.csv"))

        #expect(try hpmc(run + ["--shard", "1/2", "--target", "reduction total 2060 >= 4", "--target", Self.targets[3], "--out", dir + "/shards", "--force"]).status == 0)
        let refused = try hpmc(["merge", dir + "/shards", "--out", dir + "/refused"])
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("hpmc: error: ") && refused.stderr.contains("target list 'reduction hotwater 2060 < 1.7', 'reduction total 2060 >= 4' differs"),
                "\(refused.stderr)")
    }

    /// A scenario against itself differs by exactly zero in every sample: B − A ≥ 0 always, > 0 never;
    /// the counts go to targets.json and from there into the report; a comparison without targets
    /// (`--force`) leaves no targets.json behind.
    /// A ratio undefined by itself (A's value 0: here A's heating saturation is, in half the draws,
    /// a subnormal factor, so its sales round to 0) leaves its own series only, and compare says so
    /// on stderr without failing; the differences are all there.
    @Test func compareSaysWhereTheRatioIsUndefined() throws {
        let dir = temporaryDirectory("undefined-ratio")
        let text = try String(contentsOfFile: cns, encoding: .utf8)
        let zeroA = dir + "/zero.yaml"
        try text.replacingOccurrences(of: "distribution: {type: lognormal, mu: 0, sigma: 0.15}\n    source: \"assumption: penetration, saturation level\"",
                                      with: "distribution: {type: discrete, values: [1, 1e-311], weights: [1, 1]}\n    source: \"assumption: test\"")
            .write(toFile: zeroA, atomically: true, encoding: .utf8)
        let outcome = try hpmc(["compare", zeroA, cns, "--samples", "2000", "--sampler", "mc", "--out", dir + "/out", "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("note: B / A is not finite (A's value is 0) in some pairs of ") && outcome.stderr.contains("e.g. sales heating 2023 in "))
        #expect(!outcome.stderr.contains("warning"))
    }

    @Test func compareCountsThePairedDifference() throws {
        let dir = temporaryDirectory("compare-targets")
        let outcome = try hpmc(["compare", cns, cns, "--samples", "3000", "--out", dir, "--quiet",
                                "--target", "reduction total 2060 >= 0", "--target", "reduction total 2060 > 0"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("P(CNS - CNS: reduction total 2060 >= 0) = 1.0000"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("(3000 of 3000 samples)"))
        #expect(outcome.stdout.contains("P(CNS - CNS: reduction total 2060 > 0) = 0.0000"))
        #expect(outcome.stdout.contains("(0 of 3000 samples)"))

        let data = try #require(contents(dir + "/targets.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["subject"] as? String == "CNS - CNS")
        let targets = try #require(object["targets"] as? [[String: Any]])
        #expect(targets.map { $0["text"] as? String } == ["reduction total 2060 >= 0", "reduction total 2060 > 0"])
        #expect(targets.map { $0["count"] as? Int } == [3000, 0] && targets.allSatisfy { $0["samples"] as? Int == 3000 })
        #expect(targets.map { $0["probability"] as? Double } == [1, 0])

        let report = dir + "/report.html"
        #expect(try hpmc(["report", dir, "--out", report]).status == 0)
        let html = try #require(contents(report).map { String(decoding: $0, as: UTF8.self) })
        #expect(html.contains("CNS - CNS: chance of each target"))
        #expect(html.contains("<tr><td>reduction total 2060 &gt;= 0</td><td>1.0000</td>"))
        #expect(html.contains("<td>3000 of 3000</td>") && html.contains("<td>0 of 3000</td>"))

        #expect(try hpmc(["compare", cns, cns, "--samples", "300", "--out", dir, "--quiet", "--force"]).status == 0)
        #expect(contents(dir + "/targets.json") == nil)
    }

    @Test(arguments: [("reduction total 2060 = 4.34", "expected METRIC MARKET [SEGMENT] YEAR OP NUMBER"),
                      ("reduction 2060 >= 4.34", "expected METRIC MARKET [SEGMENT] YEAR OP NUMBER"),
                      ("co2 total 2060 >= 4.34", "is not one of sales, value, stock, heat, electricity, reduction"),
                      ("reduction total 2060 >= four", "threshold 'four' is not a decimal number"),
                      ("reduction mars 2060 >= 1", "is not one of heating, hotwater, total"),
                      ("reduction total 2061 >= 1", "outside 2022...2060")])
    func badTargetTextExitsTwoNamingWhatWasExpected(text: String, fragment: String) throws {
        let dir = temporaryDirectory("bad-target") + "/out"
        for command in [["run", cns, "--samples", "100"], ["compare", cns, ngs, "--samples", "100"]] {
            let outcome = try hpmc(command + ["--target", text, "--out", dir])
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("--target") && outcome.stderr.contains(fragment), "\(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir))
        }
    }

    /// A target given twice (the same condition however written) is refused naming it: it was
    /// counted and printed twice, as if two targets had been asked.
    @Test func aRepeatedTargetIsRefused() throws {
        let dir = temporaryDirectory("targets-repeated")
        let run = try hpmc(["run", cns, "--samples", "64", "--target", "reduction total 2060 >= 4.34",
                            "--target", "reduction total all 2060>=4.340", "--out", dir + "/run", "--quiet"])
        #expect(run.status == 2 && run.stderr == "hpmc: error: --target: 'reduction total 2060 >= 4.34': given twice; give each target once\n", "\(run.stderr)")
        let compare = try hpmc(["compare", ngs, cns, "--samples", "64", "--target", "reduction total 2060 >= 3",
                                "--target", "reduction heating 2060 >= 3", "--target", "reduction total 2060 >= 3.0", "--out", dir + "/compare", "--quiet"])
        #expect(compare.status == 2 && compare.stderr == "hpmc: error: --target: 'reduction total 2060 >= 3': given twice; give each target once\n", "\(compare.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        let distinct = try hpmc(["run", cns, "--samples", "64", "--target", "reduction total 2060 >= 4.34",
                                 "--target", "reduction total 2060 > 4.34", "--out", dir + "/run", "--quiet"])
        #expect(distinct.status == 0, "\(distinct.stderr)")
    }
}
