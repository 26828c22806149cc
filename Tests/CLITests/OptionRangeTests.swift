import Foundation
import Testing
import UncertaintyStudy
@testable import hpmc

/// Option values a command cannot use are bad input: exit 2, a message naming the option, the name
/// and value where there is one and what is allowed, and no output directory created.
struct SweepSensitivityOptionTests {
    func expectRefusal(_ arguments: [String], _ fragments: [String]) throws {
        let dir = temporaryDirectory("option")
        let outcome = try hpmc(arguments + ["--out", dir + "/out", "--quiet"])
        #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
        for fragment in fragments { #expect(outcome.stderr.contains(fragment), "\(arguments): \(outcome.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"), "\(arguments)")
    }

    @Test func sweepGridValuesOutsideTheirRange() throws {
        try expectRefusal(["sweep", cns, "--grid", "lifetime=-5:-1:3"],
                          ["--grid: lifetime = -5.0 (sets lifetime.mean): mean lifetime (years) must be in [1, 100]; lifetime must lie in [1, 100]"])
        try expectRefusal(["sweep", cns, "--grid", "coal_share_heating=0.5:1.7:3"],
                          ["--grid: coal_share_heating = 1.1", "share of displaced heat must be in [0, 1]"])
        try expectRefusal(["sweep", cns, "--grid", "heating.sales.r=-0.1:0.1:3"],
                          ["--grid: heating.sales.r = -0.1:", "growth rate r (per year) must be > 0"])
        try expectRefusal(["sweep", cns, "--grid", "heating.displaced.gas.share=0.1:0.5:3"],
                          ["--grid: 'heating.displaced.gas.share' (swept), 'coal_share_heating' vary shares of 'heating' that can add up to 1.25"])
    }

    @Test func sweepGridShapeAndSizes() throws {
        try expectRefusal(["sweep", cns, "--grid", "cop_heating=1:2:9223372036854775807"],
                          ["--grid: 'cop_heating=1:2:9223372036854775807': STEPS must be at least 2 and at most 10000"])
        try expectRefusal(["sweep", cns, "--grid", "cop_heating=1:2:1e300"], ["STEPS must be at least 2 and at most 10000"])
        try expectRefusal(["sweep", cns, "--grid", "heating.sales@2030=400:500:2"],
                          ["--grid: unknown name 'heating.sales@2030' (the anchors of a fitted logistic curve cannot vary per sample",
                           "; `hpmc sweep --list SCENARIO` prints the names"])
        try expectRefusal(["sweep", cns, "--grid", "cop_heating=1:2:2", "--samples-per-point", "0"],
                          ["--samples-per-point: 0 samples; give 1 to 274877906944"])
        try expectRefusal(["sweep", cns, "--grid", "cop_heating=1:2:2", "--samples-per-point", "9223372036854775807"],
                          ["--samples-per-point: 9223372036854775807 samples; give 1 to 274877906944"])
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

    /// Every refusal comes before the output directory is made, with the option named.
    @Test func sensitivityOptionsOutOfRange() throws {
        let huge = "9223372036854775807"
        for (arguments, fragment) in [
            (["--method", "sobol", "--samples", "0"], "--samples: 0 base samples requested; Sobol' indices need at least 2"),
            (["--method", "sobol", "--samples", huge], "--samples: \(huge) base samples requested; at most 2147483648 are supported"),
            (["--method", "morris", "--trajectories", "1"], "--trajectories: 1 Morris trajectories requested; at least 2 are needed"),
            (["--method", "morris", "--trajectories", huge], "--trajectories: \(huge) × 13 model evaluations requested; at most 268435456 are supported"),
            (["--method", "sobol", "--samples", "2147483648"], "--samples: 2147483648 × 14 model evaluations requested; at most 268435456 are supported"),
            (["--method", "morris", "--levels", "0"], "--levels: 0 Morris levels requested; at least 2 are needed"),
            (["--method", "morris", "--levels", huge], "--levels: \(huge) Morris levels requested; the level count must be even"),
            (["--method", "morris", "--bootstrap", "1"], "--bootstrap: 1 bootstrap resamples requested; at least 2 are needed"),
            (["--method", "sobol", "--intervals", "bootstrap", "--bootstrap", huge], "--bootstrap: \(huge) bootstrap resamples requested; at most 100000 are supported"),
            (["--method", "sobol", "--bootstrap", "100"], "--bootstrap: sets the resamples of bootstrap intervals, and sobol's are asymptotic unless --intervals bootstrap"),
            (["--method", "morris", "--intervals", "bootstrap"], "--intervals: chooses sobol's intervals; morris's interval of mu* is always a bootstrap (--bootstrap), a tornado has none"),
            // A tornado has no intervals: --bootstrap was ignored, whatever its value.
            (["--method", "tornado", "--bootstrap", "-5"], "--bootstrap: sets the resamples of bootstrap intervals, and a tornado has none"),
            // An option of another method was ignored without a word.
            (["--method", "morris", "--samples", "100"], "--samples: is read by --method sobol only, not by morris"),
            (["--method", "tornado", "--second-order"], "--second-order: is read by --method sobol only, not by tornado"),
            (["--method", "sobol", "--trajectories", "5"], "--trajectories: is read by --method morris only, not by sobol"),
            (["--method", "tornado", "--levels", "6"], "--levels: is read by --method morris only, not by tornado"),
            (["--intervals", "jackknife"], "--intervals"),
            (["--method", "tornado", "--threads", "0"], "--threads: thread count 0 must be at least 1"),
            (["--method", "tornado", "--year", huge], "--year: \(huge) is outside 2022...2060"),
            (["--method", "tornado", "--market", "cooling"], "--market: 'cooling' is not a market of the scenario"),
            (["--groups", "a=lifetime;a=grid_2030"], "--groups: 'a' names two factors"),
            (["--groups", "grid_2060=lifetime"], "--groups: 'grid_2060' names two factors"),
            // A group's name heads sensitivity.csv rows as an input's does: no formula start, comma or line break.
            (["--groups", "@cop=cop_heating"], "--groups: '@cop': a group name is letters, digits, '_' and '.', starting with a letter, at most 64 characters"),
            (["--groups", "a,b=cop_heating"], "--groups: 'a,b': a group name is letters"),
            (["--groups", "a=cop_heating,"], "--groups: unknown input ''"),
            (["--groups", "a=cop_heating;"], "--groups: '': write NAME=input,input;NAME=…"),
            (["--years", "2021-2030"], "--years: 2021 is outside CNS's years; give years from 2022 to 2060"),
            (["--years", "2060-2030"], "--years: '2060-2030': the range runs backwards"),
            (["--years", "20x0"], "--years: '20x0': write all, a year, FIRST-LAST, or a comma-separated list of them, each year once"),
            (["--years", "2030,"], "--years: '2030,' has an empty entry"),
            (["--years=-2030"], "--years: '-2030': write all"),
            (["--years", huge], "--years: \(huge) is outside CNS's years"),
            (["--years", "2030,2025-2035"], "--years: 2030 is named twice"),
            (["--years", "all", "--year", "2030"], "--years: give --year or --years, not both"),
        ] {
            try expectRefusal(["sensitivity", cns] + arguments, [fragment])
        }
        try expectRefusal(["sensitivity", "--test-function", "g-function", "--g-a", "1,inf"], ["--g-a: '1,inf': 'inf' is not a decimal number"])
        try expectRefusal(["sensitivity", "--test-function", "ishigami", "--years", "all"], ["--years: a test function has no years; --years needs a scenario"])
        // Options that were ignored without a word.
        try expectRefusal(["sensitivity", "--test-function", "ishigami", "--year", "2060"], ["--year: a test function has no years; --year needs a scenario"])
        try expectRefusal(["sensitivity", "--test-function", "ishigami", "--g-a", "1,2"], ["--g-a: sets the G function's a vector; it needs --test-function g-function"])
        try expectRefusal(["sensitivity", cns, "--method", "tornado", "--groups", "g=lifetime,grid_2060"],
                          ["--groups: moves inputs together in sobol and morris; a tornado moves each input alone"])
        try expectRefusal(["sensitivity", cns, "--method", "tornado", "--seed", "7"], ["--seed: seeds sobol's and morris's designs; a tornado draws nothing"])
        // Draw options where nothing is drawn: the results would not be those of the seed or sampler given.
        for option in [["--samples", "5000"], ["--seed", "7"], ["--sampler", "mc"]] {
            try expectRefusal(["compare", "out/cns", "--reference", repositoryRoot.appendingPathComponent("Scenarios/roadmap_reference.csv").path] + option,
                              ["\(option[0]): draws the samples of two scenario files; with --reference the run's own samples are ranked"])
            try expectRefusal(["discover", "--from", "samples.csv", "--where", "reduction total 2060 < 4"] + option,
                              ["\(option[0]): draws samples from a scenario file; --from analyses the samples it reads"])
        }
        // 2022 sales are observed, the same in every sample.
        try expectRefusal(["sensitivity", cns, "--metric", "sales", "--years", "2022-2023", "--samples", "64"],
                          ["--years: sales total 2022 (1e4 units/yr) does not vary over the sample (beyond rounding), so its indices are undefined; leave that year out"])
        // One such output named no option.
        try expectRefusal(["sensitivity", cns, "--metric", "sales", "--year", "2022", "--samples", "64"],
                          ["hpmc: error: --year: sales total 2022 (1e4 units/yr) does not vary over the sample (beyond rounding), so its indices are undefined; "
                           + "choose another --year, --metric or --market"])
        try expectRefusal(["sensitivity", "--test-function", "g-function", "--g-a", "1e308,1e308", "--samples", "64"],
                          ["hpmc: error: --g-a: '1e308,1e308' makes the G function constant over the sample"])
    }

    /// A checkpoint interval shorter than writing one takes: rounds stay at least 50 ms long, and the
    /// next checkpoint waits nine times as long as the last took to write, so checkpoints take at
    /// most a tenth of the run (a resumed run with large spills rewrote its checkpoint for minutes).
    @Test func checkpointsTakeAtMostATenthOfTheRun() {
        let start = ContinuousClock.now
        var schedule = CheckpointSchedule(interval: .nanoseconds(1), start: start)
        #expect(schedule.roundDuration == .milliseconds(50))
        #expect(CheckpointSchedule(interval: .seconds(60), start: start).roundDuration == StudySettings.roundDuration)
        #expect(CheckpointSchedule(interval: .milliseconds(80), start: start).roundDuration == .milliseconds(80))
        #expect(schedule.isDue(at: start + .milliseconds(50)))
        schedule.written(began: start + .milliseconds(50), ended: start + .milliseconds(150))
        #expect(!schedule.isDue(at: start + .milliseconds(1049)))
        #expect(schedule.isDue(at: start + .milliseconds(1050)))
        var minute = CheckpointSchedule(interval: .seconds(60), start: start)
        minute.written(began: start + .seconds(60), ended: start + .seconds(61))
        #expect(!minute.isDue(at: start + .seconds(120)) && minute.isDue(at: start + .seconds(121)))
    }

    /// A command whose printed result cannot be written (standard output on a full disk) fails.
    @Test(arguments: [["project", cns], ["--version"], ["run", "--help"], ["help", "run"]])
    func aResultThatCannotBePrintedIsAnError(arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: hpmcBinary)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        let err = Pipe()
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(stderr.hasPrefix("hpmc: error: cannot write the standard output (No space left on device)"), "\(stderr)")
    }

    /// An analysis larger than the address space `ulimit -v` leaves is refused up front, by what it
    /// would need: the allocation trapped (exit 134) in sensitivity and discover.
    @Test(arguments: [(["sensitivity", "--test-function", "ishigami", "--samples", "16777216", "--quiet"], "--samples: 16777216 samples (83886080 model runs) need about 5.4 GB"),
                      (["discover", cns, "--where", "reduction total 2060 < 4.34", "--samples", "20000000"], "--samples: 20000000 samples need about 6.3 GB")])
    func anAddressSpaceLimitIsAMemoryLimit(arguments: [String], message: String) throws {
        let dir = temporaryDirectory("ulimit")
        let (exited, outcome) = try hpmcUnderAddressSpaceLimit(kibibytes: 1_000_000, arguments + ["--out", dir + "/out"])
        #expect(exited && outcome.status == 2 && outcome.stderr.hasPrefix("hpmc: error: \(message)"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }

    /// Under an address-space limit the same comparison gets the same verdict every time: A's and B's
    /// studies checked their memory each on its own thread, and glibc's per-thread arenas (64 MiB of
    /// address space each, reserved as threads first allocate) made what was left depend on timing
    /// (5 of 10 refused at 800 MiB, with four different figures at 600 MiB). What is left may still
    /// differ by a page or two, which can tip its figure's last digit.
    @Test func aComparisonUnderAnAddressSpaceLimitGetsOneVerdict() throws {
        var outcomes: Set<String> = [], allowed: [Double] = []
        for _ in 0..<4 {
            let dir = temporaryDirectory("compare-ulimit")
            let (exited, outcome) = try hpmcUnderAddressSpaceLimit(kibibytes: 614_400, ["compare", ngs, cns, "--samples", "200000", "--quiet", "--out", dir + "/out"])
            let stderr = outcome.stderr
            #expect(exited && [0, 2].contains(outcome.status), "\(stderr)")
            if let figure = stderr.firstMatch(of: /allows ([0-9.]+) MB/) { allowed.append(Double(figure.1)!) }
            outcomes.insert("\(outcome.status): \(stderr.replacing(/allows [0-9.]+ MB/, with: "allows … MB"))")
        }
        #expect(outcomes.count == 1, "\(outcomes)")
        #expect((allowed.max() ?? 0) - (allowed.min() ?? 0) <= 0.2, "\(allowed)")
    }

    /// An address space too small for OpenBLAS's buffers is refused before OpenBLAS is asked anything:
    /// every command, `--version` too, hung (OpenBLAS retries a refused buffer for ever). `timeout`
    /// ends a hang, which then fails the test instead of the suite.
    @Test(arguments: [["--version"], ["validate", cns]])
    func anAddressSpaceTooSmallForOpenBLASIsRefused(arguments: [String]) throws {
        let (exited, outcome) = try hpmcUnderAddressSpaceLimit(kibibytes: 240_000, seconds: 60, arguments)
        let stderr = outcome.stderr
        #expect(exited && outcome.status == 2 && outcome.stdout.isEmpty, "\(stderr)")
        #expect(stderr == "hpmc: error: the address-space limit (ulimit -v) is 234 MiB; hpmc needs at least 512 MiB (OpenBLAS reserves "
                          + "128 MiB for each thread that calls it): raise it, e.g. ulimit -v 524288\n", "\(stderr)")
    }

    /// A reader that closed the pipe before hpmc wrote (as `| head` does) is a failed write like a
    /// full disk, not an end by SIGPIPE (exit 141).
    @Test func aClosedPipeIsAFailedWriteNotASignal() throws {
        let process = Process()
        // SIGPIPE as a shell leaves it, whatever this test process does with it: an ignored signal is inherited.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["--default-signal=PIPE", hpmcBinary, "project", cns]
        let out = Pipe(), err = Pipe()
        try out.fileHandleForReading.close()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 2)
        #expect(stderr == "hpmc: error: cannot write the standard output (Broken pipe)\n", "\(stderr)")
    }

