import Foundation
import Testing
@testable import UncertaintyStudy

/// Sharded runs merge to the unsharded bits; merge refuses what is not one whole study.
struct ShardTests {
    static let samples = "9000"

    func runShards(_ count: Int, into dir: String, seed: String = "4") throws {
        for i in 0..<count {
            let outcome = try hpmc(["run", cns, "--samples", Self.samples, "--seed", seed, "--shard", "\(i)/\(count)", "--out", dir, "--quiet"])
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
    }

    @Test(arguments: [1, 3, 8])
    func mergeEqualsTheUnshardedRun(shards: Int) throws {
        let dir = temporaryDirectory("shards")
        try runShards(shards, into: dir)
        #expect(try hpmc(["merge", dir, "--out", dir + "/merged"]).status == 0)
        #expect(try hpmc(["run", cns, "--samples", Self.samples, "--seed", "4", "--out", dir + "/single", "--quiet"]).status == 0)
        let merged = try #require(contents(dir + "/merged/bands.csv"))
        #expect(merged == contents(dir + "/single/bands.csv"))
    }

    @Test func mergeThreadsChangeNeitherBitsNorTheReportedProblem() throws {
        let dir = temporaryDirectory("threads")
        try runShards(8, into: dir)
        var bands: [Data?] = []
        for threads in ["1", "2"] {
            #expect(try hpmc(["merge", dir, "--out", dir + "/merged-\(threads)", "--threads", threads]).status == 0)
            bands.append(contents(dir + "/merged-\(threads)/bands.csv"))
            // The manifest records the merge's threads (it said 1 whatever --threads was).
            let summary = try JSONSerialization.jsonObject(with: try #require(contents(dir + "/merged-\(threads)/summary.json"))) as? [String: Any]
            let manifest = summary?["manifest"] as? [String: Any]
            #expect((manifest?["threads"] as? Int).map(String.init) == threads, "\(String(describing: manifest))")
        }
        #expect(bands[0] != nil && bands[0] == bands[1])
        // A truncated file and, later, a duplicate: the earlier problem is reported, whatever the threads.
        let shards = (0..<8).map { dir + "/shard-\($0)-of-8.hpmc" }
        let bytes = try #require(contents(shards[5]))
        let truncated = dir + "/truncated.hpmc"
        #expect(FileManager.default.createFile(atPath: truncated, contents: bytes.prefix(bytes.count / 2)))
        let inputs = Array(shards[0..<3]) + [truncated] + Array(shards[3..<5]) + [shards[1]] + Array(shards[5...])
        let refusals = try ["1", "2"].map { threads in try hpmc(["merge"] + inputs + ["--out", temporaryDirectory("m"), "--threads", threads]) }
        for refusal in refusals {
            #expect(refusal.status == 2)
            #expect(refusal.stderr.contains("truncated"), "\(refusal.stderr)")
        }
        #expect(refusals[0].stderr == refusals[1].stderr)
    }

    /// Run outside the repository (no Scenarios/roadmap_reference.csv under the current directory) and
    /// without --reference, merge and report say once on stderr that no roadmap figures are marked
    /// (they silently lacked them); from the repository, they say nothing.
    @Test func aMissingDefaultReferenceFileIsSaid() throws {
        let dir = temporaryDirectory("default-reference")
        #expect(try hpmc(["run", cns, "--samples", "2048", "--shard", "0/1", "--out", dir + "/shards", "--quiet"]).status == 0)
        func inDirectory(_ cwd: String, _ arguments: [String]) throws -> Outcome {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: hpmcBinary)
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: cwd)
            let err = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = err
            try process.run()
            let text = String(decoding: readAll(err), as: UTF8.self)
            process.waitUntilExit()
            return Outcome(status: process.terminationStatus, stdout: "", stderr: text)
        }
        let note = "hpmc: note: Scenarios/roadmap_reference.csv is not under the current directory, so no roadmap figures are marked; give --reference FILE\n"
        for (cwd, expected) in [(dir, note), (repositoryRoot.path, "")] {
            let merge = try inDirectory(cwd, ["merge", dir + "/shards", "--out", dir + "/merged", "--force"])
            #expect(merge.status == 0 && merge.stderr == expected, "\(cwd): \(merge.stderr)")
            let report = try inDirectory(cwd, ["report", dir + "/merged", "--out", dir + "/report.html", "--force"])
            #expect(report.status == 0 && report.stderr == expected, "\(cwd): \(report.stderr)")
        }
    }

