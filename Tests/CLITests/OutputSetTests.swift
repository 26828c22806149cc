import Foundation
import Testing

/// The visible files of a directory and their bytes (hidden ones are hpmc's lock, record and staging).
func visibleFiles(_ directory: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory) where !name.hasPrefix(".") {
        files[name] = contents(directory + "/" + name) ?? Data()
    }
    return files
}

/// An output directory holds one run's complete set, or is left as it was.
struct OutputSetTests {
    @Test func aConcurrentSecondRunIsRefusedAndTheSetIsTheFirstRunsAlone() throws {
        let dir = temporaryDirectory("concurrent")
        let arguments = ["run", cns, "--samples", "40000", "--threads", "1", "--quiet"]
        let first = try launch(arguments + ["--seed", "1", "--out", dir + "/out"])
        let lock = dir + "/out/.hpmc-study.lock"
        let pid = "\(first.process.processIdentifier)"
        let deadline = Date().addingTimeInterval(120)
        while (try? String(contentsOfFile: lock, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) != pid
                && first.process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        let second = try hpmc(arguments + ["--seed", "2", "--out", dir + "/out"])
        try #require(first.process.isRunning, "the first run finished before the second started; make it longer")
        #expect(second.status == 2)
        #expect(second.stderr.contains("\(dir)/out: is being written by hpmc pid \(pid)"), "\(second.stderr)")
        first.process.waitUntilExit()
        #expect(first.process.terminationStatus == 0)
        #expect(try hpmc(arguments + ["--seed", "1", "--out", dir + "/solo"]).status == 0)
        var shared = try visibleFiles(dir + "/out"), solo = try visibleFiles(dir + "/solo")
        #expect(Set(shared.keys) == Set(solo.keys))
        // summary.json carries the wall time; everything else is byte for byte the solo run's.
        let summaries = try [shared, solo].map { try #require(JSONSerialization.jsonObject(with: $0["summary.json"]!) as? [String: Any]) }
        #expect((summaries[0]["manifest"] as? [String: Any])?["seed"] as? Int == 1)
        #expect(NSDictionary(dictionary: summaries[0]["headline"] as? [String: Any] ?? [:]) == NSDictionary(dictionary: summaries[1]["headline"] as? [String: Any] ?? [:]))
        shared["summary.json"] = nil
        solo["summary.json"] = nil
        #expect(shared == solo)
    }

    /// A crash between the renames of a commit leaves new and old files side by side until the set's next
    /// writer completes the journal: report and compare refuse to read such a directory meanwhile
    /// (they read study.hpmc of one run beside fan charts of another).
    /// `dir/out` as a commit cut off after its first rename leaves it: a seed-1 run's files, the journal
    /// of a seed-2 run's, fan-total.svg already the new one, the rest staged. Returns the run's command
    /// line (without its seed) and the seed-2 run's files.
    func halfCommittedRun(_ dir: String) throws -> (run: [String], files: [String: Data]) {
        let run = ["run", cns, "--samples", "2000", "--quiet", "--out", dir + "/out"]
        #expect(try hpmc(run + ["--seed", "1"]).status == 0)
        #expect(try hpmc(run + ["--seed", "2", "--out", dir + "/new"]).status == 0)
        let staging = dir + "/out/.hpmc-study.staging"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        let files = try visibleFiles(dir + "/new")
        for (name, data) in files where name != "fan-total.svg" { try data.write(to: URL(fileURLWithPath: staging + "/" + name)) }
        try files["fan-total.svg"]!.write(to: URL(fileURLWithPath: dir + "/out/fan-total.svg"))
        try files.keys.sorted().map { "install \($0)\n" }.joined().write(toFile: staging + "/journal", atomically: true, encoding: .utf8)
        return (run, files)
    }

    @Test func aHalfCommittedRunIsNotReadUntilItsNextWriterCompletesIt() throws {
        let dir = temporaryDirectory("half-committed")
        let (run, files) = try halfCommittedRun(dir)
        let refusal = "hpmc: error: \(dir)/out: holds a half-replaced set of files ('study': a crash interrupted moving the new ones in); "
            + "run the command that wrote them again (a run with --resume), which first completes the move, then read it\n"
        let report = try hpmc(["report", dir + "/out", "--out", dir + "/report.html"])
        #expect(report.status == 2 && report.stderr == refusal, "\(report.stderr)")
        let compare = try hpmc(["compare", dir + "/out", "--reference", repositoryRoot.appendingPathComponent("Scenarios/roadmap_reference.csv").path])
        #expect(compare.status == 2 && compare.stderr == refusal, "\(compare.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/report.html"))
        // Resuming completes the move; the files moved in are the seed-2 run's, not this one's, which it says.
        let resume = try hpmc(run + ["--seed", "1", "--resume"])
        #expect(resume.status == 2 && resume.stderr == "hpmc: error: \(dir)/out/study.hpmc: holds a finished run (a crash interrupted moving its files into place, "
                    + "now completed as that run wrote them) of another study: its seed is 2, this run's 1; to run this one, leave out --resume and pass --force\n",
                "\(resume.stderr)")
        #expect(try visibleFiles(dir + "/out") == files)
        #expect(try hpmc(["report", dir + "/out", "--out", dir + "/report.html"]).status == 0)
    }

    /// A new run without --resume or --force in such a directory completes the move (it holds the set's
    /// lock, as any writer would) and then refuses to overwrite, saying why the files are there.
    @Test func aNewRunOverAHalfCommittedSetCompletesItThenSaysSoInItsRefusal() throws {
        let dir = temporaryDirectory("half-committed-rerun")
        let (run, files) = try halfCommittedRun(dir)
        let rerun = try hpmc(run + ["--seed", "3"])
        #expect(rerun.status == 2 && rerun.stderr.hasPrefix("hpmc: error: \(dir)/out: already holds bands.csv, ")
                    && rerun.stderr.hasSuffix(" (a finished set whose commit had been cut short, now completed); pass --force to overwrite, or choose another --out\n"),
                "\(rerun.stderr)")
        #expect(try visibleFiles(dir + "/out") == files)
    }

