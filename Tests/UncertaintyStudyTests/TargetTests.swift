import Foundation
import Testing
@testable import RoadmapModel
import StudyOutputs
@testable import UncertaintyStudy

struct WilsonIntervalTests {
    /// Textbook values: 0 of 10 gives [0, 0.2775], 5 of 10 gives [0.2366, 0.7634].
    @Test func knownAnswers() {
        let none = wilsonInterval(successes: 0, trials: 10), half = wilsonInterval(successes: 5, trials: 10)
        #expect(none.lower == 0)
        #expect(abs(none.upper - 0.2775) < 5e-5)
        #expect(abs(half.lower - 0.2366) < 5e-5)
        #expect(abs(half.upper - 0.7634) < 5e-5)
    }

    /// The bounds are the roots of (p̂ − p)² = z² p (1 − p) / n, the score test's acceptance limits.
    @Test(arguments: [(1, 7), (3, 40), (492_300, 1_000_000), (999, 1000), (1000, 1000)] as [(UInt64, UInt64)])
    func boundsSolveTheScoreEquation(successes: UInt64, trials: UInt64) {
        let (lower, upper) = wilsonInterval(successes: successes, trials: trials)
        let n = Double(trials), estimate = Double(successes) / n, z = 1.959963984540054
        for p in [lower, upper] where p > 0 && p < 1 {
            #expect(abs((estimate - p) * (estimate - p) - z * z * p * (1 - p) / n) < 1e-14)
        }
        #expect(lower <= estimate && estimate <= upper)
        #expect(wilsonInterval(successes: 0, trials: 0).lower.isNaN)
    }
}

struct TargetConditionTests {
    @Test func parsesAndPrintsCanonically() throws {
        let target = try TargetCondition(parsing: "  reduction total 2060>=4.34 ")
        #expect(target.metric == .reduction && target.market == "total" && target.segment == "all" && target.year == 2060)
        #expect(target.comparison == .atLeast && target.threshold == 4.34)
        #expect(target.text == "reduction total 2060 >= 4.34")
        #expect(try TargetCondition(parsing: target.text) == target)
        let segment = try TargetCondition(parsing: "value heating household 2030 < 1e3")
        #expect(segment.segment == "household" && segment.comparison == .less && segment.threshold == 1000)
        #expect(try TargetCondition(parsing: segment.text) == segment)
    }

