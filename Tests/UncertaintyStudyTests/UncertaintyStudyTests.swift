import Foundation
import Sampling
import Scenario
import Synchronization
import Testing
@testable import RoadmapModel
import StudyOutputs
@testable import UncertaintyStudy

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func setup(_ name: String = "cns") throws -> ModelSetup {
    try ModelSetup(scenario: Scenario.load(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/\(name).yaml").path))
}

/// Collects samples.csv text in memory, in the order the study writes it.
final class MemorySink: SampleSink, @unchecked Sendable {
    let text = Mutex("")
    func write(_ chunk: String) { text.withLock { $0 += chunk } }
}

struct DeterminismTests {
    /// Three chunks (the last one short), every sampler: 1 and 2 threads and a repeat give the same bands.
    @Test(arguments: SamplerKind.allCases)
    func threadCountNeverChangesTheBands(sampler: SamplerKind) throws {
        let model = try setup()
        let samples = 2 * StudySettings.chunkSize + 300
        let one = try MonteCarloStudy(setup: model, settings: StudySettings(samples: samples, seed: 7, sampler: sampler, threads: 1))
        let two = try MonteCarloStudy(setup: model, settings: StudySettings(samples: samples, seed: 7, sampler: sampler, threads: 2))
        let a = try one.run(chunks: 0..<one.plan.chunkCount)
        let b = try two.run(chunks: 0..<two.plan.chunkCount)
        let c = try two.run(chunks: 0..<two.plan.chunkCount)
        #expect(a.statistics.serialized() == b.statistics.serialized())
        #expect(b.statistics.serialized() == c.statistics.serialized())
        #expect(one.bands(a) == two.bands(b))
    }

    /// More workers than the machine has cores (and worker counts that do not divide the chunks)
    /// give the bits of one worker: each chunk is evaluated and staged alone, whoever runs it.
    @Test func anyWorkerCountGivesTheSameBits() throws {
        let model = try setup()
        let target = try TargetCondition(parsing: "reduction total 2060 >= 4.34")
        let states = try [1, 3, 7, 16].map { threads in
            let study = try MonteCarloStudy(setup: model, settings: StudySettings(samples: 16 * StudySettings.chunkSize + 300, seed: 13, sampler: .mc,
                                                                                  threads: threads, targets: [target]))
            return (threads, try study.run(chunks: 0..<study.plan.chunkCount))
        }
        for (threads, state) in states.dropFirst() {
            #expect(state == states[0].1, "\(threads) workers against 1")
            #expect(state.statistics.serialized() == states[0].1.statistics.serialized(), "\(threads) workers against 1")
        }
    }

    @Test func shardsMergeToTheSameBits() throws {
        let model = try setup()
        let study = try MonteCarloStudy(setup: model, settings: StudySettings(samples: 3 * StudySettings.chunkSize + 10, seed: 3, threads: 2))
        let whole = try study.run(chunks: 0..<study.plan.chunkCount)
        var merged = try study.run(chunks: study.plan.chunks(shard: 0, of: 3))
        for shard in 1..<3 { merged.merge(try study.run(chunks: study.plan.chunks(shard: shard, of: 3))) }
        #expect(merged.statistics.serialized() == whole.statistics.serialized())
        #expect(merged.convergence.map { $0.serialized() } == whole.convergence.map { $0.serialized() })
    }

    @Test func anotherSeedGivesOtherNumbers() throws {
        let model = try setup()
        let a = try MonteCarloStudy(setup: model, settings: StudySettings(samples: 500, seed: 1))
        let b = try MonteCarloStudy(setup: model, settings: StudySettings(samples: 500, seed: 2))
        #expect(try a.run(chunks: 0..<1).statistics != b.run(chunks: 0..<1).statistics)
    }
}

struct BandAccuracyTests {
    /// Bands against the exact sample quantiles (type 7) of the very samples the run drew: a tracked
    /// series, and a market's value, whose bands are its sales' times the fixed price.
    @Test(arguments: [("reduction_total_2060", SeriesKey(market: "total", metric: .reduction)),
                      ("value_heating_2060", SeriesKey(market: "heating", metric: .value))])
    func percentilesMatchExactSampleQuantiles(column name: String, key: SeriesKey) throws {
        let model = try setup()
        let study = try MonteCarloStudy(setup: model, settings: StudySettings(samples: 5000, seed: 11, sampler: .mc, threads: 2))
        #expect(study.scaledValues.count == model.scenario.markets.count)
        #expect(!study.tracked.contains { $0.key == SeriesKey(market: "heating", metric: .value) })
        let sink = MemorySink()
        let state = try study.run(chunks: 0..<study.plan.chunkCount, sampleSink: sink)
        let lines = sink.text.withLock { $0 }.split(separator: "\n")
        #expect(lines.count == 5000)
        let column = study.samplesHeader.firstIndex(of: name)!
        let values = lines.map { Double($0.split(separator: ",")[column])! }.sorted()
        let bands = study.bands(state).filter { $0.key == key && $0.year == 2060 }
        for p in [5.0, 25, 50, 75, 95] {
            let h = Double(values.count - 1) * p / 100
            let exact = values[Int(h)] + (h - h.rounded(.down)) * (values[min(Int(h) + 1, values.count - 1)] - values[Int(h)])
            let estimate = try #require(bands.first { $0.stat == percentileLabel(p) }).value
            #expect(abs(estimate - exact) / abs(exact) < 1e-3, "p\(p): \(estimate) vs exact \(exact)")
        }
        let mean = values.reduce(0, +) / Double(values.count)
        #expect(abs(bands.first { $0.stat == "mean" }!.value - mean) / mean < 1e-9)
    }

    /// A market's value is scaled from its sales only while its price cannot vary: with its value
    /// factor pinned at 1.1 it is tracked, and its bands are 1.1 times the scaled ones.
    @Test func valuesWithAVaryingPriceAreTracked() throws {
        let model = try setup()
        let settings = StudySettings(samples: 3000, seed: 4)
        let scaled = try MonteCarloStudy(setup: model, settings: settings)
        let pinned = try MonteCarloStudy(setup: model, settings: settings, pins: [model.slot(for: .path(market: 0, .value)): 1.1])
        let value = SeriesKey(market: "heating", metric: .value)
        #expect(Array(pinned.scaledValues.keys) == [model.catalog.computedIndex(of: SeriesKey(market: "hotwater", metric: .value))!])
        #expect(pinned.tracked.contains { $0.key == value } && !scaled.tracked.contains { $0.key == value })
        let bands = try [scaled, pinned].map { study in
            study.bands(try study.run(chunks: 0..<study.plan.chunkCount)).filter { $0.key == value && $0.year == 2050 }
        }
        #expect(bands[0].count == 8 && bands[1].count == 8)
        for (a, b) in zip(bands[0], bands[1]) where a.stat.hasPrefix("p") || a.stat == "mean" {
            #expect(abs(b.value / (1.1 * a.value) - 1) < 2e-3, "\(a.stat): \(b.value) vs 1.1 × \(a.value)")
        }
    }

    /// Segment bands are the market's bands times the fixed share.
    @Test func segmentBandsScaleTheirMarket() throws {
        let model = try setup()
        let study = try MonteCarloStudy(setup: model, settings: StudySettings(samples: 600, seed: 5))
        let bands = study.bands(try study.run(chunks: 0..<1))
        let market = bands.filter { $0.key == SeriesKey(market: "hotwater", metric: .reduction) && $0.year == 2060 }
        let household = bands.filter { $0.key == SeriesKey(market: "hotwater", segment: "household", metric: .reduction) && $0.year == 2060 }
        #expect(market.count == 8 && household.count == 8)
        for (m, h) in zip(market, household) { #expect(abs(h.value - 0.5731 * m.value) < 1e-12 * abs(m.value)) }
    }

    /// Each tracked series' band is computed once, on any number of threads, and is what the
    /// accumulator reads for that series: every row (a segment's and a value's with a fixed price,
    /// scaled from its source, too) has the bits of the statistic read for its row alone.
    @Test func bandsComputedOnceAreEachRowsOwn() throws {
        let model = try setup()
        let study = try MonteCarloStudy(setup: model, settings: StudySettings(samples: 9000, seed: 5, threads: 2))
        let state = try study.run(chunks: 0..<study.plan.chunkCount)
        let statistics = state.statistics
        let rows = study.bands(state)
        for threads in [1, 3] {
            #expect(study.bands(statistics, computed: study.seriesBands(statistics, threads: threads)).map(\.value.bitPattern)
                    == rows.map(\.value.bitPattern))
        }
        let probabilities = study.settings.percentiles.map { $0 / 100 }
        var at = 0, scaled = 0
        for series in model.catalog.reported where MonteCarloStudy.trackedMetrics.contains(series.key.metric) {
            for y in model.catalog.years.indices {
                guard let (t, scale) = study.trackedSource(of: series, year: y) else { continue }
                let own = statistics.quantiles(series: t, probabilities: probabilities).map { $0.value * scale }
                    + [statistics.mean(series: t) * scale, statistics.standardDeviation(series: t) * scale, statistics.standardError(series: t) * scale]
                #expect(rows[at..<at + own.count].allSatisfy { $0.key == series.key && $0.year == model.catalog.years[y] })
                #expect(rows[at..<at + own.count].map(\.value.bitPattern) == own.map(\.bitPattern), "\(series.key) \(model.catalog.years[y])")
                at += own.count
                if scale != 1 { scaled += 1 }
            }
        }
        #expect(at == rows.count && scaled > 100)
    }

    /// The central sample through the study's own input mapping is the projection.
    @Test func centralInputsReproduceTheProjection() throws {
        let model = try setup()
        let mapping = try InputMapping(setup: model)
        let kernel = ModelKernel(setup: model, lanes: 4, varyingSlots: mapping.varyingSlots)
        kernel.evaluate(count: 4)
        let projection = Projection(setup: model)
        let years = model.yearCount
        for (s, series) in projection.values.enumerated() {
            for (y, value) in series.enumerated() { #expect(kernel.outputs[(s * years + y) * 4 + 2] == value) }
        }
    }
}

struct SettingsTests {
    @Test func badSettingsNameTheirSubject() throws {
        let model = try setup()
        for (settings, subject) in [(StudySettings(samples: 0), StudyError.Subject.sampleCount), (StudySettings(samples: 10, threads: 0), .threads),
                                   (StudySettings(samples: 10, percentiles: [0, 50]), .percentiles)] {
            do {
                _ = try MonteCarloStudy(setup: model, settings: settings)
                Issue.record("expected an error for \(subject)")
            } catch let error as StudyError {
                #expect(error.subject == subject)
            }
        }
    }
}

struct ObservedBaseYearBandTests {
    /// Every sample keeps the observed base year: its sales' and value's percentiles and mean are the
    /// anchors (the total: their sums) exactly and their deviation is 0, while the installed base,
    /// which rests on assumed lifetimes and backcast growth, still varies.
    @Test(arguments: ["cns", "ngs"])
    func baseYearBandsAreTheObservedAnchors(scenario name: String) throws {
        let model = try setup(name)
        let study = try MonteCarloStudy(setup: model, settings: StudySettings(samples: 2 * StudySettings.chunkSize, seed: 5, threads: 2))
        let bands = study.bands(try study.run(chunks: 0..<study.plan.chunkCount))
        let base = model.scenario.baseYear
        func band(_ market: String, _ metric: Metric, _ stat: String, year: Int) throws -> Double {
            try #require(bands.first { $0.key == SeriesKey(market: market, metric: metric) && $0.year == year && $0.stat == stat }).value
        }
        var totals: [Metric: Double] = [:]
        for market in model.scenario.markets {
            for (metric, anchors) in [(Metric.sales, market.sales.anchors), (.value, market.value)] {
                let anchor = try #require(anchors.first { $0.year == base })
                #expect(anchor.observed)
                totals[metric, default: 0] += anchor.value.value
                for stat in ["p5", "p25", "p50", "p75", "p95", "mean"] {
                    let value = try band(market.name, metric, stat, year: base)
                    #expect(value == anchor.value.value, "\(name) \(market.name) \(metric) \(stat): \(value)")
                }
                #expect(try band(market.name, metric, "sd", year: base) == 0, "\(name) \(market.name) \(metric)")
                #expect(try band(market.name, metric, "p95", year: model.scenario.horizon) > 1.1 * band(market.name, metric, "p5", year: model.scenario.horizon))
            }
            #expect(try band(market.name, .stock, "p95", year: base) > 1.05 * band(market.name, .stock, "p5", year: base))
        }
        for (metric, sum) in totals {
            for stat in ["p5", "p25", "p50", "p75", "p95", "mean"] {
                #expect(try band("total", metric, stat, year: base) == sum, "\(name) total \(metric) \(stat)")
            }
            #expect(try band("total", metric, "sd", year: base) == 0, "\(name) total \(metric)")
        }
    }
}

struct SettingsLimitTests {
    @Test func samplesPercentilesAndSobolLimits() {
        func subject(_ settings: StudySettings) -> StudyError.Subject? {
            do { try settings.validate() } catch { return error.subject }
            return nil
        }
        #expect(subject(StudySettings(samples: StudySettings.maximumSamples, sampler: .mc)) == nil)
        #expect(subject(StudySettings(samples: StudySettings.maximumSamples + 1, sampler: .mc)) == .sampleCount)
        #expect(subject(StudySettings(samples: Int.max, sampler: .lhs)) == .sampleCount)
        #expect(subject(StudySettings(samples: 1 << 32, sampler: .sobol)) == nil)
        #expect(subject(StudySettings(samples: (1 << 32) + 1, sampler: .sobol)) == .sampleCount)
        for percentiles in [[50, 50], [95, 5], [], [5, 100], [.nan]] as [[Double]] {
            #expect(subject(StudySettings(samples: 10, percentiles: percentiles)) == .percentiles, "\(percentiles)")
        }
        #expect(subject(StudySettings(samples: 10, percentiles: [0.5, 50, 99.5])) == nil)
    }
}

/// Every count and index a file gives is checked against the plan it describes.
struct ArchiveDecodingTests {
    func archive() throws -> (StudyArchive, MonteCarloStudy) {
        let study = try MonteCarloStudy(setup: setup(), settings: StudySettings(samples: 5000))
        let state = try study.run(chunks: study.plan.chunks(shard: 1, of: 2))
        let manifest = study.archiveManifest(scenarioSHA256: "x", shard: 1, of: 2, completedThrough: study.plan.chunks(shard: 1, of: 2).upperBound)
        return (StudyArchive(manifest: manifest, scenarioText: "", state: state), study)
    }

    func decodingProblem(_ original: StudyArchive, _ change: (inout StudyArchive.Manifest) -> Void) throws -> String? {
        var archive = original
        change(&archive.manifest)
        do {
            _ = try StudyArchive(bytes: archive.encoded(), name: "f.hpmc")
            return nil
        } catch {
            #expect(error.file == "f.hpmc")
            return error.problem
        }
    }

    @Test func outOfRangeCountsAreRefused() throws {
        let (original, _) = try archive()
        #expect(try decodingProblem(original) { _ in } == nil)
        let cases: [(String, (inout StudyArchive.Manifest) -> Void)] = [
            ("completed through chunk 9", { $0.completedThrough = 9 }),
            ("completed through chunk -1", { $0.completedThrough = -1 }),
            ("completed through chunk 0,", { $0.completedThrough = 0 }),        // below the shard's first chunk, 1
            ("shard 5 of 2", { $0.shard = 5 }),
            ("shard -1 of 2", { $0.shard = -1 }),
            ("shard 1 of 0", { $0.shardCount = 0 }),
            ("samples 0 outside", { $0.samples = 0 }),
            ("samples \(Int.max) outside", { $0.samples = .max }),
            ("chunk size 0", { $0.chunkSize = 0 }),
            ("chunks 0..<3 are not shard 1 of 2's 1..<3", { $0.chunkStart = 0 }),
        ]
        for (fragment, change) in cases {
            let problem = try decodingProblem(original, change)
            #expect(problem?.contains(fragment) == true, "\(fragment): \(problem ?? "accepted")")
        }
    }

    @Test func stateWithoutItsConvergenceSectionsIsRefused() throws {
        let (archive, study) = try archive()
        var state = try archive.state()
        #expect(throws: Never.self) { try study.check(state, file: "f.hpmc") }
        state.convergence.removeLast()
        #expect(throws: ArchiveError(file: "f.hpmc", problem: "1 convergence sections where the study has 2 (or their layout differs)")) {
            try study.check(state, file: "f.hpmc")
        }
    }
}

struct MemoryEstimateTests {
    /// What a checkpoint saves after a round (each worker's staged values counted into its state
    /// first) is the state of a run of exactly the chunks done so far, and asking for it changes
    /// nothing of the run's own result: one thread and two, in rounds of a chunk a worker.
    @Test func roundStatesAreRunsOfTheChunksDoneSoFar() throws {
        let model = try setup()
        for threads in [1, 2] {
            let study = try MonteCarloStudy(setup: model, settings: StudySettings(samples: 20 * StudySettings.chunkSize + 100, seed: 3, threads: threads))
            var snapshots: [(done: Range<Int>, state: StudyState)] = []
            let final = try study.run(chunks: 0..<study.plan.chunkCount, roundDuration: .zero) { done, current in snapshots.append((done, current())) }
            #expect(snapshots.count >= 3, "\(threads) threads")
            for snapshot in snapshots {
                #expect(try snapshot.state == study.run(chunks: snapshot.done), "\(threads) threads, \(snapshot.done)")
            }
            #expect(try final == study.run(chunks: 0..<study.plan.chunkCount), "\(threads) threads")
        }
    }

    /// The estimate adds up the layout's bins (32-bit), the convergence checkpoints' and the staged
    /// 16-bit slots (four chunks per series) with the 2 MiB their huge pages' alignment may reserve
    /// (they are above 2 MiB here), counted here from the layout independently.
    @Test func bytesPerWorkerCountsBinsAndStagedSlots() throws {
        let study = try MonteCarloStudy(setup: setup(), settings: StudySettings(samples: 3000))
        let bins = (0..<study.layout.seriesCount).map { study.layout.binCount(series: $0) }.reduce(0, +) * 4
        let headline = (0..<study.headlineLayout.seriesCount).map { study.headlineLayout.binCount(series: $0) }.reduce(0, +) * 4
        let slots = study.layout.seriesCount * 4 * StudySettings.chunkSize * 2 + (1 << 21)
        #expect(slots > 2 << 21)
        #expect(study.bytesPerWorker == bins + 2 * headline + slots)
        #expect(study.bytesPerWorker > 20_000_000 && study.bytesPerWorker < 100_000_000)   // the README's ~19 MB touched + 14 MB staged
    }

    @Test func shortageIsThrownOnlyAboveWhatTheMachineHas() throws {
        #expect(throws: Never.self) { try MemoryShortage.check(bytesPerWorker: 100, workers: 2, mergedBytes: 50, available: 250) }
        #expect(throws: Never.self) { try MemoryShortage.check(bytesPerWorker: 100, workers: 2, mergedBytes: 50, available: nil) }
        do {
            _ = try MemoryShortage.check(bytesPerWorker: 4_221_908_712, workers: 2, mergedBytes: 4_221_908_712, available: 8_000_000_000)
            Issue.record("expected a shortage")
        } catch {
            #expect(error.neededBytes == 3 * 4_221_908_712)
            #expect(error.description.contains("~4.2 GB") && error.description.contains("× 2 workers")
                && error.description.contains("= 12.7 GB") && error.description.contains("allows 8.0 GB"), "\(error)")
        }
    }
}

struct PilotRangeTests {
    /// Values beyond half the largest double widen to the largest double, not to infinity (which
    /// the histogram geometry cannot take); ordinary ranges still widen by two each way.
    @Test func widenedRangesStayFinite() {
        let top = widened(lower: 1e308, upper: 1.7e308)
        #expect(top.lower == 5e307 && top.upper == .greatestFiniteMagnitude && top.isValid)
        let bottom = widened(lower: -1.7e308, upper: -1e308)
        #expect(bottom.lower == -.greatestFiniteMagnitude && bottom.upper == -5e307 && bottom.isValid)
        let ordinary = widened(lower: -3, upper: 5)
        #expect(ordinary.lower == -6 && ordinary.upper == 10)
    }
}
