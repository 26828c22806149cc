import Dispatch
import Foundation
import RandomStreams
import Testing

/// Hostile scenario files, made by mutating the shipped CNS scenario: whatever a user writes, hpmc
/// answers with exit 0, 1 or 2, never dies by a signal, never hangs, and leaves an output directory
/// either holding one run's complete set or untouched.
struct ScenarioFuzzing {
    /// Variants per test run; each is validated, and run when its mutation could still load.
    static let variantCount = 240
    /// A run of 256 samples takes well under a second; one that lasts this long is a hang.
    static let deadlineSeconds = 60.0

    @Test func mutatedScenariosNeverCrashHangOrLeaveAPartialSet() throws {
        let original = try String(contentsOfFile: cns, encoding: .utf8)
        try exercise((0..<Self.variantCount).map { index in
            var generator = VariantRandom(variant: index)
            let (text, mutations) = ScenarioMutator.mutate(original, using: &generator)
            return (text, mutations.joined(separator: "; "))
        })
    }

    /// Not left to chance: every uncertain input of both shipped scenarios with every extreme family.
    @Test(arguments: [cns, ngs])
    func everyInputWithEveryExtremeFamily(scenario: String) throws {
        let lines = try String(contentsOfFile: scenario, encoding: .utf8).components(separatedBy: "\n")
        var variants: [(text: String, label: String)] = []
        for (index, line) in lines.enumerated() where line.contains("distribution:") {
            for distribution in ScenarioMutator.extremeDistributions {
                var changed = lines
                changed[index] = String(line.prefix { $0 == " " }) + "distribution: " + distribution
                variants.append((changed.joined(separator: "\n"), "line \(index + 1): \(distribution)"))
            }
        }
        try exercise(variants)
    }

