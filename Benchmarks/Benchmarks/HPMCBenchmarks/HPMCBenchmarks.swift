import Benchmark
import Foundation
import ParallelRunner
import RoadmapModel
import Sampling
import Scenario
import Sensitivity
import StreamingStatistics
import StudyOutputs
import UncertaintyStudy

/// A shipped scenario, found relative to this file.
func shippedSetup(_ name: String) -> ModelSetup {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    return try! ModelSetup(scenario: Scenario.load(contentsOf: root.appendingPathComponent("Scenarios/\(name).yaml").path))
}

let cnsSetup = shippedSetup("cns"), ngsSetup = shippedSetup("ngs")

let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .peakMemoryResident, .instructions]

    // End to end: every tracked series and year into bands, as `hpmc run` does (without writing files).
    // Throughput is in runs/s; one run is `samples` samples.
    for threads in [1, 2] {
        let samples = 1_000_000
        Benchmark("run CNS 1M samples, \(threads) thread(s)",
                  configuration: .init(metrics: metrics, maxDuration: .seconds(30), maxIterations: 5)) { benchmark in
            let study = try MonteCarloStudy(setup: cnsSetup, settings: StudySettings(samples: samples, seed: 1, threads: threads))
            benchmark.startMeasurement()
            blackHole(try study.run(chunks: 0..<study.plan.chunkCount))
        }
    }

    // A focused run: the reduction only (`hpmc run --metrics reduction`), 2 threads.
    Benchmark("run CNS 1M samples, reduction only, 2 threads",
              configuration: .init(metrics: metrics, maxDuration: .seconds(30), maxIterations: 5)) { benchmark in
        let settings = StudySettings(samples: 1_000_000, seed: 1, threads: 2, focus: StudyFocus(metrics: [.reduction]))
        let study = try MonteCarloStudy(setup: cnsSetup, settings: settings)
        benchmark.startMeasurement()
        blackHole(try study.run(chunks: 0..<study.plan.chunkCount))
    }

    // `hpmc compare NGS CNS`: two model evaluations per pair, A's and B's reductions, the difference
    // and ratio of every series (without writing files).
    Benchmark("compare NGS vs CNS 1M pairs, 2 threads", configuration: .init(metrics: metrics, maxDuration: .seconds(60), maxIterations: 5)) { benchmark in
        let comparison = try PairedComparison(a: ngsSetup, b: cnsSetup, settings: StudySettings(samples: 1_000_000, seed: 1, threads: 2))
        benchmark.startMeasurement()
        blackHole(try comparison.run())
    }

    // `hpmc sweep` over a 10 × 10 grid, 20,000 samples per point: each point's study (its pilot
    // chunk), its run on the reused workers and, as the command writes them, the whole markets' bands
    // in the reported year, the only year the command tracks.
    Benchmark("sweep CNS 100 points x 20,000 samples, 2 threads", configuration: .init(metrics: metrics, maxDuration: .seconds(60), maxIterations: 5)) { benchmark in
        let grid = try SweepGrid(specifications: ["cop_heating=0.85:1.15:10", "grid_2060=0.02:0.25:10"], setup: cnsSetup)
        let year = cnsSetup.catalog.years.last!
        let settings = StudySettings(samples: 20_000, seed: 1, threads: 2, focus: StudyFocus(years: [year]))
        benchmark.startMeasurement()
        try grid.run(setup: cnsSetup, settings: settings) { _, study, state in
            blackHole(study.bands(state, years: [year], segment: Names.all))
        }
    }

    // The kernel alone: one block of lanes with every uncertain slot varying, writing what a Monte
    // Carlo worker's kernel writes (the markets' series, no emission rows).
    Benchmark("kernel call (\(StudySettings.kernelLanes) samples)", configuration: .init(metrics: metrics, maxDuration: .seconds(5))) { benchmark in
        let mapping = try InputMapping(setup: cnsSetup)
        let written = KernelOutputs(metrics: MonteCarloStudy.trackedMetrics)
        let kernel = ModelKernel(setup: cnsSetup, lanes: StudySettings.kernelLanes, varyingSlots: mapping.varyingSlots,
                                 written: written, totals: false)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { kernel.evaluate(count: StudySettings.kernelLanes); blackHole(kernel.outputs[0]) }
    }

    // The samplers: one chunk of uniforms for the CNS inputs.
    for kind in SamplerKind.allCases {
        Benchmark("sampler \(kind.rawValue) chunk (\(StudySettings.chunkSize) samples)", configuration: .init(metrics: metrics, maxDuration: .seconds(5))) { benchmark in
            let mapping = try InputMapping(setup: cnsSetup)
            let sampler = try UniformSampler(kind: kind, seed: 1, dimensionKeys: mapping.dimensionKeys)
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: mapping.count * StudySettings.chunkSize)
            defer { buffer.deallocate() }
            benchmark.startMeasurement()
            for i in benchmark.scaledIterations { sampler.fill(firstIndex: i * StudySettings.chunkSize, count: StudySettings.chunkSize, into: buffer) }
            blackHole(buffer[0])
        }
    }

    // The statistics updates: one chunk of every tracked series, staged and committed.
    Benchmark("statistics chunk update (all tracked series)", configuration: .init(metrics: metrics, maxDuration: .seconds(5))) { benchmark in
        let study = try MonteCarloStudy(setup: cnsSetup, settings: StudySettings(samples: StudySettings.chunkSize))
        var accumulator = try StatisticsAccumulator(layout: study.layout)
        let staging = try HistogramStaging(layout: study.layout, capacity: StudySettings.chunkSize)
        // Values spread over each series' pilot range, made before the clock starts.
        let count = StudySettings.chunkSize
        let values = study.layout.ranges.map { range in
            let low = range.lower * 2 < range.upper / 2 ? range.lower * 2 : range.lower
            return (0..<count).map { low + (range.upper / 2 - low) * Double(($0 &* 7919) % count) / Double(count) }
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for (t, series) in zip(study.layout.seriesIndices, values) {
                series.withUnsafeBufferPointer { staging.append(series: t, values: $0) }
            }
            accumulator.commit(staging)
        }
        blackHole(accumulator)
    }

    // Sobol' indices of the CNS 2060 total reduction over all its uncertain inputs, N = 2^14 base samples,
    // with the default asymptotic (delta-method) intervals.
    Benchmark("sobol indices CNS N=2^14", configuration: .init(metrics: metrics, maxDuration: .seconds(60), maxIterations: 3)) { benchmark in
        let mapping = try InputMapping(setup: cnsSetup)
        let target = ModelEvaluator.Target(market: "total", metric: .reduction, year: 2060)
        let design = try SobolDesign(inputNames: mapping.names, baseSamples: 1 << 14, seed: 1)
        benchmark.startMeasurement()
        blackHole(try sobolIndices(design, threads: 2) { _ in try! ModelEvaluator(setup: cnsSetup, mapping: mapping, target: target) })
    }

    // The same in every year of the scenario from one set of model runs, as `hpmc sensitivity --years all`
    // (asymptotic intervals; `.bootstrap(BootstrapOptions())`, as `--intervals bootstrap`, costs about ten times this).
    Benchmark("sobol indices CNS N=2^14, every year", configuration: .init(metrics: metrics, maxDuration: .seconds(60), maxIterations: 3)) { benchmark in
        let mapping = try InputMapping(setup: cnsSetup)
        let target = ModelEvaluator.Target(market: "total", metric: .reduction, years: cnsSetup.catalog.years)
        let design = try SobolDesign(inputNames: mapping.names, baseSamples: 1 << 14, seed: 1)
        benchmark.startMeasurement()
        blackHole(try sobolIndicesPerOutput(design, threads: 2) { _ in try! ModelEvaluator(setup: cnsSetup, mapping: mapping, target: target) })
    }

    // Merging 100 shard files' statistics (decoded) into one.
    Benchmark("merge 100 shards", configuration: .init(metrics: metrics, maxDuration: .seconds(10), maxIterations: 5)) { benchmark in
        let study = try MonteCarloStudy(setup: cnsSetup, settings: StudySettings(samples: 100 * StudySettings.chunkSize, threads: 2))
        let archives = try (0..<100).map { shard in
            let state = try study.run(chunks: study.plan.chunks(shard: shard, of: 100))
            return (path: "shard-\(shard)", archive: StudyArchive(
                manifest: study.archiveManifest(scenarioSHA256: "x", shard: shard, of: 100, completedThrough: study.plan.chunks(shard: shard, of: 100).upperBound),
                scenarioText: "", state: state))
        }
        let files = try archives.map { try $0.archive.encoded() }
        benchmark.startMeasurement()
        blackHole(try ShardMerge.merge(files.indices.map { "\($0)" }, threads: 2) { name throws(ArchiveError) in
            try StudyArchive(bytes: files[Int(name)!], name: name)
        })
    }
}