    /// A message that cannot be shown (stderr full too) leaves the exit status an error's, not a crash's.
    @Test(arguments: [["--version"], ["run", "/nonexistent.yaml"], ["nosuch"]])
    func anUnwritableStandardErrorIsNoCrash(arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: hpmcBinary)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 2)
    }

    /// Thread counts beyond the work are harmless: the extra workers are never made.
    @Test func hugeThreadCountsRunAsFewer() throws {
        let dir = temporaryDirectory("threads")
        let huge = "9223372036854775807"
        let morris = try hpmc(["sensitivity", "--test-function", "ishigami", "--method", "morris", "--trajectories", "20", "--bootstrap", "10",
                               "--threads", huge, "--out", dir + "/morris", "--quiet"])
        #expect(morris.status == 0, "\(morris.stderr)")
        let one = try hpmc(["sensitivity", "--test-function", "ishigami", "--method", "morris", "--trajectories", "20", "--bootstrap", "10",
                            "--threads", "1", "--out", dir + "/one", "--quiet"])
        #expect(one.status == 0)
        #expect(contents(dir + "/morris/sensitivity.csv") != nil && contents(dir + "/morris/sensitivity.csv") == contents(dir + "/one/sensitivity.csv"))
        let compare = try hpmc(["compare", cns, ngs, "--samples", "300", "--threads", huge, "--out", dir + "/compare", "--quiet"])
        #expect(compare.status == 0, "\(compare.stderr)")
        let compareOne = try hpmc(["compare", cns, ngs, "--samples", "300", "--threads", "1", "--out", dir + "/compare-one", "--quiet"])
        #expect(compareOne.status == 0)
        #expect(contents(dir + "/compare/difference.csv") != nil && contents(dir + "/compare/difference.csv") == contents(dir + "/compare-one/difference.csv"))
        for threads in [huge, "1"] {
            let sweep = try hpmc(["sweep", cns, "--grid", "cop_heating=0.85:1.15:3", "--samples-per-point", "3000", "--threads", threads,
                                  "--out", dir + "/sweep-\(threads)", "--quiet"])
            #expect(sweep.status == 0, "\(sweep.stderr)")
        }
        #expect(contents(dir + "/sweep-\(huge)/sweep.csv") != nil && contents(dir + "/sweep-\(huge)/sweep.csv") == contents(dir + "/sweep-1/sweep.csv"))
    }

    @Test func compareMetricIsAMetricOfReferenceMode() throws {
        try expectRefusal(["compare", cns, ngs, "--samples", "100", "--metric", "reduction"], ["--metric: selects reference rows; it needs --reference"])
        try expectRefusal(["compare", cns, ngs, "--samples", "100", "--metric", "happiness"], ["The value 'happiness' is invalid for '--metric <metric>'"])
        try expectRefusal(["compare", cns, ngs, "--samples", "0"], ["--samples: 0 samples; give 1 to 274877906944"])
        try expectRefusal(["compare", cns, ngs, "--threads=-1"], ["--threads: -1 threads; it must be at least 1"])
    }
}