    /// Validates and runs each variant, two at a time, and fails with every broken rule.
    private func exercise(_ variants: [(text: String, label: String)]) throws {
        let dir = temporaryDirectory("fuzz")
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("Scenarios/roadmap_reference.csv").path,
                                         toPath: dir + "/roadmap_reference.csv")
        // A complete set from the unmutated scenario, which every failing `--force` run must leave as it was.
        let baseline = dir + "/baseline"
        let reference = try hpmc(["run", cns, "--samples", "256", "--out", baseline, "--quiet"])
        try #require(reference.status == 0, "\(reference.stderr)")
        let baselineFiles = try snapshot(baseline)

        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: variants.count) { index in
            let path = dir + "/variant-\(index).yaml"
            do {
                try variants[index].text.write(toFile: path, atomically: true, encoding: .utf8)
                for problem in try check(variant: path, index: index, dir: dir, baseline: baseline, baselineFiles: baselineFiles) {
                    failures.add("variant \(index) (\(variants[index].label)), file \(path): \(problem)")
                }
            } catch {
                failures.add("variant \(index): \(error)")
            }
        }
        let found = failures.all
        #expect(found.isEmpty, "\(found.count) of \(variants.count) variants misbehaved:\n\(found.prefix(20).joined(separator: "\n"))")
    }

    /// Every rule a variant's commands must keep; an empty list when it kept them all.
    private func check(variant path: String, index: Int, dir: String, baseline: String,
                       baselineFiles: [String: Data]) throws -> [String] {
        var problems: [String] = []
        let validation = try timedHPMC(["validate", path])
        problems += verdict(validation, command: "validate")

        let out = dir + "/out-\(index)"
        let run = try timedHPMC(["run", path, "--samples", "256", "--out", out, "--quiet"])
        let runProblems = verdict(run, command: "run")
        problems += runProblems
        if !runProblems.isEmpty {
            // Said already; what a crashed run left behind follows from it.
        } else if run.status == 0 || run.status == 1 {
            problems += completeSetProblems(out)
        } else if FileManager.default.fileExists(atPath: out) {
            problems.append("run exited \(run.status) but created \(out)")
        }

        // Every fourth variant also overwrites a copy of the baseline set with --force: a failure
        // must leave that set exactly as it was, a success must leave a complete new one.
        if index % 4 == 0 {
            let forced = dir + "/forced-\(index)"
            try FileManager.default.copyItem(atPath: baseline, toPath: forced)
            let rerun = try timedHPMC(["run", path, "--samples", "256", "--out", forced, "--quiet", "--force", "--seed", "2"])
            let rerunProblems = verdict(rerun, command: "run --force")
            problems += rerunProblems
            if !rerunProblems.isEmpty {
                // Said already.
            } else if rerun.status == 0 || rerun.status == 1 {
                problems += completeSetProblems(forced)
            } else if try snapshot(forced) != baselineFiles {
                problems.append("run --force exited \(rerun.status) and changed the existing set in \(forced)")
            }
        }
        return problems
    }

    private func verdict(_ outcome: TimedOutcome, command: String) -> [String] {
        if outcome.timedOut { return ["\(command) still running after \(Self.deadlineSeconds) s"] }
        if outcome.signalled { return ["\(command) died by signal \(outcome.status): \(outcome.gist)"] }
        guard [0, 1, 2].contains(outcome.status) else { return ["\(command) exited \(outcome.status): \(outcome.gist)"] }
        if outcome.status == 2 && outcome.stderr.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return ["\(command) exited 2 without a message"]
        }
        return []
    }

    /// A directory holding one run's outputs: every file of the set, summary.json that parses, no
    /// `nan` cell, no staging leftovers.
    private func completeSetProblems(_ out: String) -> [String] {
        var problems: [String] = []
        for file in ["bands.csv", "summary.json", "study.hpmc", "fan-total.svg"]
            where !FileManager.default.fileExists(atPath: out + "/" + file) {
            problems.append("a successful run left no \(file) in \(out)")
        }
        if let data = contents(out + "/summary.json"), (try? JSONSerialization.jsonObject(with: data)) == nil {
            problems.append("summary.json in \(out) is not JSON")
        }
        if let bands = contents(out + "/bands.csv").map({ String(decoding: $0, as: UTF8.self) }),
           bands.contains(",nan,") || bands.contains(",nan\n") || bands.contains(",inf,") || bands.contains(",-inf,") {
            problems.append("bands.csv in \(out) holds a non-finite cell")
        }
        let leftovers = ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { $0.hasSuffix(".tmp") }
        if !leftovers.isEmpty { problems.append("temporary files left in \(out): \(leftovers)") }
        return problems
    }

    /// The regular files of a directory and their bytes (hidden bookkeeping files aside).
    private func snapshot(_ directory: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where !name.hasPrefix(".") {
            files[name] = contents(directory + "/" + name)
        }
        return files
    }

    private func timedHPMC(_ arguments: [String]) throws -> TimedOutcome {
        try runWithDeadline(arguments, seconds: Self.deadlineSeconds)
    }
}

/// Collects failure messages from concurrent checks.
private final class Failures: @unchecked Sendable {
    private var messages: [String] = []
    private let lock = NSLock()
    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages.sorted() } }
}

struct TimedOutcome {
    var status: Int32
    var signalled: Bool
    var timedOut: Bool
    var stderr: String

    /// The line that says what went wrong, or the end of the error output.
    var gist: String {
        let lines = stderr.split(separator: "\n")
        return String(lines.first { $0.contains("Fatal error") || $0.contains("error:") } ?? lines.last ?? "")
    }
}

