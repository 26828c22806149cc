import Foundation
import Scenario
@testable import StreamingStatistics
import Testing
@testable import RoadmapModel
import StudyOutputs
@testable import UncertaintyStudy

/// CNS with both saturation levels and both markets' heat per unit drawn from a lognormal of the
/// given sigma (0.15 and a truncated normal of sd 0.10 in the file): outputs spread over orders of
/// magnitude, mostly outside the pilot's range. (Saturation alone no longer reaches that far: the
/// anchored logistic grows at most exponentially from its observed base year.)
func heavyTailedSetup(sigma: Double) throws -> ModelSetup {
    let path = repositoryRoot.appendingPathComponent("Scenarios/cns.yaml").path
    let inputs = ["saturation_heating", "saturation_hotwater", "heat_per_unit_heating", "heat_per_unit_hotwater"]
    var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
    var input: String? = nil, replaced = 0
    for i in lines.indices {
        if let name = lines[i].range(of: "- name: ") { input = String(lines[i][name.upperBound...]) }
        if let input, inputs.contains(input), let key = lines[i].range(of: "distribution: ") {
            lines[i] = String(lines[i][..<key.upperBound]) + "{type: lognormal, mu: 0, sigma: \(sigma)}"
            replaced += 1
        }
    }
    #expect(replaced == inputs.count)
    return try ModelSetup(scenario: Scenario.parse(text: lines.joined(separator: "\n"), file: path))
}

struct HeavyTailTests {
    /// Bands against the exact type-7 quantiles of the run's own samples, whatever the spread.
    @Test(arguments: [1.5, 2, 3])
    func bandsMatchExactSampleQuantiles(sigma: Double) throws {
        let study = try MonteCarloStudy(setup: heavyTailedSetup(sigma: sigma), settings: StudySettings(samples: 8000, seed: 1, threads: 2))
        let sink = MemorySink()
        let state = try study.run(chunks: 0..<study.plan.chunkCount, sampleSink: sink)
        #expect(study.seriesBands(state.statistics, threads: 2).unresolvedPercentiles == 0)
        let lines = sink.text.withLock { $0 }.split(separator: "\n")
        for (column, key) in [("sales_heating_2060", SeriesKey(market: "heating", metric: .sales)),
                              ("reduction_total_2060", SeriesKey(market: "total", metric: .reduction))] {
            let index = try #require(study.samplesHeader.firstIndex(of: column))
            let values = lines.map { Double($0.split(separator: ",")[index])! }.sorted()
            let bands = study.bands(state).filter { $0.key == key && $0.year == 2060 }
            for p in [5.0, 25, 50, 75, 95] {
                let h = Double(values.count - 1) * p / 100
                let exact = values[Int(h)] + (h - h.rounded(.down)) * (values[min(Int(h) + 1, values.count - 1)] - values[Int(h)])
                let estimate = try #require(bands.first { $0.stat == percentileLabel(p) }).value
                #expect(abs(estimate - exact) / abs(exact) <= 0x1p-10, "\(column) p\(p): \(estimate) vs exact \(exact)")
            }
        }
    }

