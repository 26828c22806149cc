import LaneVectors
import Testing
@testable import RoadmapModel
import Scenario

/// The kernel computes four lanes at a time and the rest one by one; every lane must get the same
/// bits either way, whichever slots vary (so every hoisted path has its per-lane twin exercised).
struct KernelWidthTests {
    @Test(arguments: ["cns", "ngs"])
    func everyLaneMatchesASingleLaneKernel(scenario: String) throws {
        let setup = try loadSetup(scenario)
        let lanes = 11
        let all = Set(setup.slotIndices)
        let block = ModelKernel(setup: setup, lanes: lanes, varyingSlots: all)
        let single = ModelKernel(setup: setup, lanes: 1, varyingSlots: all)
        // Every slot within ±10 % of its central value, differently in each lane; shares stay below 1.
        for slot in all {
            for lane in 0..<lanes {
                block.inputs(of: slot)[lane] = setup[slot: slot].central * (0.9 + 0.2 * Double((lane * 7 + slot.position * 3) % lanes) / Double(lanes))
            }
        }
        block.evaluate(count: lanes)
        let values = setup.catalog.computed.count * setup.yearCount
        for lane in 0..<lanes {
            for slot in all { single.inputs(of: slot)[0] = block.inputs(of: slot)[lane] }
            single.evaluate(count: 1)
            let mismatches = (0..<values).filter { single.outputs[$0].bitPattern != block.outputs[$0 * lanes + lane].bitPattern }
            #expect(mismatches.isEmpty, "lane \(lane): \(mismatches.count) values differ")
            #expect((0..<values).allSatisfy { single.outputs[$0].isFinite })
        }
    }

    /// A kernel that leaves the totals to its caller writes the markets' series as one that does not,
    /// and the catalog's `totalTerms`, added up by `weightedSum`, give the totals' bits.
    @Test(arguments: ["cns", "ngs"])
    func totalTermsAddUpToTheKernelsTotals(scenario: String) throws {
        let setup = try loadSetup(scenario)
        let lanes = 5, years = setup.yearCount
        let all = Set(setup.slotIndices)
        let full = ModelKernel(setup: setup, lanes: lanes, varyingSlots: all)
        let marketsOnly = ModelKernel(setup: setup, lanes: lanes, varyingSlots: all, totals: false)
        for slot in all {
            for lane in 0..<lanes {
                let value = setup[slot: slot].central * (0.9 + 0.05 * Double((lane + slot.position) % lanes))
                full.inputs(of: slot)[lane] = value
                marketsOnly.inputs(of: slot)[lane] = value
            }
        }
        full.evaluate(count: lanes)
        marketsOnly.evaluate(count: lanes)
        var summed = 0
        for computed in setup.catalog.seriesIndices {
            for year in 0..<years {
                let terms = setup.catalog.totalTerms(computed: computed, year: year)
                if terms != nil { summed += 1 }
                for lane in 0..<lanes {
                    let index = setup.catalog.outputOffset(computed, year: year, lanes: lanes) + lane
                    let value = terms.map { terms in
                        Double.weightedSum(count: terms.count, weight: { terms[$0].weight },
                                           term: { marketsOnly.outputs[setup.catalog.outputOffset(terms[$0].computed, year: year, lanes: lanes) + lane] })
                    } ?? marketsOnly.outputs[index]
                    #expect(value.bitPattern == full.outputs[index].bitPattern, "\(setup.catalog[series: computed]) year \(year)")
                }
            }
        }
        // The total's eight metrics and its segments' value and reduction, every year.
        #expect(summed == (setup.catalog.computed.count - setup.markets.count * Metric.allCases.count) * years)
    }

