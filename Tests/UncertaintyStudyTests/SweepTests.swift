import Testing
import Scenario
@testable import RoadmapModel
@testable import UncertaintyStudy

struct SweepTests {
    @Test func gridPointsAndPins() throws {
        let model = try setup()
        let grid = try SweepGrid(specifications: ["cop_heating=0.9:1.1:3", "grid@2060=0.05:0.2:2"], setup: model)
        #expect(grid.points.count == 6)
        #expect(grid.points[0] == [0.9, 0.05] && grid.points[1] == [0.9, 0.2] && grid.points[5] == [1.1, 0.2])
        let pins = grid.pins(point: 5)
        let copSlot = model.slot(for: .path(market: 0, .cop))
        #expect(pins[copSlot] == 1.1)                               // a factor input: central 1 × 1.1
        #expect(pins[model.slot(for: .gridAnchor(year: 2060))] == 0.2)
    }

    @Test func badGridsNameTheProblem() throws {
        let model = try setup()
        for (specs, fragment) in [(["nothing=0:1:3"], "unknown name"), (["cop_heating=1:0:3"], "above"),
                                  (["cop_heating=0:1:1"], "at least 2"), (["cop_heating=0:1"], "NAME=LO:HI:STEPS"),
                                  (["cop_heating=0:1:2", "cop_heating=0:1:2"], "twice"),
                                  (["grid_2060=0.1:0.2:2", "grid@2060=0.1:0.2:2"], "same model quantity"),
                                  (["cop_heating=0:1:1e300"], "at most 10000"),
                                  (["cop_heating=0:1:100", "grid_2060=0.1:0.2:101"], "10100 grid points; at most 10000")] {
            do {
                _ = try SweepGrid(specifications: specs, setup: model)
                Issue.record("expected an error for \(specs)")
            } catch {
                #expect(error.option == "--grid")
                #expect(error.message.contains(fragment), "\(error)")
            }
        }
    }

    /// Common random numbers: pinning one input leaves every other input's draws unchanged, so a
    /// higher space-heating COP can only raise each sample's heating reduction, never lower it.
    @Test func pinnedPointsShareTheOtherDraws() throws {
        let model = try setup()
        let grid = try SweepGrid(specifications: ["cop_heating=0.9:1.1:2"], setup: model)
        let low = try MonteCarloStudy(setup: model, settings: StudySettings(samples: 300, seed: 3, sampler: .mc), pins: grid.pins(point: 0))
        let high = try MonteCarloStudy(setup: model, settings: StudySettings(samples: 300, seed: 3, sampler: .mc), pins: grid.pins(point: 1))
        let (a, b) = (MemorySink(), MemorySink())
        _ = low.run(chunks: 0..<1, sampleSink: a)
        _ = high.run(chunks: 0..<1, sampleSink: b)
        let column = low.samplesHeader.firstIndex(of: "reduction_heating_2060")!
        let lowRows = a.text.withLock { $0 }.split(separator: "\n"), highRows = b.text.withLock { $0 }.split(separator: "\n")
        let grid2060 = low.samplesHeader.firstIndex(of: "grid_2060")!
        for (l, h) in zip(lowRows, highRows) {
            let lf = l.split(separator: ","), hf = h.split(separator: ",")
            #expect(lf[grid2060] == hf[grid2060])
            #expect(Double(hf[column])! > Double(lf[column])!)
        }
    }
}

struct ReferenceRankTests {
    @Test func roadmapFiguresRankInsideTheirBands() throws {
        let model = try setup()
        let study = try MonteCarloStudy(setup: model, settings: StudySettings(samples: 4096, seed: 2, threads: 2))
        let state = study.run(chunks: 0..<study.plan.chunkCount)
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/roadmap_reference.csv"), encoding: .utf8)
        let comparison = try study.rankReferences(text, file: "roadmap_reference.csv", state: state)
        let reduction = comparison.ranks.filter { $0.key == SeriesKey(market: "total", metric: .reduction) && $0.year == 2060 }
        #expect(reduction.count == 1)
        #expect((5...95).contains(reduction[0].percentileRank) && reduction[0].insideP5P95)
        #expect(reduction[0].fields["status"] == "published")
        #expect(comparison.skipped.contains { $0.reason.contains("unlabelled") })
    }

    @Test func unknownMetricsAndMarketsAreErrors() throws {
        let model = try setup()
        let study = try MonteCarloStudy(setup: model, settings: StudySettings(samples: 100))
        let state = study.run(chunks: 0..<1)
        let header = "scenario,market,segment,metric,year,value\n"
        #expect(throws: InputError.self) { try study.rankReferences(header + "CNS,heating,all,happiness,2060,1\n", file: "r.csv", state: state) }
        #expect(throws: InputError.self) { try study.rankReferences(header + "CNS,cooling,all,reduction,2060,1\n", file: "r.csv", state: state) }
        #expect(throws: InputError.self) { try study.rankReferences(header + "CNS,heating,all,reduction,2070,1\n", file: "r.csv", state: state) }
    }
}