    /// The canonical text parses back to the same condition for every kind of threshold, and one
    /// condition has one text (a whole number without ".0", -0 as 0), which manifests compare.
    @Test(arguments: [(3.0, "3"), (-0.0, "0"), (0.0, "0"), (4.34, "4.34"), (1e20, "1e+20"), (1.5e-300, "1.5e-300"), (-2.5, "-2.5"),
                      (Double.leastNonzeroMagnitude, "5e-324"), (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"), (123456789012.0, "123456789012")])
    func theTextParsesBackToTheSameCondition(threshold: Double, written: String) throws {
        let target = try TargetCondition(parsing: "reduction total 2060 < \(threshold)")
        #expect(target.text == "reduction total 2060 < \(written)")
        let again = try TargetCondition(parsing: target.text)
        #expect(again == target || (again.threshold == 0 && target.threshold == 0), "\(target.text)")
        #expect(again.text == target.text)
    }

    @Test(arguments: ["reduction total 2060 = 4", "reduction total >= 4", "reduction a b c 2060 > 1", "baseline_emissions total 2060 > 1",
                      "reduction total 20x0 > 1", "reduction total 2060 > abc", "reduction total 2060 > nan", "reduction total 2060 <> 1", ""])
    func refusesMalformedText(text: String) {
        #expect(throws: StudyError.self) { try TargetCondition(parsing: text) }
        do {
            _ = try TargetCondition(parsing: text)
        } catch {
            #expect(error.subject == .target)
            #expect(error.message.contains("expected METRIC MARKET [SEGMENT] YEAR OP NUMBER"))
        }
    }

    @Test func refusesWhatTheScenarioLacks() throws {
        let model = try setup()
        for (text, fragment) in [("reduction mars 2060 > 1", "heating, hotwater, total"), ("reduction total 2070 > 1", "2022...2060"),
                                 ("reduction heating nowhere 2060 > 1", "household")] {
            let settings = StudySettings(samples: 10, targets: [try TargetCondition(parsing: text)])
            #expect(throws: StudyError.self) { try MonteCarloStudy(setup: model, settings: settings) }
            do {
                _ = try MonteCarloStudy(setup: model, settings: settings)
            } catch let error as StudyError {
                #expect(error.message.contains(fragment), "\(error)")
            }
        }
    }
}

struct TargetCountTests {
    static let texts = ["reduction total 2060 >= 4.34", "reduction hotwater 2060 < 1.7", "sales heating 2060 > 2100", "value total 2060 <= 4400", "value heating 2060 > 3000"]

    func study(threads: Int, samples: Int = 2 * StudySettings.chunkSize + 300) throws -> MonteCarloStudy {
        try MonteCarloStudy(setup: setup(), settings: StudySettings(samples: samples, seed: 11, threads: threads,
                                                                    targets: Self.texts.map { try TargetCondition(parsing: $0) }))
    }

    /// The counts equal those of the samples' own outputs in samples.csv, for every target, and do
    /// not depend on threads, sharding or a trip through a shard file.
    @Test func countsAreExactAndOrderFree() throws {
        let one = try study(threads: 1)
        let sink = MemorySink()
        let whole = try one.run(chunks: 0..<one.plan.chunkCount, sampleSink: sink)
        let lines = sink.text.withLock { $0 }.split(separator: "\n")
        let header = one.samplesHeader
        let rows = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == one.settings.samples)
        for (target, count) in zip(one.targets, whole.targets) {
            let c = target.condition
            let column = try #require(header.firstIndex(of: "\(c.metric.rawValue)_\(c.market)_\(c.year)"))
            let values = rows.compactMap { Double($0[column]) }
            #expect(count.evaluated == UInt64(values.count))
            #expect(count.met == UInt64(values.filter { c.comparison.holds($0, c.threshold) }.count))
            #expect(count.met > 0 && count.met < count.evaluated, "a target every sample meets, or none, tests little")
        }
        let two = try study(threads: 2)
        #expect(try two.run(chunks: 0..<two.plan.chunkCount).targets == whole.targets)
        var sharded = try two.run(chunks: 0..<1)
        for archive in [try two.run(chunks: 1..<2), try two.run(chunks: 2..<3)].map({ StudyArchive(manifest: two.archiveManifest(scenarioSHA256: "", shard: 0, of: 1, completedThrough: 3), scenarioText: "", state: $0) }) {
            let read = try StudyArchive(bytes: try archive.encoded(), name: "shard")
            try read.merge(into: &sharded, targetOrder: read.manifest.targets)
        }
        #expect(sharded.targets == whole.targets)
    }

    /// The exceedance curve, read off the histogram, agrees with the exact count at the target
    /// within the histogram's resolution, and marks the target at its exact probability.
    @Test func exceedanceCurveAgreesWithTheCount() throws {
        let study = try study(threads: 2, samples: 20_000)
        let state = try study.run(chunks: 0..<study.plan.chunkCount)
        let chart = study.exceedanceChart(state, market: "total", references: [])
        let exact = state.targets[0].probability.estimate
        let marked = try #require(chart.points.first { $0.label == "target (exact count)" })
        #expect(marked.x == 4.34 && marked.y == exact)
        #expect(zip(chart.x, chart.x.dropFirst()).allSatisfy { $0 <= $1 })
        // The curve at 4.34, interpolated between its points.
        let values = chart.lines[0].values
        let i = try #require(chart.x.firstIndex { $0 >= 4.34 })
        let read = values[i - 1] + (values[i] - values[i - 1]) * (4.34 - chart.x[i - 1]) / (chart.x[i] - chart.x[i - 1])
        #expect(abs(read - exact) < 0.006, "curve \(read), exact \(exact)")
    }
}