/// Runs hpmc, killing it if it outlives `seconds`.
func runWithDeadline(_ arguments: [String], seconds: Double) throws -> TimedOutcome {
    let launched = try launch(arguments)
    // Drain both pipes while waiting, so a chatty process cannot block on a full pipe.
    let errors = DataBox(), group = DispatchGroup()
    DispatchQueue.global().async(group: group) { _ = readAll(launched.standardOutputPipe) }
    DispatchQueue.global().async(group: group) { errors.data = readAll(launched.standardErrorPipe) }
    let deadline = Date().addingTimeInterval(seconds)
    var timedOut = false
    while launched.process.isRunning {
        if Date() > deadline {
            timedOut = true
            kill(launched.process.processIdentifier, SIGKILL)
            break
        }
        usleep(5_000)
    }
    launched.process.waitUntilExit()
    group.wait()
    return TimedOutcome(status: launched.process.terminationStatus,
                        signalled: launched.process.terminationReason == .uncaughtSignal,
                        timedOut: timedOut, stderr: String(decoding: errors.data, as: UTF8.self))
}

private final class DataBox: @unchecked Sendable {
    var data = Data()
}

/// The project's own counter-based stream as a generator, so that a failing variant can be made
/// again from its index.
struct VariantRandom: RandomNumberGenerator {
    let stream: CounterStream
    var index: UInt64 = 0

    init(variant: Int) { stream = CounterStream(seed: UInt64(variant), stream: 0x6675_7A7A) }

    mutating func next() -> UInt64 {
        let bits = stream.bits(at: index)
        index += 1
        return UInt64(bits[0]) << 32 | UInt64(bits[1])
    }
}

/// Line-level mutations of a scenario file, from plausible edits to hostile ones.
enum ScenarioMutator {
    static let hostileNumbers = ["0", "-0", "-1", "1e308", "-1e308", "1e-308", "5e-324", ".nan", ".inf", "-.inf", "1e400",
                                 "9223372036854775807", "-9223372036854775808", "0.5", "2", "1e6", "1e-6", "1e300",
                                 "abc", "\"\"", "[1, 2]", "{}", "~", "0x10", "1_000"]
    static let hostileNames = ["=cmd|' /C calc'!A0", "+1", "-x", "@sum", "sample", "reduction_total_2060", "a,b",
                               "\"\"", "x y", "total", "heating", "é", "\"tab\\there\""]
    static let targets = ["grid", "grid@2030", "grid@1990", "lifetime.mean", "lifetime.shape", "backcast.growth",
                          "heating.sales.K", "heating.sales.r", "heating.sales.t0", "heating.sales.nu", "heating.sales@2030",
                          "heating.value", "hotwater.cop", "heating.heat_per_unit.h0", "heating.displaced.coal.share",
                          "heating.displaced.gas.efficiency", "heating.displaced.coal.emission_factor", "nowhere.sales",
                          "heating.segments", ""]