    @Test func mergeRefusesWhatIsNotOneStudy() throws {
        let dir = temporaryDirectory("refuse")
        try runShards(3, into: dir)
        let other = temporaryDirectory("other-seed")
        try runShards(3, into: other, seed: "5")
        let s0 = dir + "/shard-0-of-3.hpmc", s1 = dir + "/shard-1-of-3.hpmc", s2 = dir + "/shard-2-of-3.hpmc"
        func refusal(_ inputs: [String], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let outcome = try hpmc(["merge"] + inputs + ["--out", temporaryDirectory("m")])
            #expect(outcome.status == 2, sourceLocation: sourceLocation)
            #expect(outcome.stderr.contains(fragment), "\(outcome.stderr)", sourceLocation: sourceLocation)
        }
        try refusal([s0, s1], "missing shard 2")
        try refusal([s0, s1, s1, s2], "given twice")
        try refusal([s0, s1, other + "/shard-2-of-3.hpmc"], "seed")
        let ngsShard = temporaryDirectory("ngs")
        #expect(try hpmc(["run", ngs, "--samples", Self.samples, "--seed", "4", "--shard", "2/3", "--out", ngsShard, "--quiet"]).status == 0)
        try refusal([s0, s1, ngsShard + "/shard-2-of-3.hpmc"], "scenario SHA-256")
        let bytes = try #require(contents(s2))
        let truncated = dir + "/truncated.hpmc"
        #expect(FileManager.default.createFile(atPath: truncated, contents: bytes.prefix(bytes.count / 2)))
        try refusal([s0, s1, truncated], "truncated")
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x40
        let corrupted = dir + "/corrupted.hpmc"
        #expect(FileManager.default.createFile(atPath: corrupted, contents: flipped))
        try refusal([s0, s1, corrupted], "corrupted")
    }

    /// A shard count far beyond the chunks is allowed (the other shards are empty), and the merge of
    /// one such shard names a few missing shards at once instead of listing (or walking) them all.
    @Test func mergeOfAHugeShardCountNamesTheFirstMissingShards() throws {
        let dir = temporaryDirectory("huge-shard-count")
        let count = "1000000000000"
        let run = try hpmc(["run", cns, "--samples", "100", "--shard", "0/\(count)", "--out", dir, "--quiet"])
        try #require(run.status == 0, "\(run.stderr)")
        let merge = try launch(["merge", dir, "--out", dir + "/merged"])
        let deadline = Date().addingTimeInterval(30)
        while merge.process.isRunning && Date() < deadline { usleep(20_000) }
        if merge.process.isRunning { kill(merge.process.processIdentifier, SIGKILL) }
        let stderr = String(decoding: readAll(merge.standardErrorPipe), as: UTF8.self)
        merge.process.waitUntilExit()
        #expect(Date() < deadline, "merge still running after 30 s")
        #expect(merge.process.terminationStatus == 2)
        let listed = (1...ShardMerge.listedMissingShards).map(String.init).joined(separator: ", ")
        #expect(stderr.contains("missing shards \(listed) and \(999_999_999_999 - ShardMerge.listedMissingShards) more of \(count)"), "\(stderr)")
    }
}

