import Foundation
import Scenario
import Testing
@testable import RoadmapModel
@testable import StreamingStatistics
@testable import UncertaintyStudy

struct PairedComparisonTests {
    /// A scenario against itself: every sample's difference is exactly zero and every ratio one.
    @Test func aScenarioComparedWithItselfDiffersByExactlyZero() throws {
        let model = try setup()
        let comparison = try PairedComparison(a: model, b: model, settings: StudySettings(samples: 3000, seed: 8, threads: 2))
        let statistics = try comparison.run().statistics
        let difference = statistics[PairedComparison.Band.difference.rawValue]
        for t in comparison.a.layout.seriesIndices {
            #expect(difference.minimum(series: t) == 0 && difference.maximum(series: t) == 0)
            #expect(difference.count(series: t) == 3000)
        }
        let ratio = statistics[PairedComparison.Band.ratio.rawValue]
        let total2060 = comparison.a.headlineIndices.last!
        #expect(ratio.minimum(series: total2060) == 1 && ratio.maximum(series: total2060) == 1)
    }

    /// A worker holds four bands: room for A's study alone (what its own check counted) is refused,
    /// room for the four bands is not.
    @Test func memoryIsCheckedForEveryBand() throws {
        let cns = try setup("cns"), ngs = try setup("ngs")
        let workers = 4
        var comparison = try PairedComparison(a: ngs, b: cns, settings: StudySettings(samples: workers * StudySettings.chunkSize, threads: workers))
        let oneBand = workers * comparison.a.bytesPerWorker + comparison.a.layout.binByteCount
        let shortage = #expect(throws: MemoryShortage.self) { try comparison.checkMemory(available: oneBand) }
        #expect(shortage?.workers == workers && shortage?.bytesPerWorker == comparison.bytesPerWorker)
        #expect(comparison.bytesPerWorker > 3 * comparison.a.bytesPerWorker)
        let everyBand = workers * comparison.bytesPerWorker + comparison.layouts.reduce(0) { $0 + $1.binByteCount }
        try comparison.checkMemory(available: everyBand)
    }