    static func mutate<G: RandomNumberGenerator>(_ text: String, using generator: inout G) -> (String, [String]) {
        var lines = text.components(separatedBy: "\n")
        var done: [String] = []
        for _ in 0..<Int.random(in: 1...3, using: &generator) {
            let index = Int.random(in: 0..<lines.count, using: &generator)
            let line = lines[index]
            switch Int.random(in: 0..<8, using: &generator) {
            case 0:
                guard let number = numberRange(in: line, using: &generator) else { continue }
                let replacement = hostileNumbers.randomElement(using: &generator)!
                lines[index] = line.replacingCharacters(in: number, with: replacement)
                done.append("line \(index + 1): number -> \(replacement)")
            case 1:
                // Still a number, and still loads more often than not, but far from where it was.
                guard let number = numberRange(in: line, using: &generator), let value = Double(line[number]) else { continue }
                let replacement = String(value * [-1, 0, 1e-3, 1e3, 1e100, 1.5].randomElement(using: &generator)!)
                lines[index] = line.replacingCharacters(in: number, with: replacement)
                done.append("line \(index + 1): number -> \(replacement)")
            case 2, 3:
                guard let chosen = lines.indices.filter({ lines[$0].contains("distribution:") }).randomElement(using: &generator) else { continue }
                let distribution = Bool.random(using: &generator)
                    ? randomDistribution(using: &generator)
                    : extremeDistributions.randomElement(using: &generator)!
                let indent = lines[chosen].prefix { $0 == " " }
                lines[chosen] = String(indent) + "distribution: " + distribution
                done.append("line \(chosen + 1): distribution -> \(distribution)")
            case 4:
                let chosen = lines.indices.filter { lines[$0].contains("target:") || lines[$0].contains("apply:") }
                    .randomElement(using: &generator) ?? index
                let indent = lines[chosen].prefix { $0 == " " }
                let replacement = Bool.random(using: &generator)
                    ? "target: \(targets.randomElement(using: &generator)!)"
                    : "apply: \(["set", "factor", "shift", "scale", ""].randomElement(using: &generator)!)"
                lines[chosen] = String(indent) + replacement
                done.append("line \(chosen + 1): \(replacement)")
            case 5:
                let chosen = lines.indices.filter { lines[$0].contains("name:") }.randomElement(using: &generator) ?? index
                let indent = lines[chosen].prefix { $0 == " " || $0 == "-" }
                let name = hostileNames.randomElement(using: &generator)!
                lines[chosen] = String(indent) + "name: " + name
                done.append("line \(chosen + 1): name -> \(name)")
            case 6:
                lines.remove(at: index)
                done.append("line \(index + 1) removed")
            default:
                lines.insert(line, at: index)
                done.append("line \(index + 1) repeated")
            }
        }
        return (lines.joined(separator: "\n"), done)
    }

    /// Families whose draws are valid for many targets but reach far beyond any plausible value.
    static let extremeDistributions = [
        "{type: lognormal, mu: 500, sigma: 100}", "{type: lognormal, mu: 300, sigma: 100}", "{type: lognormal, mu: 0, sigma: 100}",
        "{type: lognormal, mu: -500, sigma: 100}", "{type: lognormal, mu: 0, sigma: 3}", "{type: uniform, min: 1e300, max: 1e301}",
        "{type: uniform, min: 1e-300, max: 1e-299}", "{type: truncated_normal, mean: 1, sd: 1e300, lower: 0}",
    ]

    /// A family with parameters that are sometimes sensible and sometimes not.
    static func randomDistribution<G: RandomNumberGenerator>(using generator: inout G) -> String {
        func number() -> String {
            Bool.random(using: &generator)
                ? hostileNumbers.randomElement(using: &generator)!
                : String(Double.random(in: -2...3, using: &generator))
        }
        switch Int.random(in: 0..<8, using: &generator) {
        case 0: return "{type: uniform, min: \(number()), max: \(number())}"
        case 1: return "{type: triangular, min: \(number()), mode: \(number()), max: \(number())}"
        case 2: return "{type: normal, mean: \(number()), sd: \(number())}"
        case 3: return "{type: lognormal, mu: \(["0", "0", "5", "300", "500", "-500"].randomElement(using: &generator)!), sigma: \(["0.15", "1.5", "2", "3", "10", "100", number()].randomElement(using: &generator)!)}"
        case 4: return "{type: truncated_normal, mean: \(number()), sd: \(number()), lower: \(number()), upper: \(number())}"
        case 5: return "{type: pert, min: \(number()), mode: \(number()), max: \(number())}"
        case 6: return "{type: discrete, values: [\(number()), \(number())], weights: [\(number()), \(number())]}"
        default: return "{type: uniform, min: \(["1e300", "0", "-10", "1e-300"].randomElement(using: &generator)!), max: \(["1e301", "1e-300", "-1", "20"].randomElement(using: &generator)!)}"
        }
    }

    /// The characters of one number on the line, if it has any.
    static func numberRange<G: RandomNumberGenerator>(in line: String, using generator: inout G) -> Range<String.Index>? {
        guard let regex = try? Regex("-?[0-9][0-9.eE+-]*") else { return nil }
        let matches = line.matches(of: regex).map(\.range)
        return matches.randomElement(using: &generator)
    }
}