/// A real process killed with SIGKILL mid-run resumes from its checkpoint to the same bits.
struct ResumeTests {
    @Test func resumeAfterSIGKILLGivesIdenticalBands() throws {
        let dir = temporaryDirectory("resume")
        let arguments = ["run", cns, "--samples", "120000", "--seed", "9", "--checkpoint-every", "0.05", "--threads", "2", "--quiet"]
        let running = try launch(arguments + ["--out", dir + "/killed"])
        let checkpoint = dir + "/killed/checkpoint.hpmc"
        let deadline = Date().addingTimeInterval(180)
        while !FileManager.default.fileExists(atPath: checkpoint) && running.process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        try #require(running.process.isRunning, "the run finished before it could be killed; make it longer")
        kill(running.process.processIdentifier, SIGKILL)
        running.process.waitUntilExit()
        #expect(running.process.terminationReason == .uncaughtSignal)
        #expect(!FileManager.default.fileExists(atPath: dir + "/killed/bands.csv"))
        // The killed run's staged files are discarded by the next writer, never committed.
        let staging = dir + "/killed/.hpmc-study.staging"
        #expect(FileManager.default.fileExists(atPath: staging))
        // Without --resume the interrupted run is not silently overwritten.
        #expect(try hpmc(arguments + ["--out", dir + "/killed"]).status == 2)
        let resumed = try hpmc(arguments + ["--out", dir + "/killed", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        // Its time covers only the samples after the checkpoint, so no rate is claimed for all of them.
        #expect(resumed.stdout.hasPrefix("CNS: 120000 samples (resumed, 2 threads); "), "\(resumed.stdout)")
        #expect(!FileManager.default.fileExists(atPath: checkpoint) && !FileManager.default.fileExists(atPath: staging))
        #expect(try hpmc(arguments + ["--out", dir + "/whole"]).status == 0)
        #expect(contents(dir + "/killed/bands.csv") == contents(dir + "/whole/bands.csv"))
    }
}

/// Issue 14's reproduction: CNS with both saturation levels lognormal with sigma 2, whose sales
/// spread far outside the pilot's range. The bands are the exact sample quantiles within 0.1 %.
struct HeavyTailRunTests {
    @Test func bandsMatchTheSavedSamplesExactQuantiles() throws {
        let dir = temporaryDirectory("heavy-tail")
        let shipped = "{type: lognormal, mu: 0, sigma: 0.15}"
        let text = try String(contentsOfFile: cns, encoding: .utf8)
        #expect(text.components(separatedBy: shipped).count == 3)
        try text.replacingOccurrences(of: shipped, with: "{type: lognormal, mu: 0, sigma: 2}")
            .write(toFile: dir + "/cns-sigma2.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("Scenarios/roadmap_reference.csv").path,
                                         toPath: dir + "/roadmap_reference.csv")
        let outcome = try hpmc(["run", dir + "/cns-sigma2.yaml", "--samples", "20000", "--save-samples", "--out", dir + "/out", "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let samples = try String(contentsOfFile: dir + "/out/samples.csv", encoding: .utf8).split(separator: "\n")
        let header = samples[0].split(separator: ",").map(String.init)
        let bands = try String(contentsOfFile: dir + "/out/bands.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",") }
        var compared = 0
        for column in header where column.hasSuffix("_2060") && (column.hasPrefix("sales_") || column.hasPrefix("reduction_")) {
            let parts = column.split(separator: "_")
            let index = try #require(header.firstIndex(of: column))
            let values = samples.dropFirst().map { Double($0.split(separator: ",")[index])! }.sorted()
            for (p, stat) in [(0.05, "p5"), (0.5, "p50"), (0.95, "p95")] {
                let h = Double(values.count - 1) * p
                let exact = values[Int(h)] + (h - h.rounded(.down)) * (values[Int(h) + 1] - values[Int(h)])
                // scenario,market,segment,metric,year,stat,value,unit
                let row = try #require(bands.first { $0[1] == parts[1] && $0[2] == "all" && $0[3] == parts[0] && $0[4] == "2060" && $0[5] == stat[...] })
                let band = try #require(Double(row[6]))
                #expect(abs(band - exact) <= 1e-3 * abs(exact), "\(column) \(stat): \(band) vs exact \(exact)")
                compared += 1
            }
        }
        #expect(compared == 18)
    }
}

/// `run --metrics/--markets/--years`: the focused rows of a full run, sharded or not; merge keeps
/// the focus and refuses shards of different ones.
struct FocusedRunTests {
    static let samples = "5000"
    static let focus = ["--metrics", "reduction,sales", "--markets", "total,hotwater", "--years", "2030,2050-2060"]

    func lines(_ path: String) throws -> [Substring] {
        String(decoding: try #require(contents(path)), as: UTF8.self).split(separator: "\n")
    }

    @Test func focusedShardsMergeToTheFullRunsRows() throws {
        let dir = temporaryDirectory("focus")
        for i in 0..<2 {
            let outcome = try hpmc(["run", cns, "--samples", Self.samples, "--shard", "\(i)/2", "--out", dir, "--quiet"] + Self.focus)
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
        #expect(try hpmc(["merge", dir, "--out", dir + "/merged"]).status == 0)
        #expect(try hpmc(["run", cns, "--samples", Self.samples, "--out", dir + "/single", "--quiet"] + Self.focus).status == 0)
        #expect(try hpmc(["run", cns, "--samples", Self.samples, "--out", dir + "/full", "--quiet"]).status == 0)
        let merged = try lines(dir + "/merged/bands.csv"), single = try lines(dir + "/single/bands.csv")
        #expect(merged == single)
        let years = Set(["2030"] + (2050...2060).map(String.init))
        let expected = try lines(dir + "/full/bands.csv").enumerated().filter { index, line in
            let field = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return index == 0 || (["reduction", "sales"].contains(field[3]) && ["total", "hotwater"].contains(field[1]) && years.contains(field[4]))
        }.map(\.element)
        #expect(expected.count > 100 && single == expected)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/single").filter { $0.hasSuffix(".svg") }.sorted()
        #expect(files == ["exceedance-hotwater.svg", "exceedance-total.svg", "fan-hotwater.svg", "fan-total.svg"])
        func manifest(_ run: String) throws -> [String: Any] {
            let summary = try JSONSerialization.jsonObject(with: try #require(contents(dir + "/\(run)/summary.json"))) as? [String: Any]
            return try #require(summary?["manifest"] as? [String: Any])
        }
        let focus = try #require(try manifest("single")["focus"] as? [String: Any])
        #expect(focus["markets"] as? [String] == ["hotwater", "total"] && focus["metrics"] as? [String] == ["sales", "reduction"])
        #expect(focus["years"] as? [Int] == [2030] + Array(2050...2060))
        #expect(try manifest("full")["focus"] == nil)
        // A focused study is not a whole one: report and compare --reference refuse it.
        let report = try hpmc(["report", dir + "/single", "--out", dir + "/report.html"])
        #expect(report.status == 2 && report.stderr.contains("a focused run (--metrics sales,reduction --markets hotwater,total --years 2030,2050,2051,"), "\(report.stderr)")
    }

    @Test func mergeRefusesShardsOfDifferentFocuses() throws {
        let dir = temporaryDirectory("focus-mix")
        #expect(try hpmc(["run", cns, "--samples", Self.samples, "--shard", "0/2", "--out", dir, "--quiet"] + Self.focus).status == 0)
        #expect(try hpmc(["run", cns, "--samples", Self.samples, "--shard", "1/2", "--out", dir, "--quiet", "--metrics", "reduction"]).status == 0)
        let outcome = try hpmc(["merge", dir, "--out", dir + "/merged"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("focus metrics reduction differs from metrics sales,reduction; markets hotwater,total"), "\(outcome.stderr)")
    }

    @Test(arguments: [(["--metrics", "reduction,hp_emissions"], "--metrics: 'hp_emissions' is not a metric with bands; give some of sales, value, stock, heat, electricity, reduction"),
                      (["--markets", "cooling"], "--markets: 'cooling' is not a market of CNS; give some of heating, hotwater, total"),
                      (["--years", "2030,2061"], "--years: 2061 is outside CNS's years; give years from 2022 to 2060"),
                      (["--years", "2060-2030"], "--years: '2060-2030': the range runs backwards; write FIRST-LAST"),
                      // A name given twice is a likely typo, as a year given twice is (were accepted).
                      (["--markets", "total,total"], "--markets: 'total' is named twice"),
                      (["--metrics", "reduction,sales,reduction"], "--metrics: 'reduction' is named twice")])
    func badFocusExitsTwoNamingTheOption(arguments: [String], message: String) throws {
        let dir = temporaryDirectory("bad-focus") + "/out"
        let outcome = try hpmc(["run", cns, "--samples", "100", "--out", dir, "--quiet"] + arguments)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir))
    }
}