    /// CNS and NGS share the observed 2022 sales and values, and the installed base's inputs by name:
    /// B − A of every 2022 sales, value and stock series is 0 in every sample, each stat exactly 0.
    @Test func sharedObservedBaseYearDiffersByExactlyZero() throws {
        let cns = try setup("cns"), ngs = try setup("ngs")
        let comparison = try PairedComparison(a: ngs, b: cns, settings: StudySettings(samples: 3000, seed: 6, threads: 2))
        let statistics = try comparison.run().statistics
        let rows = comparison.a.bands(statistics[PairedComparison.Band.difference.rawValue], statPrefix: "diff_")
            .filter { $0.year == ngs.scenario.baseYear && [.sales, .value, .stock].contains($0.key.metric) }
        #expect(Set(rows.map(\.key.metric)) == [.sales, .value, .stock] && Set(rows.map(\.key.market)) == ["heating", "hotwater", "total"])
        for row in rows { #expect(row.value == 0, "\(row.key) \(row.stat): \(row.value)") }
    }

    /// A pair with a non-finite output in either scenario leaves every band of the comparison, and
    /// each band says how many pairs it left out; a target counts the other pairs, once each (the
    /// blocks holding such pairs are staged twice).
    @Test func pairsWithNonFiniteOutputsLeaveEveryBand() throws {
        let target = try TargetCondition(parsing: "reduction total 2060 >= 0")
        let comparison = try PairedComparison(a: try setup(), b: try heavyTailedSetup(sigma: 300),
                                              settings: StudySettings(samples: 3000, seed: 2, threads: 2, targets: [target]))
        let (statistics, targets) = try comparison.run()
        let left = statistics[0].nonFiniteSamples
        #expect(left > 0 && left < 3000)
        #expect(targets.count == 1 && targets[0].evaluated == 3000 - left)
        for (band, accumulator) in statistics.enumerated() {
            #expect(accumulator.nonFiniteSamples == left)
            for t in comparison.a.layout.seriesIndices {
                // A's and B's own bands keep only the series the headline and chart read.
                if band <= PairedComparison.Band.b.rawValue && !comparison.marginal[t.position] {
                    #expect(accumulator.count(series: t) == 0)
                    continue
                }
                // A ratio can be non-finite by itself (0 / 0), and is then left out of its series only.
                if band == PairedComparison.Band.ratio.rawValue {
                    #expect(accumulator.count(series: t) <= 3000 - left)
                } else {
                    #expect(accumulator.count(series: t) == 3000 - left)
                }
            }
        }
    }

    /// CNS and NGS share most inputs by name; pairing them removes the shared inputs' noise from the
    /// difference, so its 90 % interval is narrower than with independent draws.
    @Test func pairingNarrowsTheDifferenceBand() throws {
        let cns = try setup("cns"), ngs = try setup("ngs")
        let settings = StudySettings(samples: 6000, seed: 1, sampler: .mc, threads: 2)
        func width(independent: Bool) throws -> Double {
            let comparison = try PairedComparison(a: ngs, b: cns, settings: settings, independent: independent)
            let d = comparison.headline(try comparison.run().statistics).last!.difference
            return d.p95 - d.p5
        }
        let paired = try width(independent: false), independent = try width(independent: true)
        #expect(paired < 0.8 * independent, "paired \(paired) vs independent \(independent)")
    }

    /// Every band of a comparison, A's and B's included, has the same bits for one thread and two.
    @Test func threadCountNeverChangesTheComparison() throws {
        let cns = try setup("cns"), ngs = try setup("ngs")
        let statistics = try [1, 2].map { threads in
            try PairedComparison(a: ngs, b: cns, settings: StudySettings(samples: StudySettings.chunkSize + 300, seed: 4, threads: threads)).run().statistics
        }
        #expect(statistics[0] == statistics[1])
        let difference = statistics[0][PairedComparison.Band.difference.rawValue]
        #expect(difference.count(series: difference.layout.seriesIndices[0]) == UInt64(StudySettings.chunkSize + 300))
    }

    /// The difference's and ratio's layouts come from chunk 0's pairs: each pilot value lies inside
    /// its series' range, and most of NGS → CNS's differences are one-signed there, where the span
    /// of independent extremes straddled zero for every series. A layout only decides which values
    /// the fast pass takes: with the former layouts every count, extreme and percentile is the same
    /// and the moments agree to rounding.
    @Test func pairedPilotLayoutsKeepEveryPercentile() throws {
        let cns = try setup("cns"), ngs = try setup("ngs")
        var comparison = try PairedComparison(a: ngs, b: cns, settings: StudySettings(samples: 3 * StudySettings.chunkSize, seed: 3, threads: 2))
        let paired = try comparison.run().statistics
        let difference = PairedComparison.Band.difference.rawValue, ratio = PairedComparison.Band.ratio.rawValue
        let series = comparison.a.layout.seriesIndices
        let pilot = try PairedComparison(a: ngs, b: cns, settings: StudySettings(samples: StudySettings.chunkSize, seed: 3, threads: 1))
        for band in [difference, ratio] {
            let chunk0 = try pilot.run().statistics[band]
            for t in series where chunk0.count(series: t) > 0 {
                let range = comparison.layouts[band].ranges[t.position]
                #expect(range.lower <= chunk0.minimum(series: t) && chunk0.maximum(series: t) <= range.upper, "\(band) \(t.position)")
            }
        }
        let oneSigned = comparison.layouts[difference].ranges.filter { $0.lower > 0 || $0.upper < 0 }.count
        #expect(oneSigned > series.count / 2, "\(oneSigned) of \(series.count)")
        // The former layouts: from A's and B's own ranges, as if independent.
        let rangesA = comparison.a.layout.ranges, rangesB = comparison.b.layout.ranges
        comparison.layouts[difference] = HistogramLayout(ranges: zip(rangesA, rangesB).map { ra, rb in
            widened(lower: rb.lower - ra.upper, upper: rb.upper - ra.lower)
        })
        comparison.layouts[ratio] = HistogramLayout(ranges: zip(rangesA, rangesB).map { ra, rb in
            let bounds = [rb.lower / ra.upper, rb.lower / ra.lower, rb.upper / ra.lower, rb.upper / ra.upper].filter(\.isFinite)
            return widened(lower: bounds.min() ?? -1, upper: bounds.max() ?? 1)
        })
        #expect(comparison.layouts[difference].ranges.allSatisfy { $0.lower < 0 && $0.upper > 0 })
        let former = try comparison.run().statistics
        let probabilities = [0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999]
        for band in [difference, ratio] {
            for t in series {
                let (p, f) = (paired[band], former[band])
                #expect(p.count(series: t) == f.count(series: t) && p.nonFiniteCount(series: t) == f.nonFiniteCount(series: t))
                #expect(p.minimum(series: t) == f.minimum(series: t) && p.maximum(series: t) == f.maximum(series: t))
                #expect(p.quantiles(series: t, probabilities: probabilities).map(\.value) == f.quantiles(series: t, probabilities: probabilities).map(\.value),
                        "band \(band) series \(t.position)")
                let mean = p.mean(series: t), other = f.mean(series: t)
                #expect(abs(mean - other) <= 1e-12 * max(abs(mean), p.standardDeviation(series: t)), "band \(band) series \(t.position)")
            }
        }
    }

