import Testing
import Scenario
@testable import RoadmapModel
import StudyOutputs
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

    /// Grid values are the decimal grid's, each the double nearest it (0.925 for 0.85:1.15:5, which
    /// binary arithmetic makes 0.9249999999999999), the ends exactly the given ones; beyond Decimal's
    /// range the grid is made in binary.
    @Test func gridValuesAreTheDecimalGrids() throws {
        let model = try setup()
        let grid = try SweepGrid(specifications: ["cop_heating=0.85:1.15:5", "grid@2060=0.02:0.25:10"], setup: model)
        #expect(grid.axes[0].values == [0.85, 0.925, 1.0, 1.075, 1.15])
        #expect(grid.axes[1].values.first == 0.02 && grid.axes[1].values.last == 0.25 && grid.axes[1].values[1] == 0.04555555555555556)
        let thirds: [Double] = [-1, -2.0 / 3, -1.0 / 3, 0, 1.0 / 3, 2.0 / 3, 1]
        #expect(SweepGrid.decimalGrid("-1", "1", steps: 7) == thirds)
        #expect(SweepGrid.decimalGrid("1e200", "2e200", steps: 3) == nil)
    }

    /// A sweep resets one set of workers from point to point: each point's state has the bits of a
    /// new study's run with that point's inputs pinned, and the bands are the same for one thread and two.
    @Test func reusedWorkersGiveTheBitsOfNewOnes() throws {
        let model = try setup()
        let grid = try SweepGrid(specifications: ["cop_heating=0.85:1.15:2", "grid@2060=0.02:0.25:2"], setup: model)
        var bands: [Int: [[BandRow]]] = [:]
        for threads in [1, 2] {
            let settings = StudySettings(samples: StudySettings.chunkSize + 300, seed: 3, threads: threads)
            var visited: [Int] = []
            var layouts: Set<Int> = []
            try grid.run(setup: model, settings: settings) { p, study, state in
                visited.append(p)
                layouts.insert(study.layout.totalBinCount)
                let fresh = try MonteCarloStudy(setup: model, settings: settings, pins: grid.pins(point: p))
                #expect(try state == fresh.run(chunks: 0..<fresh.plan.chunkCount), "point \(p), \(threads) threads")
                bands[threads, default: []].append(study.bands(state))
            }
            #expect(visited == Array(grid.points.indices))
            #expect(layouts.count > 1, "the points' layouts differ, so the workers' bins are reset to other sizes")
        }
        #expect(bands[1] == bands[2])
    }

    /// Each point's study is point 0's pinned again (`MonteCarloStudy.pinned`), its pilot run on an
    /// evaluator that piloted the points before it: the layout and state of a new study with those
    /// pins, here over several batches of points on one thread and two, with fewer samples than a chunk.
    @Test func pinnedStudiesAreNewOnes() throws {
        let model = try setup()
        let grid = try SweepGrid(specifications: ["grid@2060=0.02:0.25:11"], setup: model)
        for threads in [1, 2] {
            let settings = StudySettings(samples: 700, seed: 5, threads: threads)
            var visited = 0
            try grid.run(setup: model, settings: settings) { p, study, state in
                visited += 1
                let fresh = try MonteCarloStudy(setup: model, settings: settings, pins: grid.pins(point: p))
                #expect(study.layout == fresh.layout && study.headlineLayout == fresh.headlineLayout, "point \(p), \(threads) threads")
                #expect(try state == fresh.run(chunks: 0..<fresh.plan.chunkCount), "point \(p), \(threads) threads")
            }
            #expect(visited == 11)
        }
    }

    /// `hpmc sweep` tracks its report year only: each point's whole-market bands of that year are the
    /// bits of a sweep that tracks every year, on one thread and two, in the horizon year and an earlier one.
    @Test func sweepFocusedOnItsYearGivesTheFullSweepsRows() throws {
        let model = try setup()
        let grid = try SweepGrid(specifications: ["cop_heating=0.85:1.15:2", "grid@2060=0.02:0.25:2"], setup: model)
        for (year, threads) in [(2060, 2), (2035, 1)] {
            func rows(focus: StudyFocus) throws -> [[BandRow]] {
                var settings = StudySettings(samples: StudySettings.chunkSize + 300, seed: 9, threads: threads)
                settings.focus = focus
                var rows: [[BandRow]] = []
                try grid.run(setup: model, settings: settings) { _, study, state in
                    rows.append(study.bands(state, years: [year], segment: Names.all))
                }
                return rows
            }
            let focused = try rows(focus: StudyFocus(years: [year])), full = try rows(focus: .all)
            #expect(focused.count == 4 && focused.allSatisfy { !$0.isEmpty })
            #expect(focused == full, "\(year), \(threads) threads")
        }
    }

    /// Reused workers start each point's target counts from zero, as new workers would.
    @Test func reusedWorkersCountTargetsPerPoint() throws {
        let model = try setup()
        let grid = try SweepGrid(specifications: ["cop_heating=0.85:1.15:3"], setup: model)
        let target = try TargetCondition(parsing: "reduction total 2060 >= 4.34")
        let settings = StudySettings(samples: 2000, seed: 3, threads: 2, targets: [target])
        try grid.run(setup: model, settings: settings) { p, study, state in
            let alone = try study.run(chunks: 0..<study.plan.chunkCount)
            #expect(state.targets == alone.targets, "point \(p)")
            #expect(state.targets.first?.evaluated == 2000, "point \(p)")
        }
    }

    /// The engine names model concepts (a swept name, an axis), never a command-line option.
    @Test func badGridsNameTheProblem() throws {
        let model = try setup()
        let tooMany = Array(repeating: "cop_heating=0:1:2", count: 5)
        // Equal ends made three identical points, each run in full (found by a tester).
        for (specs, fragment) in [(["nothing=0:1:3"], "unknown name 'nothing'"), (["cop_heating=1:0:3"], "LO 1 is above HI 0"),
                                  (["cop_heating=0.85:0.85:3"], "LO 0.85 is HI; give HI above LO"),
                                  ([], "sweep 1 to 4 names, not 0"), (tooMany, "sweep 1 to 4 names, not 5"),
                                  (["cop_heating=0:1:1"], "at least 2"), (["cop_heating=0:1"], "NAME=LO:HI:STEPS"),
                                  (["cop_heating=0:1:2", "cop_heating=0:1:2"], "twice"),
                                  (["grid_2060=0.1:0.2:2", "grid@2060=0.1:0.2:2"], "two swept names act on the same model quantity"),
                                  (["cop_heating=0:1:1e300"], "at most 10000"),
                                  (["cop_heating=0:1:100", "grid_2060=0.1:0.2:101"], "the grid has 10100 points; at most 10000")] {
            do {
                _ = try SweepGrid(specifications: specs, setup: model)
                Issue.record("expected an error for \(specs)")
            } catch {
                #expect(error.subject == (fragment.hasPrefix("unknown name") ? .sweepName : .sweepAxis), "\(error)")
                #expect(error.message.contains(fragment), "\(error)")
                #expect(!error.message.contains("--") && !error.message.contains("hpmc"), "\(error)")
            }
        }
    }

    /// The refusal of `specs` (about `subject`), or nil (recorded as an issue) when the grid is accepted.
    func refusal(_ specs: [String], setup model: ModelSetup, subject: StudyError.Subject = .sweepAxis) -> StudyError? {
        do {
            _ = try SweepGrid(specifications: specs, setup: model)
            Issue.record("expected an error for \(specs)")
            return nil
        } catch {
            #expect(error.subject == subject, "\(error)")
            return error
        }
    }

    /// Each grid value must keep what it pins in range: an input's value through its apply (set,
    /// factor on a fitted value, factor on a whole path), a quantity's value as it stands.
    @Test func valuesOutsideTheirTargetsRangeAreRefused() throws {
        let model = try setup()
        for (spec, fragments) in [
            ("lifetime=-5:-1:3", ["lifetime = -5.0 (sets lifetime.mean)", "mean lifetime (years) must be in [1, 100]", "lifetime must lie in [1, 100]"]),
            // The file's range, not the model's looser one: a mean lifetime the file may not hold.
            ("lifetime.mean=0.5:40:2", ["lifetime.mean = 0.5:", "lifetime.mean must lie in [1, 100]"]),
            ("coal_share_heating=0.5:1.7:3", ["coal_share_heating = 1.1", "share of displaced heat must be in [0, 1]"]),
            ("lifetime.mean=-5:-1:3", ["lifetime.mean = -5.0:", "lifetime.mean must lie in [1, 100]"]),
            ("saturation_heating=-1:1:3", ["saturation_heating = -1.0 (a factor on heating.sales.K, 2152.959", "saturation K (1e4 units/yr) must be > 0"]),
            ("cop_heating=0:1:3", ["cop_heating = 0.0 (a factor on the whole path heating.cop)", "cop_heating must lie in (0, ∞)"]),
            ("heating.cop=-1:1:3", ["heating.cop = -1.0 (a factor on the whole path)", "heating.cop must lie in (0, ∞)"]),
            ("grid@2060=-0.1:0.2:2", ["grid@2060 = -0.1:", "grid intensity (kgCO2/kWh) must be ≥ 0"]),
            ("backcast.growth=-1:0:2", ["backcast.growth = -1.0:", "backcast.growth must lie in [-0.5, 1]"]),
            ("heating.displaced.coal.emission_factor=100:600:2", ["= 600.0:", "emission factor (kgCO2/GJ of fuel) must be in [0, 500]"]),
            ("hotwater.displaced.gas.efficiency=0:1:2", ["hotwater.displaced.gas.efficiency = 0.0:", "efficiency must be in (0, 2]"]),
        ] {
            guard let error = refusal([spec], setup: model) else { continue }
            for fragment in fragments { #expect(error.message.contains(fragment), "\(spec): \(error)") }
        }
    }

    /// The ends of a range are allowed where the range includes them.
    @Test func valuesOnTheirRangesEdgesAreAccepted() throws {
        let model = try setup()
        for spec in ["coal_share_heating=0:1:3", "grid@2060=0:0.3:2", "heating.cop=0.5:2:2", "backcast.growth=-0.5:1:2",
                     "lifetime.mean=1:100:2", "hotwater.displaced.gas.efficiency=0.5:2:2", "lifetime.shape=0.5:20:2"] {
            #expect(throws: Never.self, "\(spec)") { try SweepGrid(specifications: [spec], setup: model) }
        }
    }

    /// A quantity pinned outright may not move an observed figure (the shipped scenarios observe 2022's
    /// sales, value and grid intensity), as no uncertain input may; `names` leaves such quantities out.
    /// A swept input that acts after the figure, or a quantity that moves none, is accepted.
    @Test func pinsOnObservedFiguresAreRefused() throws {
        let model = try setup()
        for (spec, figure) in [("grid=0.5:1:2", "grid@2022"), ("grid@2022=0:1:2", "grid@2022"), ("heating.value@2022=1:1000:3", "heating.value@2022"),
                               ("heating.sales=0.5:2:2", "heating.sales@2022")] {
            guard let error = refusal([spec], setup: model) else { continue }
            #expect(error.message.hasPrefix("'\(spec.prefix { $0 != "=" })' would change \(figure) (line "), "\(spec): \(error)")
            #expect(error.message.contains("which is marked observed"), "\(spec): \(error)")
        }
        let listed = SweepGrid.names(setup: model).quantities.compactMap(\.target)
        #expect(!listed.isEmpty && listed.allSatisfy { model.scenario.observedFigure(movedBy: $0) == nil })
        #expect(!listed.contains(.gridPath) && listed.contains(.gridAnchor(year: 2060)))
        for spec in ["grid_2060=0.02:0.25:2", "heating.sales.K=0.5:2:2", "heating.cop=0.9:1.1:2"] {
            #expect(throws: Never.self, "\(spec)") { try SweepGrid(specifications: [spec], setup: model) }
        }
    }

    /// Pinned shares join the drawn ones (coal, up to 0.75): together at most 1, with a fixed share
    /// above 0 left to rescale.
    @Test func pinnedSharesMustLeaveRoomForTheFixedOnes() throws {
        let model = try setup()
        if let error = refusal(["heating.displaced.gas.share=0.1:0.5:3"], setup: model) {
            #expect(error.message.contains("'heating.displaced.gas.share' (swept), 'coal_share_heating' vary shares of 'heating' that can add up to 1.25"), "\(error)")
        }
        if let error = refusal(["heating.displaced.gas.share=0.1:0.2:2", "heating.displaced.electric.share=0.1:0.2:2"], setup: model) {
            #expect(error.message.contains("at least one fixed share above 0"), "\(error)")
        }
        // Pinned coal no longer counts its draws: 0.75 + 0.25 leaves electric at 0, in range.
        #expect(throws: Never.self) { try SweepGrid(specifications: ["coal_share_heating=0.5:0.75:2", "heating.displaced.gas.share=0:0.25:2"], setup: model) }
        #expect(throws: Never.self) { try SweepGrid(specifications: ["heating.displaced.gas.share=0.1:0.25:2"], setup: model) }
    }

    /// A name equal to a fixed column of sweep.csv would give the file two columns of that name.
    @Test func namesThatAreSweepColumnsAreRefused() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/cns.yaml"), encoding: .utf8)
        #expect(text.contains("name: lifetime\n"))
        for column in SweepGrid.fixedColumns {
            let scenario = try Scenario.parse(text: text.replacingOccurrences(of: "name: lifetime\n", with: "name: \(column)\n"), file: "renamed.yaml")
            guard let error = refusal(["\(column)=12:18:2"], setup: try ModelSetup(scenario: scenario)) else { continue }
            #expect(error.message.contains("'\(column)' is a column of sweep.csv"), "\(error)")
        }
        let grid = try SweepGrid(specifications: ["lifetime=12:18:2"], setup: setup())
        #expect(grid.header.count == SweepGrid.fixedColumns.count + 1 && Set(grid.header) == Set(SweepGrid.fixedColumns + ["lifetime"]))
    }

    /// A slot the kernel never reads (a fitted curve's sales anchors) is no name: pinning it would
    /// change nothing while the output says it was swept.
    @Test func unreadQuantitiesAreNoNames() throws {
        let model = try setup()
        if let error = refusal(["heating.sales@2030=400:500:2"], setup: model, subject: .sweepName) {
            #expect(error.message.contains("unknown name 'heating.sales@2030' (the anchors of a fitted logistic curve cannot vary per sample"), "\(error)")
        }
        let listed = SweepGrid.names(setup: model).quantities.map(\.name)
        #expect(!listed.contains("heating.sales@2030") && !listed.contains("heating.sales.nu"))
        #expect(listed.contains("heating.sales.K") && listed.contains("grid@2060") && listed.contains("heating.displaced.coal.share"))
    }

    @Test func stepsAndPointsAreBounded() throws {
        let model = try setup()
        for (specs, fragment) in [(["cop_heating=1:2:1e300"], "STEPS must be at least 2 and at most 10000"),
                                  (["cop_heating=1:2:9223372036854775807"], "STEPS must be at least 2 and at most 10000"),
                                  (["cop_heating=1:2:100", "cop_hotwater=1:2:101"], "the grid has 10100 points; at most 10000"),
                                  (["grid_2060=-1e308:1e308:3"], "HI − LO finite"), (["cop_heating=1:nan:2"], "NAME=LO:HI:STEPS")] {
            guard let error = refusal(specs, setup: model) else { continue }
            #expect(error.message.contains(fragment), "\(error)")
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
        _ = try low.run(chunks: 0..<1, sampleSink: a)
        _ = try high.run(chunks: 0..<1, sampleSink: b)
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
        let state = try study.run(chunks: 0..<study.plan.chunkCount)
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
        let state = try study.run(chunks: 0..<1)
        let header = "scenario,market,segment,metric,year,value\n"
        #expect(throws: InputError.self) { try study.rankReferences(header + "CNS,heating,all,happiness,2060,1\n", file: "r.csv", state: state) }
        #expect(throws: InputError.self) { try study.rankReferences(header + "CNS,cooling,all,reduction,2060,1\n", file: "r.csv", state: state) }
        #expect(throws: InputError.self) { try study.rankReferences(header + "CNS,heating,all,reduction,2070,1\n", file: "r.csv", state: state) }
    }
}
