import Foundation
import Testing
@testable import RoadmapModel
import Scenario

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func loadSetup(_ name: String) throws -> ModelSetup {
    try ModelSetup(scenario: Scenario.load(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/\(name).yaml").path))
}

func references() throws -> [ReferenceFigure] {
    try ReferenceFigure.load(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/roadmap_reference.csv").path)
}

func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / abs(b) }

struct GrowthCurveReproductionTests {
    /// The fits the model notes give for the roadmap's three-point logistics.
    @Test func cnsAndNgsLogisticsMatchTheModelNotes() throws {
        let cns = try loadSetup("cns"), ngs = try loadSetup("ngs")
        let expected: [(ModelSetup, Int, [Double])] = [
            (cns, 0, [2153, 0.2039, 2036.57]), (cns, 1, [3424, 0.1307, 2046.31]), (ngs, 0, [814, 0.0952, 2042.06]),
        ]
        for (setup, market, values) in expected {
            let fit = try #require(setup.curveFits[market])
            #expect(relativeError(fit.parameters[0], values[0]) < 5e-4, "K \(fit.parameters[0])")
            #expect(relativeError(fit.parameters[1], values[1]) < 5e-4, "r \(fit.parameters[1])")
            #expect(abs(fit.parameters[2] - values[2]) < 0.01, "t0 \(fit.parameters[2])")
        }
        #expect(ngs.curveFits[1] == nil)
    }

    @Test func salesAndValuePassThroughTheirAnchors() throws {
        for name in ["cns", "ngs"] {
            let setup = try loadSetup(name)
            let projection = Projection(setup: setup)
            for market in setup.scenario.markets {
                for anchor in market.sales.anchors {
                    let model = try #require(projection.value(SeriesKey(market: market.name, metric: .sales), year: anchor.year))
                    #expect(relativeError(model, anchor.value.value) < 1e-9)
                }
                for anchor in market.value {
                    let model = try #require(projection.value(SeriesKey(market: market.name, metric: .value), year: anchor.year))
                    #expect(relativeError(model, anchor.value.value) < 1e-9)
                }
            }
        }
    }
}

struct ModelEquationTests {
    /// The stock, heat, electricity and emissions of every year recomputed from MODEL's equations
    /// with plain loops, independent of the kernel's recurrences and hoisting, each read from its
    /// series by name (a metric written to another's row fails here).
    @Test func kernelAgreesWithDirectEquations() throws {
        let setup = try loadSetup("cns")
        let s = setup.scenario
        let projection = Projection(setup: setup)
        let years = Array(s.years)
        let k = s.weibullShape.value, lambda = s.lifetimeMean.value / tgamma(1 + 1 / k)
        func survival(_ age: Int) -> Double { exp(-pow((Double(age) + 0.5) / lambda, k)) }
        let grid = years.map { interpolateLinear(s.gridIntensity, at: $0) }
        for market in s.markets {
            let sales = years.map { projection.value(SeriesKey(market: market.name, metric: .sales), year: $0)! }
            let h = market.heatPerUnit
            let mix = market.displaced.reduce((fuel: 0.0, grid: 0.0)) { acc, source in
                source.usesGrid ? (acc.fuel, acc.grid + source.share.value / source.efficiency.value)
                    : (acc.fuel + source.share.value * source.emissionFactor!.value / source.efficiency.value, acc.grid)
            }
            for (y, year) in years.enumerated() {
                var stock = 0.0
                for c in 0...y { stock += sales[c] * survival(y - c) }
                for j in 1...s.backcastYears { stock += sales[0] * pow(1 + s.backcastGrowth.value, -Double(j)) * survival(y + j) }
                let perUnit = h.hInfinity.value.value + (h.h0.value.value - h.hInfinity.value.value) * exp(-Double(y) / h.tau.value.value)
                let heat = stock * 1e4 * perUnit
                let cop = interpolateLinear(market.cop, at: year)
                let gridPerGJ = grid[y] * 1000 / 3.6
                let baseline = heat * (mix.fuel + mix.grid * gridPerGJ) / 1000 / 1e8
                let heatPump = heat / cop * gridPerGJ / 1000 / 1e8
                let expected: [(Metric, Double)] = [
                    (.stock, stock), (.heat, heat / 1e8), (.electricity, heat / cop * 1000 / 3.6 / 1e8),
                    (.baselineEmissions, baseline), (.heatPumpEmissions, heatPump), (.reduction, heat * (mix.fuel + mix.grid * gridPerGJ - gridPerGJ / cop) / 1000 / 1e8),
                ]
                for (metric, value) in expected {
                    let model = try #require(projection.value(SeriesKey(market: market.name, metric: metric), year: year))
                    #expect(relativeError(model, value) < 1e-10, "\(market.name) \(year) \(metric)")
                }
            }
        }
    }

    @Test func totalIsTheSumOfMarketsAndSegmentsSplitIt() throws {
        let setup = try loadSetup("cns")
        let p = Projection(setup: setup)
        for year in setup.catalog.years {
            for metric in Metric.allCases {
                let parts = setup.scenario.markets.map { p.value(SeriesKey(market: $0.name, metric: metric), year: year)! }
                let total = p.value(SeriesKey(market: Names.total, metric: metric), year: year)!
                #expect(relativeError(total, parts.reduce(0, +)) < 1e-12)
            }
            for metric in [Metric.value, .reduction] {
                for market in ["heating", "hotwater", Names.total] {
                    let all = p.value(SeriesKey(market: market, metric: metric), year: year)!
                    let split = ["household", "commercial"].map { p.value(SeriesKey(market: market, segment: $0, metric: metric), year: year)! }
                    #expect(relativeError(split.reduce(0, +), all) < 1e-9)
                }
            }
        }
    }

    /// Lanes never interact: a block of different samples gives, lane by lane, the same bits as
    /// each sample evaluated alone — the basis of thread- and chunk-independent results.
    @Test func lanesAreIndependent() throws {
        let setup = try loadSetup("cns")
        let varying = Set(setup.scenario.uncertain.map { setup.slot(for: $0) })
        let lanes = 5
        let block = ModelKernel(setup: setup, lanes: lanes, varyingSlots: varying)
        let single = ModelKernel(setup: setup, lanes: 1, varyingSlots: varying)
        for slot in varying {
            for lane in 0..<lanes { block.inputs(of: slot)[lane] = setup[slot: slot].central * (0.9 + 0.05 * Double(lane)) }
        }
        block.evaluate(count: lanes)
        let values = setup.catalog.computed.count * setup.yearCount
        for lane in 0..<lanes {
            for slot in varying { single.inputs(of: slot)[0] = block.inputs(of: slot)[lane] }
            single.evaluate(count: 1)
            for v in 0..<values { #expect(single.outputs[v] == block.outputs[v * lanes + lane]) }
        }
    }

    /// One model, one code path: the Monte Carlo kernel at the central values is the projection, bit for bit.
    @Test func centralSampleReproducesTheProjection() throws {
        for name in ["cns", "ngs"] {
            let setup = try loadSetup(name)
            let varying = Set(setup.scenario.uncertain.map { setup.slot(for: $0) })
            let kernel = ModelKernel(setup: setup, lanes: 8, varyingSlots: varying)
            kernel.evaluate(count: 8)
            let projection = Projection(setup: setup)
            for (s, series) in projection.values.enumerated() {
                for (y, value) in series.enumerated() {
                    #expect(kernel.outputs[(s * setup.yearCount + y) * 8 + 3] == value)
                }
            }
        }
    }

    /// What a kernel hoists for the slots it is told are fixed (survival table, heat and price paths,
    /// the mix) has the same bits as the per-lane steps for the same values.
    @Test func hoistedAndPerLanePathsAgreeBitForBit() throws {
        for name in ["cns", "ngs"] {
            let setup = try loadSetup(name)
            let hoisting = ModelKernel(setup: setup, lanes: 4, varyingSlots: [])
            let perLane = ModelKernel(setup: setup, lanes: 4, varyingSlots: Set(setup.slotIndices))
            hoisting.evaluate(count: 4)
            perLane.evaluate(count: 4)
            let mismatches = hoisting.outputs.indices.filter { hoisting.outputs[$0].bitPattern != perLane.outputs[$0].bitPattern }
            #expect(mismatches.isEmpty, "\(name): \(mismatches.count) outputs differ")
        }
    }

    /// A kernel that skips the emission series computes every other series to the same bits.
    @Test func skippingTheEmissionSeriesChangesNoOtherSeries() throws {
        let setup = try loadSetup("cns")
        let varying = Set(setup.scenario.uncertain.map { setup.slot(for: $0) })
        let kernels = [true, false].map { ModelKernel(setup: setup, lanes: 8, varyingSlots: varying, written: $0 ? .all : KernelOutputs(metrics: Set(Metric.allCases).subtracting([.baselineEmissions, .heatPumpEmissions]))) }
        for kernel in kernels {
            for slot in varying {
                for lane in 0..<8 { kernel.inputs(of: slot)[lane] = setup[slot: slot].central * (0.9 + 0.03 * Double(lane)) }
            }
            kernel.evaluate(count: 8)
        }
        let width = setup.yearCount * 8
        var skipped = 0
        for (s, key) in setup.catalog.computed.enumerated() {
            let rows = s * width..<(s + 1) * width
            if key.metric == .baselineEmissions || key.metric == .heatPumpEmissions {
                #expect(rows.allSatisfy { kernels[1].outputs[$0] == 0 })
                #expect(rows.contains { kernels[0].outputs[$0] != 0 })
                skipped += 1
            } else {
                #expect(rows.allSatisfy { kernels[0].outputs[$0] == kernels[1].outputs[$0] })
            }
        }
        #expect(skipped == 2 * (setup.markets.count + 1))
    }
}

struct ValidationTests {
    @Test func cnsPassesEveryTarget() throws {
        let setup = try loadSetup("cns")
        let report = Projection(setup: setup).validate(references: try references(), spec: setup.scenario.validation!)
        for row in report.rows where row.status == .fail {
            Issue.record("\(row.figure.market) \(row.figure.segment) \(row.figure.metric) \(row.figure.year): model \(row.model ?? .nan) vs \(row.figure.value)")
        }
        #expect(report.failures == 0)
        // Sales, value, shares, reductions and segment splits: every CNS target has a tolerance.
        #expect(report.rows.filter { $0.figure.scenario == "CNS" && $0.status == .info }.isEmpty)
        #expect(report.passes >= 40)
        #expect(report.rows.contains { $0.status == .listed })
    }

    @Test func ngsAnchorsPassAndReductionsAreReported() throws {
        let setup = try loadSetup("ngs")
        let report = Projection(setup: setup).validate(references: try references(), spec: setup.scenario.validation!)
        let sales = report.rows.filter { $0.figure.metric == "sales" }
        #expect(!sales.isEmpty && sales.allSatisfy { $0.status == .pass })
        let reductions = report.rows.filter { $0.figure.metric == "reduction" && $0.figure.scenario == "NGS" }
        #expect(reductions.count == 3)
        #expect(reductions.allSatisfy { $0.deviation != nil })
    }

    @Test func aMissedTargetFails() throws {
        let setup = try loadSetup("cns")
        var figures = try references()
        let i = try #require(figures.firstIndex { $0.scenario == "CNS" && $0.market == "total" && $0.metric == "reduction" && $0.year == 2060 })
        figures[i].value *= 1.1
        let report = Projection(setup: setup).validate(references: figures, spec: setup.scenario.validation!)
        #expect(!report.passed)
        #expect(report.failures == 1)
    }
}

struct CalibrationTests {
    @Test func recoversTheTargetsFromAPerturbedStart() throws {
        var scenario = try loadSetup("cns").scenario
        scenario.markets[0].heatPerUnit.h0.value.value = 40
        scenario.markets[0].heatPerUnit.tau.value.value = 20
        scenario.markets[1].heatPerUnit.h0.value.value = 20
        let setup = try ModelSetup(scenario: scenario)
        let results = try calibrate(setup: setup, references: try references())
        #expect(results.map(\.market) == ["heating", "hotwater"])
        for result in results {
            #expect(result.converged)
            for r in result.residuals { #expect(abs(r.relative) < 0.01, "\(result.market) \(r.year): \(r.relative)") }
            for p in result.parameters { #expect(p.after >= p.lower && p.after <= p.upper) }
        }
        let heating = results[0].parameters
        #expect(abs(heating[0].after - 61.5) < 1.5)
        #expect(abs(heating[2].after - 12.5) < 1)
    }

    @Test func calibratedTextKeepsLayout() throws {
        let path = repositoryRoot.appendingPathComponent("Scenarios/cns.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let setup = try loadSetup("cns")
        let results = try calibrate(setup: setup, references: try references())
        let rewritten = try applyCalibration(results, to: setup.scenario, text: text, file: path)
        #expect(rewritten.components(separatedBy: "\n").count == text.components(separatedBy: "\n").count)
        let reloaded = try Scenario.parse(text: rewritten, file: "calibrated.yaml")
        #expect(abs(reloaded.markets[0].heatPerUnit.h0.value.value - results[0].parameters[0].after) < 1e-6)
    }

    /// The fitted values are written where the reader found them, whatever the file's line ends, a
    /// byte-order mark, a quoted key, a tag or anchor before the number, or a source text that quotes
    /// "value: 3" before it: written exactly (read back as written) and nothing else changed. Before,
    /// a rewrite by pattern on "\n"-split lines left all but LF files' values as they were, and wrote
    /// into the source text, while calibrate said it wrote them (found by a tester).
    @Test(arguments: [("\n", "{value: 30, SOURCE", ""), ("\r\n", "{value: 30, SOURCE", ""), ("\r", "{value: 30, SOURCE", ""),
                      ("\n", "{value: 30, SOURCE", "\u{FEFF}"), ("\n", "{\"value\": 30, SOURCE", ""), ("\n", "{value: !!float 30, SOURCE", ""),
                      ("\n", "{value: &h 30, SOURCE", ""), ("\n", "{source: \"calibrated: was value: 3 before\", value: 30,", "")])
    func calibratedValuesAreWrittenWhereTheyWereRead(lineEnd: String, h0: String, prefix: String) throws {
        let path = repositoryRoot.appendingPathComponent("Scenarios/cns.yaml").path
        let original = try String(contentsOfFile: path, encoding: .utf8)
        let source = "source: \"calibrated: to the CNS heating reductions 2022, 2030, 2060\","
        let text = prefix + original.replacingOccurrences(of: "h0: {value: 61.53099439, " + source, with: "h0: " + h0.replacingOccurrences(of: "SOURCE", with: source))
            .replacingOccurrences(of: "\n", with: lineEnd)
        let scenario = try Scenario.parse(text: text, file: "edited.yaml")
        #expect(scenario.markets[0].heatPerUnit.h0.value.value == 30)
        let results = try calibrate(setup: try ModelSetup(scenario: scenario), references: try references())
        let rewritten = try applyCalibration(results, to: scenario, text: text, file: "edited.yaml")
        let reloaded = try Scenario.parse(text: rewritten, file: "calibrated.yaml")
        for (m, result) in results.enumerated() {
            for p in result.parameters {
                #expect(reloaded.markets[m].heatPerUnit[p.heatParameter].value.value == Double(formatCalibrated(p.after)))
            }
        }
        #expect(abs(reloaded.markets[0].heatPerUnit.h0.value.value - 61.53) < 0.01)
        // Only the numbers changed: the same text with each fitted number put back as it was.
        var restored = rewritten
        for p in results.flatMap(\.parameters) {
            restored = restored.replacingOccurrences(of: formatCalibrated(p.after), with: p.before == 30 ? "30" : formatCalibrated(p.before))
        }
        #expect(restored == text)
    }

    /// A number the rewrite cannot change alone (another value reads it through an alias, calibrated
    /// or not) is an error, not a file that changes a value nobody fitted (the hot-water h0 became the
    /// heating one's 61.53 while calibrate exited 0: found by a reviewer).
    @Test(arguments: ["free: true", "free: false"])
    func aCalibratedNumberReadThroughAnAliasIsRefused(hotWater: String) throws {
        let path = repositoryRoot.appendingPathComponent("Scenarios/cns.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "h0: {value: 61.53099439,", with: "h0: {value: &h 30,")
            .replacingOccurrences(of: "h0: {value: 11.04570476, source: \"calibrated: to the CNS hot-water reductions 2022, 2030, 2060\", free: true, bounds: [2, 40]",
                                  with: "h0: {value: *h, source: \"calibrated: to the CNS hot-water reductions 2022, 2030, 2060\", \(hotWater), bounds: [2, 200]")
        let scenario = try Scenario.parse(text: text, file: "aliased.yaml")
        #expect(scenario.markets[1].heatPerUnit.h0.free == (hotWater == "free: true") && scenario.markets[1].heatPerUnit.h0.value.value == 30)
        let results = try calibrate(setup: try ModelSetup(scenario: scenario), references: try references())
        let refusal = #expect(throws: InputError.self) { try applyCalibration(results, to: scenario, text: text, file: "aliased.yaml") }
        #expect(refusal?.message.hasPrefix("writing the fitted values would change other values too") == true, "\(String(describing: refusal))")
    }
}

struct KernelOutputSelectionTests {
    /// A kernel writing some metrics, markets and years writes exactly those rows, each with the
    /// bits of a kernel that writes everything, and leaves the others unwritten.
    @Test(arguments: [KernelOutputs(metrics: [.reduction]), KernelOutputs(metrics: [.sales, .value], years: [0, 8, 38]),
                      KernelOutputs(metrics: [.stock, .reduction], markets: [1], years: Set(10...20))])
    func selectedRowsHaveTheFullKernelsBits(selection: KernelOutputs) throws {
        let setup = try loadSetup("cns")
        let varying = Set(setup.scenario.uncertain.map { setup.slot(for: $0) })
        let kernels = [KernelOutputs.all, selection].map { ModelKernel(setup: setup, lanes: 8, varyingSlots: varying, written: $0, totals: false) }
        for kernel in kernels {
            for slot in varying {
                for lane in 0..<8 { kernel.inputs(of: slot)[lane] = setup[slot: slot].central * (0.9 + 0.03 * Double(lane)) }
            }
            kernel.evaluate(count: 8)
        }
        var written = 0
        for (s, key) in setup.catalog.computed.enumerated() {
            guard let market = setup.scenario.markets.firstIndex(where: { $0.name == key.market }) else { continue }
            for y in 0..<setup.yearCount {
                let row = (s * setup.yearCount + y) * 8..<(s * setup.yearCount + y + 1) * 8
                if (selection.metrics?.contains(key.metric) ?? true) && (selection.markets?.contains(market) ?? true)
                    && (selection.years?.contains(y) ?? true) {
                    #expect(row.allSatisfy { kernels[1].outputs[$0].bitPattern == kernels[0].outputs[$0].bitPattern }, "\(key) year \(y)")
                    #expect(row.contains { kernels[1].outputs[$0] != 0 })
                    written += 1
                } else if key.metric != .value {
                    // (A value row holds the unit price in every year until the output step multiplies it by sales.)
                    #expect(row.allSatisfy { kernels[1].outputs[$0] == 0 }, "\(key) year \(y)")
                }
            }
        }
        #expect(written > 0)
    }
}
