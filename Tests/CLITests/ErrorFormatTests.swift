import Foundation
import Testing

/// One error format: ArgumentParser's parse errors, the commands' `validate()` and the errors found
/// while running all print `hpmc: error: …` first and exit 2; help is unchanged.
struct ErrorFormatTests {
    @Test func parseValidateAndRunTimeErrors() throws {
        let out = temporaryDirectory("error-format") + "/out"
        let parse = try hpmc(["run", cns, "--samples"])
        #expect(parse.status == 2)
        let parseLines = parse.stderr.split(separator: "\n").map(String.init)
        #expect(parseLines == ["hpmc: error: Missing value for '--samples <samples>'", "See 'hpmc help run' for the options."], "\(parse.stderr)")
        let unknown = try hpmc(["frobnicate"])
        #expect(unknown.status == 2 && unknown.stderr.hasPrefix("hpmc: error: ") && unknown.stderr.hasSuffix("See 'hpmc help' for the options.\n"),
                "\(unknown.stderr)")
        let validate = try hpmc(["run", cns, "--samples", "0", "--out", out])
        #expect(validate.status == 2)
        #expect(validate.stderr.hasPrefix("hpmc: error: --samples: ") && validate.stderr.split(separator: "\n").count == 1, "\(validate.stderr)")
        let missing = try hpmc(["run", "nofile.yaml", "--out", out])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("hpmc: error: nofile.yaml") && missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        for help in [["--help"], ["help", "run"], ["run", "--help"]] {
            let outcome = try hpmc(help)
            #expect(outcome.status == 0 && outcome.stdout.contains("USAGE: hpmc") && outcome.stderr.isEmpty, "\(help)")
        }
        let version = try hpmc(["--version"])
        #expect(version.status == 0 && !version.stdout.isEmpty)
        let emptyOut = try hpmc(["run", cns, "--samples", "64", "--out", "", "--quiet"])
        #expect(emptyOut.status == 2 && emptyOut.stderr == "hpmc: error: --out: is empty; give a directory\n", "\(emptyOut.stderr)")
        // Help on a command hpmc lacks printed the general help with exit 0.
        let topic = try hpmc(["help", "frobnicate"])
        #expect(topic.status == 2 && topic.stdout.isEmpty && topic.stderr.hasPrefix("hpmc: error: help: 'frobnicate' is not a command of hpmc; commands: run, merge,"),
                "\(topic.stderr)")
    }

    /// A line break in a quoted value or path stays within the one error line, shown as `\n`.
    @Test func aLineBreakInAnEchoedValueKeepsTheErrorOnOneLine() throws {
        let out = temporaryDirectory("error-format-newline") + "/out"
        let outcome = try hpmc(["run", cns, "--samples", "64", "--target", "reduction total 2060 >= 4\n", "--out", out])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "hpmc: error: --target: 'reduction total 2060 >= 4\\n': threshold '4\\n' is not a decimal number such as 42, -0.5 or 1.5e-3; "
                + "expected METRIC MARKET [SEGMENT] YEAR OP NUMBER, e.g. \"reduction total 2060 >= 4.34\" (OP one of <, <=, >, >=; NUMBER in roadmap units)\n",
                "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Control characters in an echoed path (an escape sequence, a tab, a Unicode line separator) are
    /// shown escaped: a terminal showing the error does not act on them, and the error stays one line.
    @Test func controlCharactersInAnEchoedPathAreShownEscaped() throws {
        let blocker = temporaryDirectory("error-format-control") + "/file"
        try "".write(toFile: blocker, atomically: true, encoding: .utf8)
        let out = blocker + "/a\u{1B}[31mred\tb\u{2028}c"
        let outcome = try hpmc(["run", cns, "--samples", "64", "--out", out, "--quiet"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "hpmc: error: \(blocker)/a\\u{1B}[31mred\\tb\\u{2028}c: cannot create the directory (Not a directory)\n", "\(outcome.stderr)")
        // Refusals of the command line itself, as ArgumentParser words them, quote it escaped too.
        let parse = try hpmc(["run", cns, "--samples", "1\u{1B}[31m", "--out", blocker + "/x"])
        #expect(parse.status == 2 && parse.stderr.hasPrefix("hpmc: error: --samples: '1\\u{1B}[31m' is not a whole number"), "\(parse.stderr)")
        let choice = try hpmc(["run", cns, "--units", "si\u{1B}[31m", "--out", blocker + "/x"])
        #expect(choice.status == 2 && !choice.stderr.contains("\u{1B}") && choice.stderr.contains("si\\u{1B}[31m"), "\(choice.stderr)")
    }

    /// fit's data file is named in a CSV syntax error, as every other file's is.
    @Test func aMalformedFitDataFileIsNamed() throws {
        let data = temporaryDirectory("error-format-fit") + "/data.csv"
        try "t,y\n0,1\n1,2,3\n".write(toFile: data, atomically: true, encoding: .utf8)
        let outcome = try hpmc(["fit", data, "--model", "logistic"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "hpmc: error: \(data): line 3: 3 fields where the header has 2\n", "\(outcome.stderr)")
    }

    /// A scenario with one byte that is not UTF-8 (a Latin-1 letter in a source text) is refused at
    /// its line and byte, not as a whole file that might be binary (found by a tester).
    @Test func aByteThatIsNotUTF8IsNamedAtItsLine() throws {
        let scenario = temporaryDirectory("error-format-latin1") + "/latin1.yaml"
        var bytes = Array(try String(contentsOfFile: cns, encoding: .utf8).utf8)
        let line = 5, start = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }[line - 2] + 1
        bytes.insert(0xE9, at: start)
        try Data(bytes).write(to: URL(fileURLWithPath: scenario))
        let outcome = try hpmc(["validate", scenario])
        #expect(outcome.status == 2 && outcome.stderr == "hpmc: error: \(scenario):\(line): not UTF-8 text (a binary file?): byte \(start + 1) of the file is 0xE9, "
                    + "not part of a UTF-8 character (save the file as UTF-8)\n", "\(outcome.stderr)")
    }

    /// An observation's problem is named at its row and column of the data file, as an unreadable
    /// value is (it said "weight 2 is -2.0", counting the observations from 0).
    @Test func aFitObservationsProblemIsNamedAtItsRow() throws {
        let data = temporaryDirectory("error-format-fit-row") + "/data.csv"
        try "t,y,w\n0,1,1\n1,2,1\n2,3,-2\n3,4,1\n".write(toFile: data, atomically: true, encoding: .utf8)
        let weight = try hpmc(["fit", data, "--model", "logistic"])
        #expect(weight.status == 2 && weight.stderr == "hpmc: error: \(data): row 4.w: -2; a weight is finite and ≥ 0\n", "\(weight.stderr)")
        try "t,y\n0,1\n1,0\n2,3\n3,4\n".write(toFile: data, atomically: true, encoding: .utf8)
        let relative = try hpmc(["fit", data, "--model", "logistic", "--relative"])
        #expect(relative.status == 2 && relative.stderr == "hpmc: error: \(data): row 3.y: 0; relative residuals (--relative) need y > 0\n", "\(relative.stderr)")
    }

    /// A negative number given as the option's next argument reaches the option's range check, as
    /// `--samples=-1` does (ArgumentParser took '-1' for an option and said the value was missing);
    /// an option name where the value should be is named as the value.
    @Test(arguments: [(["run", "--samples", "-1"], "--samples: -1 samples; give 1 to 274877906944"),
                      (["run", "--threads", "-1"], "--threads: -1 threads; it must be at least 1"),
                      (["run", "--seed", "-1"], "--seed: -1 is out of range; a seed is 0 or more"),
                      (["run", "--shard", "-1/2"], "--shard: -1/2: give I/N with N ≥ 1 and 0 ≤ I < N"),
                      (["run", "--checkpoint-every", "-1"], "--checkpoint-every: -1.0 seconds; give 0 (off) to 31536000"),
                      (["run", "--years", "-2060"], "--years: '-2060': write all, a year, FIRST-LAST"),
                      (["run", "--percentiles", "-5,50"], "--percentiles"),
                      (["sensitivity", "--samples", "-8"], "--samples"),
                      (["sweep", "--grid", "cop_heating=1:2:2", "--samples-per-point", "-1"], "--samples-per-point: -1 samples"),
                      (["discover", "--where", "reduction total 2060 < 4", "--peel-alpha", "-0.1"], "--peel-alpha"),
                      (["run", "--samples", "--force"], "--samples: '--force' is not a whole number; write it in digits"),
                      // ArgumentParser's bare "The value '1e5' is invalid for '--samples <samples>'" said nothing of what is allowed.
                      (["run", "--samples", "1e5"], "--samples: '1e5' is not a whole number; write it in digits, such as 100000 (no exponent, point or separators)"),
                      (["run", "--seed", "99999999999999999999999"], "--seed: 99999999999999999999999 is out of range"),
                      // --shard reads its own value: its refusal says what form it takes (it was told to write digits).
                      (["run", "--shard", "3"], "The value '3' is invalid for '--shard <shard>': give I/N in whole numbers, such as 3/8")])
    func aNegativeOptionValueReachesItsRangeCheck(arguments: [String], message: String) throws {
        let out = temporaryDirectory("error-format-negative") + "/out"
        let outcome = try hpmc([arguments[0], cns] + arguments.dropFirst() + ["--out", out])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.hasPrefix("hpmc: error: \(message)") && !outcome.stderr.contains("Missing value"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Messages that said "cannot read the file" or "no such file" say what is wrong and what to give.
    @Test func unclearInputsAreExplained() throws {
        let dir = temporaryDirectory("error-format-unclear")
        let resume = try hpmc(["run", cns, "--samples", "64", "--resume", "--out", dir + "/run"])
        #expect(resume.status == 2 && resume.stderr == "hpmc: error: --resume: \(dir)/run holds no checkpoint.hpmc to resume; "
                + "start the run without --resume (it writes a checkpoint there every --checkpoint-every seconds)\n", "\(resume.stderr)")
        // A finished run's directory: nothing to resume, which succeeds (a repeated or requeued command
        // changes nothing); another study's finished run there is refused, saying how to run this one.
        let finished = temporaryDirectory("error-format-finished")
        #expect(try hpmc(["run", cns, "--samples", "64", "--quiet", "--out", finished + "/done"]).status == 0)
        let done = try hpmc(["run", cns, "--samples", "64", "--resume", "--out", finished + "/done"])
        #expect(done.status == 0 && done.stdout == "CNS: the run had finished (nothing to resume): \(finished)/done/study.hpmc\n", "\(done.stderr)")
        let other = try hpmc(["run", cns, "--samples", "64", "--seed", "2", "--resume", "--out", finished + "/done"])
        #expect(other.status == 2 && other.stderr == "hpmc: error: \(finished)/done/study.hpmc: holds a finished run (nothing to resume) of another study: "
                + "its seed is 1, this run's 2; to run this one, leave out --resume and pass --force\n", "\(other.stderr)")
        // --resume leaves a finished run's files as they are: outputs they lack are refused, not silently missing.
        let before = try visibleFiles(finished + "/done")
        for (option, wrote, asked) in [(["--percentiles", "1,50,99"], "percentiles 5,25,50,75,95", "percentiles 1,50,99"),
                                       (["--units", "si"], "roadmap units", "si units"), (["--save-samples"], "no samples.csv", "one")] {
            let differing = try hpmc(["run", cns, "--samples", "64", "--resume", "--out", finished + "/done"] + option)
            #expect(differing.status == 2 && differing.stderr == "hpmc: error: \(option[0]): \(finished)/done holds a finished run that wrote \(wrote), "
                        + "and --resume leaves a finished run's files as they are; to write \(asked), run it again with --force (the same seed draws the same samples)\n",
                    "\(differing.stderr)")
        }
        #expect(try visibleFiles(finished + "/done") == before)
        let compare = try hpmc(["compare", dir, dir, "--samples", "64", "--out", dir + "/compare"])
        #expect(compare.status == 2 && compare.stderr == "hpmc: error: \(dir): is a directory; compare A B takes two scenario files, and a run directory "
                + "(holding study.hpmc, the --out of hpmc run or merge) goes alone with --reference FILE\n", "\(compare.stderr)")
        let reference = try hpmc(["report", dir, "--reference", dir, "--out", dir + "/report.html"])
        #expect(reference.status == 2 && reference.stderr.hasPrefix("hpmc: error: --reference: \(dir): is a directory; give a file\n"), "\(reference.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        // A scenario that is a directory, a pipe nobody writes to (which must not block) or absent: what it is, or the system's reason.
        let scenario = try hpmc(["validate", dir])
        #expect(scenario.status == 2 && scenario.stderr == "hpmc: error: \(dir): is a directory; give a file\n", "\(scenario.stderr)")
        let pipe = dir + "/pipe.yaml"
        #expect(mkfifo(pipe, 0o600) == 0)
        let fromPipe = try hpmc(["validate", pipe])
        #expect(fromPipe.status == 2 && fromPipe.stderr == "hpmc: error: \(pipe): is not a regular file (a device, pipe or socket); give a file\n", "\(fromPipe.stderr)")
        // The reference file the scenario names, missing or empty, is named where the scenario names it.
        try FileManager.default.copyItem(atPath: cns, toPath: dir + "/cns.yaml")
        let references = try hpmc(["validate", dir + "/cns.yaml"])
        #expect(references.status == 2 && references.stderr == "hpmc: error: \(dir)/cns.yaml:189: validation.references: 'roadmap_reference.csv' "
                + "(\(dir)/roadmap_reference.csv): no such file; give the reference figures' CSV, relative to this file\n", "\(references.stderr)")
        // A directory there was named alone ("roadmap_reference.csv: is a directory"), neither the scenario nor its key.
        try FileManager.default.createDirectory(atPath: dir + "/roadmap_reference.csv", withIntermediateDirectories: false)
        let directory = try hpmc(["validate", dir + "/cns.yaml"])
        #expect(directory.status == 2 && directory.stderr == "hpmc: error: \(dir)/cns.yaml:189: validation.references: 'roadmap_reference.csv' "
                + "(\(dir)/roadmap_reference.csv): a directory, not a file; give the reference figures' CSV, relative to this file\n", "\(directory.stderr)")
        try FileManager.default.removeItem(atPath: dir + "/roadmap_reference.csv")
        try String(contentsOfFile: cns, encoding: .utf8).replacingOccurrences(of: "references: roadmap_reference.csv", with: "references: ''")
            .write(toFile: dir + "/cns.yaml", atomically: true, encoding: .utf8)
        let empty = try hpmc(["validate", dir + "/cns.yaml"])
        #expect(empty.status == 2 && empty.stderr.hasPrefix("hpmc: error: \(dir)/cns.yaml:189: validation.references: is empty"), "\(empty.stderr)")
        // What calibrate lacks is named where the scenario would hold it.
        let calibrate = try hpmc(["calibrate", ngs, "--out", dir + "/calibrated.yaml"])
        #expect(calibrate.status == 2 && calibrate.stderr == "hpmc: error: \(ngs):178: validation.calibration_metric: the scenario's validation section sets no "
                + "calibration_metric (e.g. calibration_metric: reduction)\n", "\(calibrate.stderr)")
        // A metric the model does not compute was reported as not set.
        try String(contentsOfFile: cns, encoding: .utf8).replacingOccurrences(of: "calibration_metric: reduction", with: "calibration_metric: bogus")
            .write(toFile: dir + "/bogus.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("Scenarios/roadmap_reference.csv").path, toPath: dir + "/roadmap_reference.csv")
        let bogus = try hpmc(["calibrate", dir + "/bogus.yaml", "--out", dir + "/calibrated.yaml"])
        #expect(bogus.status == 2 && bogus.stderr.hasPrefix("hpmc: error: \(dir)/bogus.yaml:191: validation.calibration_metric: 'bogus' is not a metric the model "
                + "computes; allowed: sales,"), "\(bogus.stderr)")
        // A target of 0 stopped the calibration with the least-squares solver's "choose another start".
        let zero = temporaryDirectory("calibrate-zero")
        try FileManager.default.copyItem(atPath: cns, toPath: zero + "/cns.yaml")
        try String(contentsOfFile: repositoryRoot.appendingPathComponent("Scenarios/roadmap_reference.csv").path, encoding: .utf8)
            .replacingOccurrences(of: "CNS,heating,all,reduction,2030,0.70,", with: "CNS,heating,all,reduction,2030,0,")
            .write(toFile: zero + "/roadmap_reference.csv", atomically: true, encoding: .utf8)
        let zeroTarget = try hpmc(["calibrate", zero + "/cns.yaml", "--out", zero + "/calibrated.yaml"])
        #expect(zeroTarget.status == 2 && zeroTarget.stderr == "hpmc: error: \(zero)/roadmap_reference.csv: row 51.value: the reference figure of market "
                + "'heating''s reduction in 2030 is 0; the calibration fits each figure relative to itself, so a target must not be 0\n", "\(zeroTarget.stderr)")
        let absent = try hpmc(["validate", dir + "/absent.yaml"])
        #expect(absent.status == 2 && absent.stderr == "hpmc: error: \(dir)/absent.yaml: cannot read the file (No such file or directory)\n", "\(absent.stderr)")
    }

    /// A run that saves its samples cannot be resumed: the messages say what to do instead, not send
    /// the user from --resume to "rerun with --save-samples from the start" and back (tester).
    @Test func aRunSavingSamplesSaysItCannotBeResumed() throws {
        let dir = temporaryDirectory("error-format-resume-samples")
        let resume = try hpmc(["run", cns, "--samples", "64", "--save-samples", "--resume", "--out", dir + "/run"])
        #expect(resume.status == 2 && resume.stderr == "hpmc: error: --resume: a run that saves its samples cannot be continued (samples.csv is "
                + "written in one pass, so it writes no checkpoints); start it over with --force, or resume without --save-samples\n", "\(resume.stderr)")
        try FileManager.default.createDirectory(atPath: dir + "/run", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: dir + "/run/checkpoint.hpmc", contents: Data("interrupted".utf8)))
        let again = try hpmc(["run", cns, "--samples", "64", "--save-samples", "--out", dir + "/run"])
        #expect(again.status == 2 && again.stderr == "hpmc: error: --resume: \(dir)/run/checkpoint.hpmc holds an interrupted run: "
                + "pass --force to start over (continuing it, with --resume, cannot save samples)\n", "\(again.stderr)")
    }

    /// An option compare does not have, whose value ArgumentParser hands to the inputs before it
    /// looks for unknown options, is named; it was "give two scenario files (A B) …". Too many
    /// inputs without one are still counted.
    @Test func anUnknownOptionOfCompareIsNamedNotCountedAsAnInput() throws {
        let dir = temporaryDirectory("error-format-compare-option")
        let unknown = try hpmc(["compare", ngs, cns, "--percentiles", "5,95", "--samples", "64", "--out", dir + "/compare"])
        #expect(unknown.status == 2 && unknown.stderr.hasPrefix("hpmc: error: Unknown option '--percentiles'"), "\(unknown.stderr)")
        let three = try hpmc(["compare", ngs, cns, cns, "--samples", "64", "--out", dir + "/compare"])
        #expect(three.status == 2 && three.stderr == "hpmc: error: compare: give two scenario files (A B), or a run directory and --reference\n", "\(three.stderr)")
        let one = try hpmc(["compare", ngs, "--samples", "64", "--out", dir + "/compare"])
        #expect(one.stderr == three.stderr, "\(one.stderr)")
        let reference = repositoryRoot.appendingPathComponent("Scenarios/roadmap_reference.csv").path
        let twoRuns = try hpmc(["compare", dir, dir, "--reference", reference])
        #expect(twoRuns.status == 2 && twoRuns.stderr == "hpmc: error: --reference: give one run directory\n", "\(twoRuns.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }
}