    /// A requeued shard whose task was killed inside its final commit, after the journal and before
    /// the moves: resuming completes the commit and succeeds, so that the merge (`afterok`) can start.
    /// It refused before ("already holds shard-0-of-2.hpmc; pass --force"), and the requeued task failed.
    @Test func resumingAShardKilledInItsFinalCommitCompletesItAndSucceeds() throws {
        let dir = temporaryDirectory("shard-commit")
        let shard = ["run", cns, "--samples", "4000", "--shard", "0/2", "--quiet"]
        #expect(try hpmc(shard + ["--out", dir + "/whole"]).status == 0)
        let finished = try #require(contents(dir + "/whole/shard-0-of-2.hpmc"))
        let out = dir + "/out", staging = out + "/.hpmc-shard-0-of-2.staging"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try finished.write(to: URL(fileURLWithPath: staging + "/shard-0-of-2.hpmc"))
        try "shard-0-of-2.hpmc\n".write(toFile: staging + "/.hpmc-shard-0-of-2.files", atomically: true, encoding: .utf8)
        try Data("a checkpoint".utf8).write(to: URL(fileURLWithPath: out + "/shard-0-of-2.checkpoint"))
        try "install shard-0-of-2.hpmc\nremove shard-0-of-2.checkpoint\ninstall .hpmc-shard-0-of-2.files\n"
            .write(toFile: staging + "/journal", atomically: true, encoding: .utf8)
        let resume = try hpmc(shard + ["--out", out, "--resume"])
        #expect(resume.status == 0, "\(resume.stderr)")
        #expect(resume.stdout == "CNS: the run had finished (a crash interrupted moving its files into place, now completed as that run wrote them): "
                    + "\(out)/shard-0-of-2.hpmc\n")
        #expect(try visibleFiles(out) == ["shard-0-of-2.hpmc": finished])
        #expect(!FileManager.default.fileExists(atPath: staging))
        // Resumed again (the array script does so only without the shard file), it has nothing to resume.
        let again = try hpmc(shard + ["--out", out, "--resume"])
        #expect(again.status == 0 && again.stdout.contains("the run had finished (nothing to resume)"), "\(again.stderr)")
        // A staged file taken away by hand: the completed set lacks it, which is said, not a success.
        let gone = dir + "/gone"
        try FileManager.default.createDirectory(atPath: gone + "/.hpmc-shard-0-of-2.staging", withIntermediateDirectories: true)
        try "install shard-0-of-2.hpmc\ninstall .hpmc-shard-0-of-2.files\n".write(toFile: gone + "/.hpmc-shard-0-of-2.staging/journal", atomically: true, encoding: .utf8)
        let missing = try hpmc(shard + ["--out", gone, "--resume"])
        #expect(missing.status == 2 && missing.stderr.hasPrefix("hpmc: error: \(gone)/.hpmc-shard-0-of-2.staging/shard-0-of-2.hpmc: is missing: "
                                                                  + "the interrupted commit's journal installs it"), "\(missing.stderr)")
    }

    /// The same for a whole run: its files, staged with their record and journal, are moved in by
    /// `--resume`, which exits 0; no checkpoint need be left (a run shorter than its first one).
    @Test func resumingAWholeRunKilledInItsFinalCommitCompletesIt() throws {
        let dir = temporaryDirectory("run-commit")
        let run = ["run", cns, "--samples", "4000", "--quiet"]
        #expect(try hpmc(run + ["--out", dir + "/whole"]).status == 0)
        let files = try visibleFiles(dir + "/whole")
        let out = dir + "/out", staging = out + "/.hpmc-study.staging"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        for (name, data) in files { try data.write(to: URL(fileURLWithPath: staging + "/" + name)) }
        try files.keys.sorted().map { $0 + "\n" }.joined().write(toFile: staging + "/.hpmc-study.files", atomically: true, encoding: .utf8)
        try (files.keys.sorted().map { "install \($0)\n" }.joined() + "remove checkpoint.hpmc\ninstall .hpmc-study.files\n")
            .write(toFile: staging + "/journal", atomically: true, encoding: .utf8)
        let resume = try hpmc(run + ["--out", out, "--resume"])
        #expect(resume.status == 0 && resume.stdout.contains("the run had finished"), "\(resume.stderr)")
        #expect(try visibleFiles(out) == files)
    }

    /// A journal line naming the staging directory or another command's file (added by hand after a
    /// crash) is malformed: every later writer says so and carries out none of the journal, and
    /// project's central.csv stays. Before, the first failed every writer for ever ("Is a directory",
    /// promising that the next would complete the commit) and the second removed central.csv.
    @Test(arguments: ["remove .hpmc-study.staging", "remove central.csv"])
    func aJournalNamingNoFileOfTheRunIsMalformed(line: String) throws {
        let dir = temporaryDirectory("journal-names")
        let run = ["run", cns, "--samples", "2000", "--quiet", "--out", dir, "--force"]
        #expect(try hpmc(["project", cns, "--out", dir]).status == 0)
        #expect(try hpmc(run).status == 0)
        let before = try visibleFiles(dir)
        let staging = dir + "/.hpmc-study.staging"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        try #require(before["bands.csv"]).write(to: URL(fileURLWithPath: staging + "/bands.csv"))
        try "install bands.csv\n\(line)\n".write(toFile: staging + "/journal", atomically: true, encoding: .utf8)
        for _ in 0..<2 {
            let outcome = try hpmc(run)
            #expect(outcome.status == 2 && outcome.stderr == "hpmc: error: \(staging)/journal: malformed line 2, '\(line)' (a line is 'install FILE' or 'remove FILE', a file of the set once)\n", "\(outcome.stderr)")
        }
        #expect(try visibleFiles(dir) == before)
        #expect(FileManager.default.fileExists(atPath: staging + "/bands.csv"))
    }

    @Test func aDirectoryInTheWayLeavesThePreviousSetUntouched() throws {
        let dir = temporaryDirectory("in-the-way")
        #expect(try hpmc(["run", cns, "--samples", "3000", "--out", dir, "--quiet"]).status == 0)
        try FileManager.default.removeItem(atPath: dir + "/summary.json")
        try FileManager.default.createDirectory(atPath: dir + "/summary.json", withIntermediateDirectories: false)
        let before = try visibleFiles(dir)
        let outcome = try hpmc(["run", cns, "--samples", "3000", "--seed", "2", "--out", dir, "--force", "--quiet"])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("\(dir)/summary.json: is in the way"), "\(outcome.stderr)")
        #expect(try visibleFiles(dir) == before)
    }

    @Test func forceReplacesTheRunsWholeSetAndKeepsOtherCommandsFiles() throws {
        let dir = temporaryDirectory("force")
        #expect(try hpmc(["project", cns, "--out", dir]).status == 0)
        let central = try #require(contents(dir + "/central.csv"))
        #expect(try hpmc(["run", cns, "--samples", "3000", "--out", dir, "--save-samples", "--quiet"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: dir + "/samples.csv"))
        #expect(try hpmc(["run", cns, "--samples", "3000", "--seed", "2", "--out", dir, "--quiet"]).status == 2)
        #expect(try hpmc(["run", cns, "--samples", "3000", "--seed", "2", "--out", dir, "--force", "--quiet"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: dir + "/samples.csv"))
        #expect(contents(dir + "/central.csv") == central)
        let names = Set(try visibleFiles(dir).keys)
        #expect(names == ["central.csv", "bands.csv", "summary.json", "study.hpmc", "fan-total.svg", "fan-heating.svg", "fan-hotwater.svg",
                          "exceedance-total.svg", "exceedance-heating.svg", "exceedance-hotwater.svg"])
    }

    /// `calibrate --out` refuses an existing file without --force (exit 2, the file as it was), as
    /// every other command does, and replaces it with --force.
    @Test func calibrateOverwritesOnlyWithForce() throws {
        let path = temporaryDirectory("calibrate") + "/calibrated.yaml"
        let first = try hpmc(["calibrate", cns, "--out", path])
        #expect(first.status == 0, "\(first.stderr)")
        let calibrated = try #require(contents(path))
        let edited = Data("edited by hand\n".utf8)
        try edited.write(to: URL(fileURLWithPath: path))
        let refused = try hpmc(["calibrate", cns, "--out", path])
        #expect(refused.status == 2 && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty, "\(refused.stdout)")
        #expect(contents(path) == edited)
        #expect(try hpmc(["calibrate", cns, "--out", path, "--force"]).status == 0)
        #expect(contents(path) == calibrated)
    }

    /// An --out file that exists, refused without --force, is the only thing in its directory after
    /// the refusal: no lock or record file is left behind (calibrate and report left `.hpmc-*.lock`).
    @Test func aRefusedOverwriteLeavesNothingBehind() throws {
        let dir = temporaryDirectory("refused-overwrite")
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: dir + "/mine.yaml"))
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: dir + "/mine.html"))
        let runDirectory = temporaryDirectory("refused-overwrite-run")
        #expect(try hpmc(["run", cns, "--samples", "64", "--out", runDirectory, "--quiet"]).status == 0)
        for arguments in [["calibrate", cns, "--out", dir + "/mine.yaml"], ["report", runDirectory, "--out", dir + "/mine.html"]] {
            let refused = try hpmc(arguments)
            // The file is named as given (it said "DIR: already holds mine.yaml").
            #expect(refused.status == 2 && refused.stderr == "hpmc: error: \(arguments[3]): exists; pass --force to overwrite, or choose another --out\n",
                    "\(arguments[0]): \(refused.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["mine.html", "mine.yaml"], "\(arguments[0])")
        }
    }

    /// A command whose --out already holds its files is refused before its work, not after it:
    /// discover drew and peeled a million samples (2.2 s), sensitivity ran its whole design (6.2 s),
    /// project printed its projection, and each then said "pass --force" (found by a tester). The
    /// second command's own problem shows only after its work (a condition no sample meets, a
    /// quantity that does not vary), so the refusal it gets is the one made before.
    @Test(arguments: [(["discover", cns, "--samples", "2000", "--where"], "reduction total 2060 < 4.34", "reduction total 2060 < 0"),
                      (["sensitivity", cns, "--samples", "64", "--metric", "sales", "--year"], "2060", "2022"), (["project", cns], nil, nil)])
    func anOccupiedOutIsRefusedBeforeTheWork(command: [String], first: String?, second: String?) throws {
        let out = temporaryDirectory("occupied-\(command[0])") + "/out"
        #expect(try hpmc(command + (first.map { [$0] } ?? []) + ["--out", out]).status == 0)
        let before = try visibleFiles(out)
        let again = try hpmc(command + (second.map { [$0] } ?? []) + ["--out", out])
        #expect(again.status == 2 && again.stderr.hasPrefix("hpmc: error: \(out): already holds ") && again.stdout.isEmpty, "\(again.stderr) \(again.stdout)")
        #expect(try visibleFiles(out) == before)
    }

    @Test func optionErrorsCreateNoOutputDirectory() throws {
        let dir = temporaryDirectory("options")
        let shard = try hpmc(["run", cns, "--samples", "3000", "--shard", "5/4", "--out", dir + "/shard", "--quiet"])
        #expect(shard.status == 2 && shard.stderr.contains("--shard"))
        let scenario = dir + "/contradictory.yaml"
        try (String(contentsOfFile: cns, encoding: .utf8) + """
            correlations:
              - {between: [cop_heating, cop_hotwater], rank: 0.9}
              - {between: [cop_hotwater, grid_2060], rank: 0.9}
              - {between: [cop_heating, grid_2060], rank: -0.9}

            """).write(toFile: scenario, atomically: true, encoding: .utf8)
        for command in ["run", "sweep"] {
            let extra = command == "sweep" ? ["--grid", "grid_2060=0.02:0.25:2"] : []
            let outcome = try hpmc([command, scenario, "--out", dir + "/\(command)", "--quiet"] + extra)
            #expect(outcome.status == 2 && outcome.stderr.contains("correlation"), "\(outcome.stderr)")
        }
        let compare = try hpmc(["compare", cns, scenario, "--samples", "3000", "--out", dir + "/compare", "--quiet"])
        #expect(compare.status == 2)
        for name in ["shard", "run", "sweep", "compare"] { #expect(!FileManager.default.fileExists(atPath: dir + "/" + name), "\(name)") }
    }

    /// A disk that fills while samples.csv streams out (a file-size limit stands in for it): exit 2
    /// naming the file and the system's reason, not a trap; the previous set stays as it was, and
    /// the failed run's staged files are gone (they would hold the full disk's space).
    @Test func aFullDiskWhileSavingSamplesIsAnErrorNotATrap() throws {
        let dir = temporaryDirectory("full-disk")
        let out = dir + "/out"
        #expect(try hpmc(["run", cns, "--samples", "300", "--out", out, "--quiet"]).status == 0)
        let before = try visibleFiles(out)
        // hpmc ignores SIGXFSZ itself (the shell here does not), so writes past the limit fail with
        // EFBIG; it ended by the signal (exit 153), leaving a part-written staged file. The limit (512
        // or 1024-byte blocks, by shell) admits every other file of the set.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -f 2048; exec \"$0\" \"$@\"", hpmcBinary,
                             "run", cns, "--samples", "40000", "--save-samples", "--seed", "2", "--out", out, "--quiet", "--force"]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let stderr = String(decoding: readAll(err), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 2, "\(process.terminationStatus): \(stderr)")
        // Named as the file it would have been, not its staged copy.
        #expect(stderr.contains("\(out)/samples.csv: cannot write (File too large)"), "\(stderr)")
        #expect(try visibleFiles(out) == before)
        #expect(!FileManager.default.fileExists(atPath: out + "/.hpmc-study.staging"))
    }

    /// A checkpoint that does not fit is a warning, and its part-written temporary file is removed (it
    /// stayed beside the results, holding the space of the disk that had run full).
    @Test func aCheckpointThatDoesNotFitLeavesNoTemporaryFile() throws {
        let out = temporaryDirectory("full-disk-checkpoint") + "/out"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -f 64; exec \"$0\" \"$@\"", hpmcBinary,
                             "run", cns, "--samples", "400000", "--threads", "1", "--checkpoint-every", "0.001", "--out", out, "--quiet"]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let stderr = String(decoding: readAll(err), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2, "\(stderr)")
        #expect(stderr.contains("hpmc: warning: a checkpoint could not be written: \(out)/checkpoint.hpmc: cannot write"), "\(stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".tmp") }
        #expect(left.isEmpty, "\(left)")
    }

    /// A one-file output named by one character (`--out a`, in the current directory) is written: it
    /// trapped in Foundation (exit 132). A path naming no file, or another set's file, is refused.
    @Test func aOneFileOutputIsNamedAnyWayButAnotherSetsFile() throws {
        let dir = temporaryDirectory("single-out")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: hpmcBinary)
        process.arguments = ["calibrate", cns, "--out", "a"]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0 && FileManager.default.fileExists(atPath: dir + "/a"))
        for out in [dir + "/calibrated/", dir + "/.", ""] {
            let refused = try hpmc(["calibrate", cns, "--out", out])
            #expect(refused.status == 2 && refused.stderr == "hpmc: error: --out: '\(out)' names no file; give a file name\n", "\(refused.stderr)")
        }
        #expect(try hpmc(["run", cns, "--samples", "64", "--out", dir + "/run", "--quiet"]).status == 0)
        let overwrite = try hpmc(["report", dir + "/run", "--out", dir + "/run/bands.csv", "--force"])
        #expect(overwrite.status == 2 && overwrite.stderr.hasSuffix("hpmc: error: \(dir)/run/bands.csv: is a file of the study set hpmc wrote there; choose another --out\n"),
                "\(overwrite.stderr)")
        #expect(try hpmc(["report", dir + "/run", "--out", dir + "/run/report.html"]).status == 0)
    }
}