    /// B's kernel reads A's survival table where both draw the same lifetimes (NGS and CNS share
    /// theirs by name and distribution) and computes its own otherwise (CNS's lifetime made
    /// 10–20 years): either way B's outputs are those of B's kernel alone, in full batches and a
    /// short last one.
    @Test func sharedSurvivalGivesTheBitsOfB() throws {
        let ngs = try setup("ngs")
        let cnsText = try String(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/cns.yaml"), encoding: .utf8)
        let otherLifetime = try ModelSetup(scenario: Scenario.parse(text: cnsText.replacingOccurrences(
            of: "distribution: {type: uniform, min: 12, max: 18}", with: "distribution: {type: uniform, min: 10, max: 20}"), file: "cns-lifetime.yaml"))
        for (b, shares) in [(try setup("cns"), true), (otherLifetime, false)] {
            let comparison = try PairedComparison(a: ngs, b: b, settings: StudySettings(samples: 3000, seed: 5, threads: 1))
            let pair = PairedComparison.PairedEvaluators(comparison: comparison)
            let kernelA = pair.evaluators[0].kernel, kernelB = pair.evaluators[1].kernel
            let samples = 0..<(StudySettings.kernelLanes + 44)
            pair.draw(samples: samples)
            var paired: [[Double]] = [], shared: [Bool] = []
            pair.evaluate(samples) { _, _ in
                paired.append(Array(kernelB.outputs))
                shared.append(kernelB.lastSurvival?.table == kernelA.lastSurvival?.table)
            }
            var alone: [[Double]] = []
            pair.evaluators[1].evaluate(samples) { _, _ in alone.append(Array(kernelB.outputs)) }
            #expect(shared == [shares, shares], "\(b.scenario.name)")
            #expect(paired.count == 2 && paired == alone, "\(b.scenario.name)")
        }
    }

    /// A market segment is its market's series times a fixed share. Where A and B split the market
    /// alike, its B − A and B / A rows scale the market's (CNS against NGS); where they do not, its
    /// B − A rows are left out (no multiple of the market's difference) and its B / A rows are the
    /// market's times B's share over A's.
    @Test func segmentsSplitDifferentlyLeaveTheirDifferenceOut() throws {
        let cns = try setup("cns"), ngs = try setup("ngs")
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/cns.yaml"), encoding: .utf8)
        let split = try ModelSetup(scenario: Scenario.parse(text: text
            .replacingOccurrences(of: "{year: 2022, value: 0.71, source: \"assumption: the value split, for want of a published reduction split\"}",
                                  with: "{year: 2022, value: 0.5, source: \"assumption: x\"}")
            .replacingOccurrences(of: "{year: 2060, value: 0.774883, source: \"assumption: the value split\"}", with: "{year: 2060, value: 0.4, source: \"assumption: x\"}")
            .replacingOccurrences(of: "{year: 2022, value: 0.29, source: \"assumption: the value split\"}", with: "{year: 2022, value: 0.5, source: \"assumption: x\"}")
            .replacingOccurrences(of: "{year: 2060, value: 0.225117, source: \"assumption: the value split\"}", with: "{year: 2060, value: 0.6, source: \"assumption: x\"}"),
            file: "split.yaml"))
        #expect(try PairedComparison(a: ngs, b: cns, settings: StudySettings(samples: 10)).marketsSplitDifferently.isEmpty)
        let comparison = try PairedComparison(a: cns, b: split, settings: StudySettings(samples: 10))
        #expect(comparison.marketsSplitDifferently == ["heating"])
        let household = try #require(cns.catalog.reported.first { $0.key == SeriesKey(market: "heating", segment: "household", metric: .reduction) })
        let last = cns.catalog.years.count - 1
        #expect(comparison.segmentScale(of: household, year: last, ratio: false) == nil)
        let ratioScale = try #require(comparison.segmentScale(of: household, year: last, ratio: true))
        #expect(abs(ratioScale - 0.4 / 0.774883) < 1e-12)
        let heating = try #require(cns.catalog.reported.first { $0.key == SeriesKey(market: "heating", metric: .reduction) })
        #expect(comparison.segmentScale(of: heating, year: last, ratio: false) == 1)
    }

    @Test func differentHorizonsAreRefused() throws {
        let cns = try setup("cns")
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/cns.yaml"), encoding: .utf8)
        let other = try ModelSetup(scenario: Scenario.parse(text: text.replacingOccurrences(of: "2060", with: "2050"), file: "short.yaml"))
        let error = #expect(throws: StudyError.self) { try PairedComparison(a: cns, b: other, settings: StudySettings(samples: 10)) }
        #expect(error?.subject == .comparedScenarios && error?.message == "the scenarios cover different years (2022-2060 and 2022-2050)")
    }
}
