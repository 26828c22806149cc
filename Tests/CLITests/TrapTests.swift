import Foundation
import Testing
import UncertaintyStudy
@testable import hpmc

/// Input that used to crash hpmc (a trap) or be accepted silently: each is now exit 2 with a
/// message naming the option or file, and nothing is written.
struct OptionRangeTests {
    @Test func runOptionsOutOfRangeExitTwoAndCreateNothing() throws {
        let dir = temporaryDirectory("ranges")
        let cases: [([String], [String])] = [
            (["--checkpoint-every", "inf"], ["--checkpoint-every", "'inf' is not a decimal number"]),
            (["--checkpoint-every", "1e9"], ["--checkpoint-every", "31536000"]),
            (["--checkpoint-every", "1e17"], ["--checkpoint-every"]),
            (["--checkpoint-every", "1e300"], ["--checkpoint-every"]),
            (["--checkpoint-every", "nan"], ["--checkpoint-every", "'nan' is not a decimal number"]),
            (["--checkpoint-every=-1"], ["--checkpoint-every"]),
            (["--samples", "9223372036854775807"], ["--samples", "274877906944"]),
            (["--samples", "4294967297"], ["--samples", "sobol"]),
            (["--shard", "5/3"], ["--shard", "5/3"]),
            (["--shard=-1/3"], ["--shard", "-1/3"]),
            (["--shard", "0/0"], ["--shard"]),
            (["--percentiles", "5,,95"], ["--percentiles: '5,,95': '' is not a decimal number"]),
            (["--percentiles", "50,50"], ["--percentiles", "once, in increasing order"]),
            (["--percentiles", "95,5"], ["--percentiles", "increasing"]),
            (["--percentiles", "0,50"], ["--percentiles", "strictly between 0 and 100"]),
            (["--percentiles", ""], ["--percentiles: '': '' is not a decimal number"]),
        ]
        for (arguments, fragments) in cases {
            let outcome = try hpmc(["run", cns, "--out", dir + "/o", "--quiet"] + arguments)
            #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
            for fragment in fragments { #expect(outcome.stderr.contains(fragment), "\(arguments): \(outcome.stderr)") }
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/o"))
    }

    /// The largest sample count mc accepts is also the documented maximum; one more is refused.
    @Test func sampleMaximumIsTheDocumentedOne() throws {
        let dir = temporaryDirectory("maximum")
        let above = try hpmc(["run", cns, "--sampler", "mc", "--samples", String(StudySettings.maximumSamples + 1), "--out", dir + "/o"])
        #expect(above.status == 2 && above.stderr.contains("give 1 to \(StudySettings.maximumSamples)"), "\(above.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/o"))
    }

    /// A run whose workers' histogram bins exceed the machine's memory is refused with the figure,
    /// before any worker or output exists.
    @Test func runTooLargeForTheMachineIsRefusedWithTheFigure() throws {
        let dir = temporaryDirectory("memory")
        let outcome = try hpmc(["run", cns, "--samples", "268435456", "--threads", "100000", "--out", dir + "/o", "--quiet"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("per worker × 100000 workers") && outcome.stderr.contains("this machine allows"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/o"))
    }

    @Test func percentilesAndReferencesOfOtherCommands() throws {
        let dir = temporaryDirectory("other")
        let missing = dir + "/no-such-reference.csv"
        let cases: [([String], String)] = [
            (["merge", dir, "--out", dir + "/m", "--percentiles", "5,,95"], "--percentiles"),
            (["merge", dir, "--out", dir + "/m", "--percentiles", "50,50"], "--percentiles"),
            (["merge", dir, "--out", dir + "/m", "--reference", missing], "--reference: \(missing): no such file"),
            (["report", dir, "--out", dir + "/m/r.html", "--reference", missing], "--reference: \(missing): no such file"),
            (["compare", dir, "--reference", missing], "--reference: \(missing): no such file"),
            (["compare", cns, ngs, "--samples", "0", "--out", dir + "/m"], "--samples"),
            (["sweep", cns, "--grid", "grid_2060=0.02:0.25:3", "--samples-per-point", "0", "--out", dir + "/m"], "--samples-per-point"),
            (["sweep", cns, "--grid", "grid_2060=0.02:0.25:1e300", "--out", dir + "/m"], "--grid"),
        ]
        for (arguments, fragment) in cases {
            let outcome = try hpmc(arguments)
            #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains(fragment), "\(arguments): \(outcome.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/m"))
    }
}

/// `hpmc fit` says converged only when it is, and refuses what cannot be fitted.
struct FitConvergenceTests {
    func write(_ rows: [(Double, Double)], _ name: String) throws -> String {
        let path = temporaryDirectory("fit") + "/" + name
        try ("t,y\n" + rows.map { "\($0.0),\($0.1)" }.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    var logisticRows: [(Double, Double)] { (0..<10).map { i in let t = 2010 + 5 * Double(i); return (t, 1000 / (1 + exp(-0.2 * (t - 2035)))) } }

    @Test func invalidStartsAreRefused() throws {
        let data = try write(logisticRows, "logistic.csv")
        let nu = try hpmc(["fit", data, "--model", "richards", "--start", "1000,0.2,2035,0"])
        #expect(nu.status == 2 && nu.stderr.contains("--start") && nu.stderr.contains("nu must be at least 1e-08"), "\(nu.stderr)")
        // Below the fit's bound: it was moved onto it unsaid and printed as the estimate after 0 iterations.
        let tiny = try hpmc(["fit", data, "--model", "richards", "--start", "1000,0.2,2035,1e-300"])
        #expect(tiny.status == 2 && tiny.stderr.contains("start nu = 1e-300 is outside the richards curve's domain"), "\(tiny.stderr)")
        let short = try hpmc(["fit", data, "--start", "1,,2"])
        #expect(short.status == 2 && short.stderr.contains("--start"), "\(short.stderr)")
        // A Jacobian whose squares overflow: one message, and none of LAPACK's own stderr lines.
        let huge = try hpmc(["fit", data, "--start", "1,1e300,2035"])
        #expect(huge.status == 2 && huge.stderr.contains("--start"), "\(huge.stderr)")
        #expect(huge.stderr.split(separator: "\n").count == 1 && !huge.stderr.contains("DLASCL") && !huge.stderr.contains("illegal value"))
    }

    @Test func flatStartIsReportedNotConverged() throws {
        let data = try write(logisticRows, "logistic.csv")
        let outcome = try hpmc(["fit", data, "--start", "1e308,1e308,1e308", "--json"])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(object["converged"] as? Bool == false && object["stopReason"] as? String == "unidentified")
        #expect((object["stopExplanation"] as? String)?.contains("do not identify") == true)
        let text = try hpmc(["fit", data, "--start", "1e308,1e308,1e308"])
        #expect(text.status == 1 && text.stdout.contains("NOT converged"))
    }

    @Test func dataThatCannotDetermineTheCurveAreRefused() throws {
        let oneTime = try write([(5, 1), (5, 2), (5, 3), (5, 4)], "one-time.csv")
        let same = try hpmc(["fit", oneTime])
        #expect(same.status == 2 && same.stderr.contains("one-time.csv") && same.stderr.contains("distinct times"), "\(same.stderr)")
        let base = 1e18
        let farOut = try write([(base, 10), (base + 128, 20), (base + 256, 30), (base + 384, 40)], "far.csv")
        let far = try hpmc(["fit", farOut])
        #expect(far.status == 2 && far.stderr.contains("far.csv") && far.stderr.contains("subtract an origin"), "\(far.stderr)")
    }
}

/// Files with a valid checksum but impossible counts are refused naming the file, never trapped on.
struct ArchiveRangeTests {
    /// Shard files of a small three-shard study.
    func shards() throws -> (dir: String, paths: [String]) {
        let dir = temporaryDirectory("archive")
        for i in 0..<3 {
            let outcome = try hpmc(["run", cns, "--samples", "9000", "--seed", "4", "--shard", "\(i)/3", "--out", dir, "--quiet"])
            try #require(outcome.status == 0, "\(outcome.stderr)")
        }
        return (dir, (0..<3).map { dir + "/shard-\($0)-of-3.hpmc" })
    }

    /// Re-encodes `path` (so the checksum is valid) after `change`.
    func rewrite(_ path: String, to target: String, _ change: (inout StudyArchive.Manifest, inout StudyState) -> Void) throws {
        let archive = try StudyArchive.read(path: path)
        var manifest = archive.manifest, state = try archive.state()
        change(&manifest, &state)
        #expect(FileManager.default.createFile(atPath: target, contents: Data(try StudyArchive(manifest: manifest, scenarioText: archive.scenarioText, state: state).encoded())))
    }

    @Test func mergeRefusesImpossibleManifests() throws {
        let (dir, paths) = try shards()
        let cases: [(String, (inout StudyArchive.Manifest, inout StudyState) -> Void)] = [
            ("completed through chunk", { m, _ in m.completedThrough = m.chunkEnd + 5 }),
            ("completed through chunk", { m, _ in m.completedThrough = -1 }),
            ("shard 5 of 3", { m, _ in m.shard = 5 }),
            ("shard -1 of 3", { m, _ in m.shard = -1 }),
            ("samples", { m, _ in m.samples = -9000 }),
            ("chunk size", { m, _ in m.chunkSize = 0 }),
        ]
        for (fragment, change) in cases {
            let bad = dir + "/bad.hpmc"
            try rewrite(paths[2], to: bad, change)
            let outcome = try hpmc(["merge", paths[0], paths[1], bad, "--out", dir + "/merged"])
            #expect(outcome.status == 2, "\(fragment): \(outcome.stderr)")
            #expect(outcome.stderr.contains("bad.hpmc") && outcome.stderr.contains(fragment), "\(outcome.stderr)")
        }
        // A missing convergence section, in the first file or a later one.
        let lacking = dir + "/lacking.hpmc"
        try rewrite(paths[0], to: lacking) { _, state in state.convergence.removeLast() }
        for inputs in [[lacking, paths[1], paths[2]], [paths[1], lacking, paths[2]]] {
            let outcome = try hpmc(["merge"] + inputs + ["--out", dir + "/merged"])
            #expect(outcome.status == 2 && outcome.stderr.contains("convergence sections"), "\(outcome.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/merged"))
    }

    /// A checkpoint of another study names the field that differs, as merge does for shards.
    @Test func resumeOfAnotherStudysCheckpointNamesTheDifference() throws {
        let (dir, paths) = try shards()
        try FileManager.default.copyItem(atPath: paths[1], toPath: dir + "/shard-1-of-3.checkpoint")
        let cases: [([String], String)] = [
            (["--samples", "9000", "--seed", "5"], "its seed is 4, this run's 5"),
            (["--samples", "9001", "--seed", "4"], "its sample count is 9000, this run's 9001"),
            (["--samples", "9000", "--seed", "4", "--target", "reduction total 2060 > 4"], "its target list is (none), this run's 'reduction total 2060 > 4'"),
            (["--samples", "9000", "--seed", "4", "--metrics", "reduction"], "its focus is all series, this run's metrics reduction"),
        ]
        for (arguments, fragment) in cases {
            let outcome = try hpmc(["run", cns, "--shard", "1/3", "--out", dir, "--resume", "--quiet"] + arguments)
            #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains("shard-1-of-3.checkpoint: was written for another study: " + fragment), "\(outcome.stderr)")
        }
    }

    /// The same targets in another order are the same study, but a checkpoint's counts are in its
    /// order: resume says so and gives that order (not "another study").
    @Test func resumeWithReorderedTargetsGivesTheCheckpointsOrder() throws {
        let dir = temporaryDirectory("resume-order")
        let a = "reduction total 2060 >= 4.34", b = "reduction hotwater 2060 < 1.7"
        let run = ["run", cns, "--samples", "9000", "--seed", "4", "--shard", "1/3", "--out", dir, "--quiet"]
        try #require(try hpmc(run + ["--target", a, "--target", b]).status == 0)
        try FileManager.default.copyItem(atPath: dir + "/shard-1-of-3.hpmc", toPath: dir + "/shard-1-of-3.checkpoint")
        let outcome = try hpmc(run + ["--resume", "--target", b, "--target", a])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "hpmc: error: --target: \(dir)/shard-1-of-3.checkpoint counts the same targets in another order; "
                + "give them in its order to continue it: '\(a)', '\(b)'\n", "\(outcome.stderr)")
    }

    @Test func resumeRefusesAnImpossibleCheckpoint() throws {
        let (dir, paths) = try shards()
        let checkpoint = dir + "/shard-1-of-3.checkpoint"
        let arguments = ["run", cns, "--samples", "9000", "--seed", "4", "--shard", "1/3", "--out", dir, "--resume", "--force", "--quiet"]
        let cases: [(String, (inout StudyArchive.Manifest, inout StudyState) -> Void)] = [
            ("completed through chunk", { m, _ in m.completedThrough = m.chunkEnd + 1 }),
            ("completed through chunk", { m, _ in m.completedThrough = m.chunkStart - 1 }),
            ("convergence sections", { m, state in m.completedThrough = m.chunkStart; state.convergence.removeLast() }),
        ]
        for (fragment, change) in cases {
            try rewrite(paths[1], to: checkpoint, change)
            let outcome = try hpmc(arguments)
            #expect(outcome.status == 2, "\(fragment): \(outcome.stderr)")
            #expect(outcome.stderr.contains("shard-1-of-3.checkpoint") && outcome.stderr.contains(fragment), "\(outcome.stderr)")
        }
    }

    @Test func reportRefusesAStudyWithoutItsConvergenceSections() throws {
        let dir = temporaryDirectory("lacking-run")
        #expect(try hpmc(["run", cns, "--samples", "3000", "--out", dir, "--quiet"]).status == 0)
        try rewrite(dir + "/study.hpmc", to: dir + "/study.hpmc") { _, state in state.convergence.removeLast() }
        let outcome = try hpmc(["report", dir, "--out", dir + "/r.html"])
        #expect(outcome.status == 2 && outcome.stderr.contains("study.hpmc") && outcome.stderr.contains("convergence sections"), "\(outcome.stderr)")
    }
}
