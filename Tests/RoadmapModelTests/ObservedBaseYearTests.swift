import Foundation
import Testing
@testable import RoadmapModel
import Scenario

/// The uncertain family of a fitted curve keeps its base-year value, and ramps leave the years
/// before their start alone: checked against closed forms.
struct ObservedBaseYearTests {
    func sales(_ projection: Projection, _ market: String, _ year: Int) -> Double {
        projection.value(SeriesKey(market: market, metric: .sales), year: year) ?? .nan
    }

    /// Other K and r give S(t) = K / (1 + e^(−r (t − t0))) with t0 = t_base + ln(K/S0 − 1)/r:
    /// the base year stays at S0 and the rest of the curve moves.
    @Test func logisticKeepsItsBaseYearAndFollowsTheAnchoredFamily() throws {
        let setup = try loadSetup("cns")
        let central = Projection(setup: setup)
        let s0 = sales(central, "heating", 2022)
        let k = setup[slot: setup.slot(for: .curveParameter(market: 0, .K))].central * 1.3
        let r = setup[slot: setup.slot(for: .curveParameter(market: 0, .r))].central * 0.8
        let drawn = Projection(setup: setup, slotValues: [setup.slot(for: .curveParameter(market: 0, .K)): k,
                                                         setup.slot(for: .curveParameter(market: 0, .r)): r])
        let t0 = 2022 + log(k / s0 - 1) / r
        for year in 2022...2060 {
            let expected = k / (1 + exp(-r * (Double(year) - t0)))
            #expect(relativeError(sales(drawn, "heating", year), expected) < 1e-12, "\(year)")
        }
        #expect(sales(drawn, "heating", 2022) == 105 && s0 == 105)
        #expect(relativeError(sales(drawn, "heating", 2060), sales(central, "heating", 2060)) > 0.1)
    }

    /// A Richards curve through four points of a known curve: other K, r and ν keep S(t_base) = S0
    /// and follow S(t) = K / (1 + ((K/S0)^ν − 1)·e^(−r (t − t_base)))^(1/ν).
    @Test func richardsKeepsItsBaseYear() throws {
        let truth = (k: 2200.0, r: 0.2, t0: 2036.0, nu: 0.8)
        func curve(_ t: Int) -> Double { truth.k * pow(1 + exp(-truth.r * (Double(t) - truth.t0)), -1 / truth.nu) }
        var text = try String(contentsOfFile: repositoryRoot.appendingPathComponent("Scenarios/cns.yaml").path, encoding: .utf8)
        let anchors = [2022, 2030, 2045, 2060].map { "        - {year: \($0), value: \(curve($0)), source: \"assumption: test curve\"}\n" }
        let old = """
              model: logistic
              anchors:
                - {year: 2022, value: 105, observed: true, source: "roadmap: 2022 space-heating heat-pump sales"}
                - {year: 2030, value: 447, source: "roadmap: CNS 2030 space-heating sales"}
                - {year: 2060, value: 2135, source: "roadmap: CNS 2060 space-heating sales"}

        """
        #expect(text.contains(old))
        text = text.replacingOccurrences(of: old, with: "      model: richards\n      anchors:\n" + anchors.joined())
        let setup = try ModelSetup(scenario: Scenario.parse(text: text, file: "richards.yaml"))
        let central = Projection(setup: setup)
        let s0 = sales(central, "heating", 2022)
        #expect(relativeError(s0, curve(2022)) < 1e-9)
        let slots = InputTarget.CurveParameter.allCases.map { setup.slot(for: .curveParameter(market: 0, $0)) }
        let (k, r, nu) = (setup[slot: slots[0]].central * 0.7, setup[slot: slots[1]].central * 1.2, setup[slot: slots[2]].central * 1.5)
        let drawn = Projection(setup: setup, slotValues: [slots[0]: k, slots[1]: r, slots[2]: nu])
        for year in 2022...2060 {
            let expected = k * pow(1 + (pow(k / s0, nu) - 1) * exp(-r * Double(year - 2022)), -1 / nu)
            #expect(relativeError(sales(drawn, "heating", year), expected) < 1e-12, "\(year)")
        }
        // No anchor is observed here: the base year is the fitted S0 in every sample.
        #expect(sales(drawn, "heating", 2022) == s0)
        #expect(relativeError(sales(drawn, "heating", 2060), sales(central, "heating", 2060)) > 0.1)
    }

    /// NGS's hot-water saturation ramps: factor 1 in 2022, the drawn factor in 2060, linear between.
    @Test func rampFactorGrowsFromOneToTheDrawnValue() throws {
        let setup = try loadSetup("ngs")
        let input = try #require(setup.scenario.uncertain.first { $0.name == "saturation_hotwater" })
        #expect(input.apply == .rampFactor && input.ramp?.from == 2022 && input.ramp?.to == 2060)
        let central = Projection(setup: setup)
        let drawn = Projection(setup: setup, slotValues: [setup.slot(for: input): 1.3])
        #expect(sales(drawn, "hotwater", 2022) == sales(central, "hotwater", 2022))
        for year in [2030, 2041, 2060] {
            let factor = 1 + 0.3 * Double(year - 2022) / 38
            #expect(relativeError(sales(drawn, "hotwater", year), sales(central, "hotwater", year) * factor) < 1e-14, "\(year)")
        }
        // The market's value is its sales times the unit price, so it follows.
        #expect(relativeError(drawn.value(SeriesKey(market: "hotwater", metric: .value), year: 2060)!,
                              central.value(SeriesKey(market: "hotwater", metric: .value), year: 2060)! * 1.3) < 1e-14)
    }

    /// A ramp shift on a market's value between stated years: 0 up to `from`, the drawn shift from `to`.
    @Test func rampShiftGrowsBetweenItsYears() throws {
        let text = try String(contentsOfFile: repositoryRoot.appendingPathComponent("Scenarios/ngs.yaml").path, encoding: .utf8)
        let shift = """
          - name: value_heating
            target: heating.value
            apply: ramp_shift
            from: 2030
            to: 2050
            distribution: {type: uniform, min: 0, max: 100}
            source: "assumption: test"

        validation:
        """
        #expect(text.contains("\nvalidation:"))
        let scenario = try Scenario.parse(text: text.replacingOccurrences(of: "\nvalidation:", with: "\n" + shift), file: "shift.yaml")
        let setup = try ModelSetup(scenario: scenario)
        let input = try #require(scenario.uncertain.last)
        let central = Projection(setup: setup)
        let drawn = Projection(setup: setup, slotValues: [setup.slot(for: input): 40])
        func value(_ p: Projection, _ year: Int) -> Double { p.value(SeriesKey(market: "heating", metric: .value), year: year)! }
        for year in [2022, 2030] { #expect(value(drawn, year) == value(central, year)) }
        for (year, shift) in [(2040, 20.0), (2050, 40), (2060, 40)] {
            #expect(abs(value(drawn, year) - (value(central, year) + shift)) < 1e-10, "\(year)")
        }
        // Sales are untouched.
        #expect(sales(drawn, "heating", 2060) == sales(central, "heating", 2060))
    }
}