    /// Saturation levels over tens of orders of magnitude (sigma 10): computed as K/(1 + e0), the base
    /// year lost digits to cancellation where K is far below S0 (sd 0.2 and 0.7); it is the observed
    /// figure in every sample all the same.
    @Test func extremeSaturationKeepsTheObservedBaseYear() throws {
        let model = try heavyTailedSetup(sigma: 10)
        let study = try MonteCarloStudy(setup: model, settings: StudySettings(samples: 2 * StudySettings.chunkSize, seed: 1, threads: 2))
        let bands = study.bands(try study.run(chunks: 0..<study.plan.chunkCount))
        let base = model.scenario.baseYear
        for market in model.scenario.markets {
            let observed = try #require(market.sales.anchors.first { $0.year == base && $0.observed }).value.value
            let rows = bands.filter { $0.key == SeriesKey(market: market.name, metric: .sales) && $0.year == base }
            #expect(rows.count == 8)
            for row in rows { #expect(row.value == (["sd", "se"].contains(row.stat) ? 0 : observed), "\(market.name) \(row.stat): \(row.value)") }
        }
    }

    /// Threads, shards and a resumed state (the first chunks through their serialized form, then the
    /// rest) give the same bytes with values spilled and sums gone wide (sigma 30: saturation
    /// levels over a hundred orders of magnitude).
    @Test func threadsShardsAndResumeGiveTheSameBits() throws {
        let model = try heavyTailedSetup(sigma: 30)
        let samples = 3 * StudySettings.chunkSize + 10
        let one = try MonteCarloStudy(setup: model, settings: StudySettings(samples: samples, seed: 3, threads: 1))
        let two = try MonteCarloStudy(setup: model, settings: StudySettings(samples: samples, seed: 3, threads: 2))
        let whole = try one.run(chunks: 0..<one.plan.chunkCount)
        let bytes = whole.statistics.serialized()
        #expect(!whole.statistics.spills.isEmpty && !whole.statistics.wideMoments.isEmpty)
        #expect(try two.run(chunks: 0..<two.plan.chunkCount).statistics.serialized() == bytes)
        var merged = try two.run(chunks: two.plan.chunks(shard: 2, of: 3))
        for shard in 0..<2 { merged.merge(try two.run(chunks: two.plan.chunks(shard: shard, of: 3))) }
        #expect(merged.statistics.serialized() == bytes)
        #expect(merged.convergence.map { $0.serialized() } == whole.convergence.map { $0.serialized() })
        var resumed = try StatisticsAccumulator(serialized: two.run(chunks: 0..<2).statistics.serialized())
        resumed.merge(try two.run(chunks: 2..<two.plan.chunkCount).statistics)
        #expect(resumed.serialized() == bytes)
        #expect(whole.statistics == (try StatisticsAccumulator(serialized: bytes)))
        #expect(one.bands(whole).allSatisfy { $0.value.isFinite })
    }

    /// Saturation levels up to infinity make non-finite outputs: each such sample counts once, in
    /// any split, at least as many as have one in the saved 2060 outputs or in any one series (the
    /// exact count is checked against rows in the staging tests).
    @Test func nonFiniteSamplesAreCountedOnce() throws {
        let study = try MonteCarloStudy(setup: heavyTailedSetup(sigma: 300), settings: StudySettings(samples: 3000, seed: 2, threads: 2))
        let sink = MemorySink()
        let state = try study.run(chunks: 0..<study.plan.chunkCount, sampleSink: sink)
        let total = study.nonFiniteSamples(state)
        let rows = sink.text.withLock { $0 }.split(separator: "\n")
        let outputs = study.samplesHeader.indices.filter { study.samplesHeader[$0].hasSuffix("_2060") }
        let withNonFinite = rows.filter { row in
            // A non-finite output is written as an empty cell.
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            return outputs.contains { $0 >= fields.count || !(Double(fields[$0])?.isFinite ?? false) }
        }.count
        #expect(withNonFinite > 0 && total >= UInt64(withNonFinite) && total < 3000)
        let worst = study.layout.seriesIndices.map { state.statistics.nonFiniteCount(series: $0) }.max()!
        #expect(total >= worst)
        var split = try study.run(chunks: 1..<study.plan.chunkCount)
        split.merge(try study.run(chunks: 0..<1))
        #expect(study.nonFiniteSamples(split) == total)
    }

    /// Every series' bands describe the same samples: those without a non-finite output in any
    /// series. Bit-identical for one thread or two, for shards and for a resumed run.
    @Test func nonFiniteSamplesLeaveEveryBand() throws {
        let settings = StudySettings(samples: 5000, seed: 2, threads: 2)
        let study = try MonteCarloStudy(setup: heavyTailedSetup(sigma: 300), settings: settings)
        let state = try study.run(chunks: 0..<study.plan.chunkCount)
        let left = study.nonFiniteSamples(state)
        #expect(left > 0 && left < 5000)
        for (t, series) in zip(study.layout.seriesIndices, study.tracked) {
            #expect(state.statistics.count(series: t) == 5000 - left, "\(series.key) \(series.year)")
        }
        #expect(study.layout.seriesIndices.contains { state.statistics.nonFiniteCount(series: $0) > 0 })
        #expect(study.layout.seriesIndices.contains { state.statistics.nonFiniteCount(series: $0) < left })
        var single = settings
        single.threads = 1
        let bytes = state.statistics.serialized()
        let one = try MonteCarloStudy(setup: heavyTailedSetup(sigma: 300), settings: single)
        #expect(try one.run(chunks: 0..<one.plan.chunkCount).statistics.serialized() == bytes)
        var merged = try study.run(chunks: study.plan.chunks(shard: 1, of: 2))
        merged.merge(try study.run(chunks: study.plan.chunks(shard: 0, of: 2)))
        #expect(merged.statistics.serialized() == bytes)
        #expect(merged.convergence.map { $0.serialized() } == state.convergence.map { $0.serialized() })
        var resumed = try StatisticsAccumulator(serialized: study.run(chunks: 0..<1).statistics.serialized())
        resumed.merge(try study.run(chunks: 1..<study.plan.chunkCount).statistics)
        #expect(resumed.serialized() == bytes)
    }
}