/// A run whose samples give non-finite results counts them, leaves them out, says so and exits 1.
struct NonFiniteOutputTests {
    /// Saturation and space-heating heat per unit drawn so wide (lognormal, mu 300, sigma 100) that
    /// some draws overflow to infinity and the outputs' squares leave the doubles.
    func extremeScenario(_ dir: String) throws -> String {
        let path = dir + "/extreme.yaml"
        var lines = try String(contentsOfFile: cns, encoding: .utf8)
            .replacingOccurrences(of: "references: roadmap_reference.csv", with: "references: \(repositoryRoot.path)/Scenarios/roadmap_reference.csv")
            .components(separatedBy: "\n")
        var input = ""
        for i in lines.indices {
            if let name = lines[i].range(of: "- name: ") { input = String(lines[i][name.upperBound...]) }
            if ["saturation_heating", "saturation_hotwater", "heat_per_unit_heating"].contains(input), let key = lines[i].range(of: "distribution: ") {
                lines[i] = String(lines[i][..<key.upperBound]) + "{type: lognormal, mu: 300, sigma: 100}"
            }
        }
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func nonFiniteSamplesAreCountedReportedAndFailTheRun() throws {
        let dir = temporaryDirectory("non-finite")
        let scenario = try extremeScenario(dir)
        let outcome = try hpmc(["run", scenario, "--samples", "3000", "--out", dir + "/run", "--save-samples", "--quiet"])
        #expect(outcome.status == 1)
        let warnings = outcome.stderr.split(separator: "\n").filter { $0.contains("warning") }
        #expect(warnings.count == 1 && outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: contents(dir + "/run/summary.json")!) as? [String: Any])
        let nonFinite = try #require(summary["nonFinite"] as? [String: Any])
        let count = try #require(nonFinite["samples"] as? Int)
        #expect(count > 0)
        #expect((summary["manifest"] as? [String: Any])?["nonFiniteSamples"] as? Int == count)
        #expect(warnings.first?.hasPrefix("hpmc: warning: \(count) of 3000 samples gave a non-finite result (e.g. ") == true)
        #expect(warnings.first?.hasSuffix("); they are left out of every band; see summary.json") == true)
        // Known answer: the samples whose outputs in samples.csv are empty (non-finite) in any column.
        let rows = try String(contentsOfFile: dir + "/run/samples.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(rows.filter { $0.hasSuffix(",") || $0.contains(",,") }.count == count)
        let series = try #require(nonFinite["series"] as? [[String: Any]])
        #expect(!series.isEmpty && series.count <= nonFinite["seriesCount"] as? Int ?? 0)
        for entry in series { #expect((entry["count"] as? Int ?? 0) > 0 && entry["market"] is String && entry["metric"] is String && entry["year"] is Int) }
        // Moments that could not be computed: null in JSON, an empty cell in bands.csv; never "nan".
        let bands = try String(contentsOfFile: dir + "/run/bands.csv", encoding: .utf8)
        #expect(bands.contains("CNS,total,all,reduction,2060,sd,,1e8 tCO2/yr\n"))
        for (name, data) in try visibleFiles(dir + "/run") where name != "study.hpmc" {
            let text = String(decoding: data, as: UTF8.self).lowercased()
            #expect(!text.contains("nan") && !text.contains("inf,") && !text.contains("infinity"), "\(name)")
        }
        // Its shards succeed (a failed shard would stop a scheduler's merge); the merge reports and fails.
        for i in 0..<2 {
            let shard = try hpmc(["run", scenario, "--samples", "3000", "--shard", "\(i)/2", "--out", dir + "/shards", "--quiet"])
            #expect(shard.status == 0)
        }
        let merge = try hpmc(["merge", dir + "/shards", "--out", dir + "/merged"])
        #expect(merge.status == 1)
        #expect(merge.stderr.contains("warning: \(count) of 3000 samples gave a non-finite result"), "\(merge.stderr)")
        #expect(contents(dir + "/merged/bands.csv") == contents(dir + "/run/bands.csv"))
    }

    /// compare, sweep and sensitivity meet the same samples with one warning line and exit 1, having
    /// written their outputs (sensitivity has none to write: its indices need every evaluation).
    @Test func otherCommandsWarnAndFailOnNonFiniteResults() throws {
        let dir = temporaryDirectory("non-finite-others")
        let scenario = try extremeScenario(dir)
        let compare = try hpmc(["compare", cns, scenario, "--samples", "3000", "--out", dir + "/compare", "--quiet"])
        #expect(compare.status == 1)
        #expect(compare.stderr.split(separator: "\n").count == 1, "\(compare.stderr)")
        #expect(compare.stderr.contains("warning: ") && compare.stderr.contains(" of 3000 pairs of samples gave a non-finite result (e.g. "))
        #expect(compare.stderr.contains("they are left out of every band"))
        #expect(FileManager.default.fileExists(atPath: dir + "/compare/difference.csv"))
        let sweep = try hpmc(["sweep", scenario, "--grid", "grid_2060=0.05:0.2:2", "--samples-per-point", "3000", "--out", dir + "/sweep", "--quiet"])
        #expect(sweep.status == 1)
        #expect(sweep.stderr.split(separator: "\n").count == 1, "\(sweep.stderr)")
        #expect(sweep.stderr.contains(" of 6000 samples gave a non-finite result (e.g. point 0: "), "\(sweep.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/sweep/sweep.csv"))
        let sensitivity = try hpmc(["sensitivity", scenario, "--method", "sobol", "--samples", "1024", "--out", dir + "/sensitivity", "--quiet"])
        #expect(sensitivity.status == 1)
        #expect(sensitivity.stderr.split(separator: "\n").count == 1, "\(sensitivity.stderr)")
        #expect(sensitivity.stderr.contains("warning: model evaluation ") && sensitivity.stderr.contains("a non-finite result"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/sensitivity"))
        // The shipped scenario gives none.
        let clean = try hpmc(["compare", cns, cns, "--samples", "2048", "--out", dir + "/clean", "--quiet"])
        #expect(clean.status == 0 && !clean.stderr.contains("warning"), "\(clean.stderr)")
    }

}
