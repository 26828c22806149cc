import Testing
@testable import RoadmapModel

struct MetricTests {
    /// Rows are addressed by `Metric.row`: every metric has one, and together they fill a market's block.
    @Test func rowsAreEachPositionOnce() {
        #expect(Metric.allCases.map(\.row).sorted() == Array(0..<Metric.allCases.count))
        #expect(Metric.byRow.map(\.row) == Array(0..<Metric.allCases.count))
    }

    /// The catalog lays out each market's series at its metrics' rows, and the kernel's output
    /// steps write them there (`ModelEquationTests` reads each back by name).
    @Test(arguments: ["cns", "ngs"])
    func marketSeriesSitAtTheirMetricsRows(scenario: String) throws {
        let setup = try loadSetup(scenario)
        for (m, market) in setup.scenario.markets.enumerated() {
            for metric in Metric.allCases {
                #expect(setup.catalog[series: SeriesCatalog.marketSeries(m, metric)] == SeriesKey(market: market.name, metric: metric))
            }
        }
    }

    /// The SI factors follow from the two scales, and the kernel's conversions from the roadmap's:
    /// their reciprocals are the constants the kernel multiplies by, to the bit.
    @Test func unitScales() {
        let factors: [Metric: Double] = [.sales: 1e4, .value: 1e8, .stock: 1e4, .heat: 100, .electricity: 0.1,
                                         .baselineEmissions: 100, .heatPumpEmissions: 100, .reduction: 100]
        #expect(Metric.allCases.allSatisfy { $0.siFactor == factors[$0] })
        #expect(1 / Metric.heat.roadmapScale == 1e-8 && 1 / Metric.electricity.roadmapScale == 1e-8)
        #expect(1 / (Metric.reduction.roadmapScale * kilogramsPerTonne) == 1e-11)
    }

    /// A market's value with a fixed unit price is, in every lane, its sales times `fixedPrices`'
    /// price, to the bit; a price that varies has none.
    @Test(arguments: ["cns", "ngs"])
    func fixedPricesAreTheKernelsPrices(scenario: String) throws {
        let setup = try loadSetup(scenario)
        let varying = Set(setup.scenario.uncertain.map { setup.slot(for: $0) })
        let prices = setup.fixedPrices(varyingSlots: varying)
        #expect(prices.contains { $0 != nil } && setup.fixedPrices(varyingSlots: Set(setup.slotIndices)).allSatisfy { $0 == nil })
        let lanes = 6, catalog = setup.catalog
        let kernel = ModelKernel(setup: setup, lanes: lanes, varyingSlots: varying)
        for slot in varying {
            let row = kernel.inputs(of: slot), central = setup.centralValues[slot.position]
            for lane in 0..<lanes { row[lane] = central * (0.9 + 0.04 * Double(lane)) }
        }
        kernel.evaluate(count: lanes)
        for (m, price) in prices.enumerated() {
            guard let price else { continue }
            let sales = SeriesCatalog.marketSeries(m, .sales), value = SeriesCatalog.marketSeries(m, .value)
            for y in 0..<setup.yearCount {
                for lane in 0..<lanes {
                    let expected = kernel.outputs[catalog.outputOffset(sales, year: y, lanes: lanes) + lane] * price[y]
                    #expect(kernel.outputs[catalog.outputOffset(value, year: y, lanes: lanes) + lane].bitPattern == expected.bitPattern)
                }
            }
        }
    }

    /// An evaluation writes every row: each metric's of each market (its `emit` in `OutputStep`) and
    /// the totals'. A row left unwritten would keep the NaN put there first.
    @Test(arguments: ["cns", "ngs"])
    func everyRowIsWritten(scenario: String) throws {
        let setup = try loadSetup(scenario)
        let poisoned = ModelKernel(setup: setup, lanes: 4, varyingSlots: [])
        let fresh = ModelKernel(setup: setup, lanes: 4, varyingSlots: [])
        for i in poisoned.outputs.indices { poisoned.outputs[i] = .nan }
        poisoned.evaluate(count: 4)
        fresh.evaluate(count: 4)
        #expect(poisoned.outputs.allSatisfy { $0.isFinite })
        #expect(zip(poisoned.outputs, fresh.outputs).allSatisfy { $0.bitPattern == $1.bitPattern })
    }
}