    /// Evaluating fewer lanes than the kernel holds leaves the others alone and computes the rest as usual.
    @Test func aShortBlockComputesTheSameLanes() throws {
        let setup = try loadSetup("cns")
        let varying = Set(setup.scenario.uncertain.map { setup.slot(for: $0) })
        let full = ModelKernel(setup: setup, lanes: 8, varyingSlots: varying)
        let short = ModelKernel(setup: setup, lanes: 8, varyingSlots: varying)
        for slot in varying {
            for lane in 0..<8 {
                let value = setup[slot: slot].central * (0.95 + 0.01 * Double(lane))
                full.inputs(of: slot)[lane] = value
                short.inputs(of: slot)[lane] = value
            }
        }
        full.evaluate(count: 8)
        short.evaluate(count: 6)
        let values = setup.catalog.computed.count * setup.yearCount
        for v in 0..<values {
            for lane in 0..<6 { #expect(short.outputs[v * 8 + lane] == full.outputs[v * 8 + lane]) }
            for lane in 6..<8 { #expect(short.outputs[v * 8 + lane] == 0) }
        }
    }
}

/// Slot names are spelled as targets: every slot the kernel reads maps back to the target that
/// sets it, and the slots that map to none are exactly those the kernel never reads.
struct SlotTargetTests {
    @Test(arguments: ["cns", "ngs"])
    func everySlotTheKernelReadsMapsToItsTarget(scenario: String) throws {
        let setup = try loadSetup(scenario)
        // Unread: a fitted curve's sales anchors (the curve replaces them) and the curve parameters
        // the market's model lacks (no value: nu of a logistic, all four of a cagr market).
        var unread = Set(setup.slotIndices.filter { setup[slot: $0].central.isNaN })
        for (m, market) in setup.scenario.markets.enumerated() where market.sales.model != .cagr {
            for anchor in market.sales.anchors { unread.insert(setup.slot(for: .anchor(market: m, .sales, year: anchor.year))) }
        }
        #expect(!unread.isEmpty)
        // A ramp's slot is read but set through its input, by the input's name: no path reaches it.
        let ramps = Set(setup.slotIndices.filter { setup[slot: $0].name.hasSuffix(".ramp") })
        #expect(scenario == "cns" || !ramps.isEmpty)
        for slot in setup.slotIndices {
            let target = setup.target(ofSlot: slot)
            if ramps.contains(slot) {
                #expect(target == nil)
                continue
            }
            #expect((target == nil) == unread.contains(slot), "\(setup[slot: slot].name)")
            if let target { #expect(setup.slot(for: target) == slot) }
        }
        // The kernel does ignore them: changing them all leaves every output's bits as they were.
        let all = Set(setup.slotIndices)
        let central = ModelKernel(setup: setup, lanes: 1, varyingSlots: all), moved = ModelKernel(setup: setup, lanes: 1, varyingSlots: all)
        for slot in unread { moved.inputs(of: slot)[0] = 1e6 }
        central.evaluate(count: 1)
        moved.evaluate(count: 1)
        #expect(central.outputs.indices.allSatisfy { central.outputs[$0].bitPattern == moved.outputs[$0].bitPattern })
    }

    /// The registry and the slots agree: every addressable target has the slot named by its
    /// spelling, and a slot's name parses (back) to a target exactly when the slot has that target.
    @Test(arguments: ["cns", "ngs"])
    func everySlotNameParsesBackToItsTarget(scenario: String) throws {
        let setup = try loadSetup(scenario)
        let addressable = InputTarget.addressable(in: setup.scenario)
        for target in addressable {
            let slots = setup.slotIndices.filter { setup.target(ofSlot: $0) == target }
            #expect(slots.count == 1, "\(target)")
            #expect(slots.map { setup[slot: $0].name } == [target.spelling(in: setup.scenario)])
        }
        var parsed = 0
        for slot in setup.slotIndices {
            switch InputTarget.parse(setup[slot: slot].name, in: setup.scenario) {
            case .success(let target):
                #expect(setup.target(ofSlot: slot) == target, "\(setup[slot: slot].name)")
                #expect(setup.slot(for: target) == slot)
                parsed += 1
            case .failure:
                #expect(setup.target(ofSlot: slot) == nil, "\(setup[slot: slot].name)")
            }
        }
        #expect(parsed == addressable.count)
    }
}

/// A logistic so steep (r = 1e300) that its yearly decay e^{−r} underflows is the step it tends
/// to: the observed base year's sales, then K from the next year on, and nothing downstream NaN.
struct SteepCurveTests {
    @Test func aSteepLogisticStepsToItsSaturation() throws {
        let setup = try loadSetup("cns")
        let kernel = ModelKernel(setup: setup, lanes: 1, varyingSlots: Set(setup.slotIndices))
        let rSlot = setup.slot(for: .curveParameter(market: 0, .r))
        let k = setup[slot: setup.slot(for: .curveParameter(market: 0, .K))].central
        let observed = try #require(setup.scenario.markets[0].sales.anchors.first { $0.year == setup.scenario.baseYear }).value.value
        kernel.inputs(of: rSlot)[0] = 1e300
        kernel.evaluate(count: 1)
        let series = try #require(setup.catalog.computedIndex(of: SeriesKey(market: setup.scenario.markets[0].name, metric: .sales)))
        for y in setup.catalog.years.indices {
            let sales = kernel.outputs[setup.catalog.outputOffset(series, year: y, lanes: 1)]
            if y == 0 { #expect(sales == observed, "\(sales)") } else { #expect(sales == k, "\(setup.catalog.years[y]): \(sales)") }
        }
        #expect(kernel.outputs.indices.allSatisfy { kernel.outputs[$0].isFinite })
    }
}
