import Foundation
import Testing
@testable import Scenario

/// The reproductions of issue 14, part 3: each was accepted and then crashed or computed nonsense;
/// each must now be refused at load, naming the file, the line, the input and the allowed range.
struct TargetRangeReproductions {
    let text: String

    init() throws { text = try String(contentsOfFile: cnsPath, encoding: .utf8) }

    /// The error of `yaml`; records an issue when it loads.
    func refusal(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> InputError? {
        do {
            _ = try Scenario.parse(text: yaml, file: "bad.yaml")
            Issue.record("expected an input error", sourceLocation: sourceLocation)
        } catch let error as InputError {
            return error
        } catch {
            Issue.record("not an InputError: \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    /// 1-based line of the first line of `text` that contains `fragment`.
    func line(of fragment: String, in text: String) -> Int? {
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(fragment) }.map { $0 + 1 }
    }

    /// Replaces the distribution of input `name` (the first one after its name).
    func withDistribution(of name: String, _ distribution: String) throws -> String {
        let start = try #require(text.range(of: "  - name: \(name)\n"))
        let line = try #require(text.range(of: "    distribution: {", range: start.upperBound..<text.endIndex))
        let end = try #require(text.range(of: "}\n", range: line.upperBound..<text.endIndex))
        return text.replacingCharacters(in: line.lowerBound..<end.upperBound, with: "    distribution: \(distribution)\n")
    }

    func expectRefused(_ name: String, _ distribution: String, _ fragments: [String],
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let yaml = try withDistribution(of: name, distribution)
        guard let error = refusal(yaml, sourceLocation: sourceLocation) else { return }
        #expect(error.file == "bad.yaml", sourceLocation: sourceLocation)
        #expect(error.line != nil && error.line == line(of: "  - name: \(name)", in: yaml), "\(error)", sourceLocation: sourceLocation)
        for fragment in ["'\(name)'"] + fragments {
            #expect(error.description.contains(fragment), "\(error) should contain \(fragment)", sourceLocation: sourceLocation)
        }
    }

    @Test func negativeLifetime() throws {
        try expectRefused("lifetime", "{type: uniform, min: -10, max: -1}",
                          ["bad.yaml:", "lifetime.mean, set", "(-10, -1)", "mean lifetime (years) must be in [1, 100]", "use bounds within [1, 100]"])
    }

    @Test func negativeGridIntensity() throws {
        try expectRefused("grid_2060", "{type: uniform, min: -5, max: -1}",
                          ["grid@2060, set", "grid intensity (kgCO2/kWh) must be ≥ 0", "use bounds within [0, ∞)"])
    }

    @Test func copFactorAroundZero() throws {
        try expectRefused("cop_heating", "{type: normal, mean: 0, sd: 1}",
                          ["heating.cop, factor", "(-∞, ∞)", "COP must be > 0", "use truncated_normal with bounds within (0, ∞)"])
    }

    @Test func coalShareAboveOne() throws {
        try expectRefused("coal_share_heating", "{type: triangular, min: 0.45, mode: 0.60, max: 1.4}",
                          ["heating.displaced.coal.share, set", "(0.45, 1.4)", "share of displaced heat must be in [0, 1]",
                           "use bounds within [0, 1]"])
    }

    @Test func saturationFactorWithMassBelowZero() throws {
        try expectRefused("saturation_heating", "{type: normal, mean: 1, sd: 0.3}",
                          ["heating.sales.K, factor", "saturation K (1e4 units/yr) must be > 0",
                           "use truncated_normal with bounds within (0, ∞)"])
    }

    /// A factor leaves a share only when the product does: 0.6 × 1.5 = 0.9 is a share, 0.6 × 1.8 is not.
    @Test func factorOnAShareIsJudgedByTheProduct() throws {
        let name = "coal_share_heating"
        let inside = try withDistribution(of: name, "{type: uniform, min: 0.5, max: 1.5}\n    apply: factor")
        #expect(throws: Never.self) { try Scenario.parse(text: inside, file: "ok.yaml") }
        try expectRefused(name, "{type: uniform, min: 0.5, max: 1.8}\n    apply: factor",
                          ["factor on 0.6", "share of displaced heat must be in [0, 1]"])
    }

    /// A shift moves the file's value: 0.08 + U(-0.05, 0.1) stays ≥ 0, 0.08 + U(-0.1, 0.1) does not.
    @Test func shiftIsJudgedFromTheFileValue() throws {
        let name = "grid_2060"
        let inside = try withDistribution(of: name, "{type: uniform, min: -0.05, max: 0.1}\n    apply: shift")
        #expect(throws: Never.self) { try Scenario.parse(text: inside, file: "ok.yaml") }
        try expectRefused(name, "{type: uniform, min: -0.1, max: 0.1}\n    apply: shift",
                          ["added to 0.08", "grid intensity (kgCO2/kWh) must be ≥ 0", "use bounds within [-0.08, ∞)"])
    }

    /// Drawn shares keep their values and the fixed ones absorb the rest, so together they must fit.
    @Test func drawnSharesMustLeaveRoomForTheFixedOnes() throws {
        let gas = """
          - name: gas_share_heating
            target: heating.displaced.gas.share
            distribution: {type: uniform, min: 0.2, max: 0.4}
            source: "assumption: test"

        validation:
        """
        let yaml = text.replacingOccurrences(of: "\nvalidation:", with: "\n" + gas)
        guard let error = refusal(yaml) else { return }
        #expect(error.description.contains("can add up to 1.15"), "\(error)")
        #expect(error.line == line(of: "  - name: coal_share_heating", in: yaml))

        let onlyOne = text.replacingOccurrences(of: "share: {value: 0.25, source: \"assumption: gas boilers\"}", with: "share: {value: 0.40, source: \"assumption: gas boilers\"}")
            .replacingOccurrences(of: "share: {value: 0.15, source: \"assumption: electric resistance heating\"}", with: "share: {value: 0, source: \"assumption: none\"}")
            .replacingOccurrences(of: "{type: triangular, min: 0.45, mode: 0.60, max: 0.75}", with: "{type: uniform, min: 0.5, max: 0.7}")
            .replacingOccurrences(of: "\nvalidation:", with: "\n" + gas)
        guard let nothingLeft = refusal(onlyOne) else { return }
        #expect(nothingLeft.description.contains("at least one fixed share above 0"), "\(nothingLeft)")
    }

    @Test func contradictoryCorrelationsAreFoundAtLoad() throws {
        let yaml = text.replacingOccurrences(of: "\nvalidation:", with: """

        correlations:
          - {between: [cop_heating, cop_hotwater], rank: 0.3}
          - {between: [grid_2030, grid_2060], rank: 0.9}
          - {between: [grid_2060, lifetime], rank: 0.9}
          - {between: [grid_2030, lifetime], rank: -0.9}

        validation:
        """)
        guard let error = refusal(yaml) else { return }
        #expect(error.keyPath == "correlations")
        #expect(error.line == line(of: "[grid_2030, grid_2060]", in: yaml), "\(error)")
        #expect(error.description.contains("grid_2030–grid_2060 0.9, grid_2060–lifetime 0.9, grid_2030–lifetime -0.9"), "\(error)")
        #expect(error.description.contains("not positive definite"))
        // Not involved: its pair is consistent, and its inputs come before the contradiction.
        #expect(!error.description.contains("cop_hotwater"))

        let consistent = yaml.replacingOccurrences(of: "rank: -0.9", with: "rank: 0.8")
        #expect(throws: Never.self) { try Scenario.parse(text: consistent, file: "ok.yaml") }
    }

    @Test func perfectRankCorrelationIsRefusedWithItsLine() throws {
        let yaml = text.replacingOccurrences(of: "\nvalidation:", with: "\ncorrelations:\n  - {between: [grid_2030, grid_2060], rank: 1}\n\nvalidation:")
        guard let error = refusal(yaml) else { return }
        #expect(error.keyPath == "correlations[0].rank")
        #expect(error.description.contains("strictly between -1 and 1"))
        #expect(error.line == line(of: "rank: 1}", in: yaml))
    }
}

/// Issue 14, part 7a: names reach CSV cells, so they must not start a spreadsheet formula or break a field.
struct NameRules {
    let text: String

    init() throws { text = try String(contentsOfFile: cnsPath, encoding: .utf8) }

    func expectRefused(_ old: String, _ new: String, keyPath: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(text.contains(old), sourceLocation: sourceLocation)
        do {
            _ = try Scenario.parse(text: text.replacingOccurrences(of: old, with: new), file: "bad.yaml")
            Issue.record("\(new) should be refused", sourceLocation: sourceLocation)
        } catch let error as InputError {
            #expect(error.keyPath == keyPath, "\(error)", sourceLocation: sourceLocation)
            #expect(error.line != nil, sourceLocation: sourceLocation)
            #expect(error.description.contains("letters, digits"), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("not an InputError: \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func formulaStartsAndControlCharactersAreRefused() {
        for bad in ["\"=CNS\"", "\"+CNS\"", "\"-CNS\"", "\"@CNS\"", "\"\\tCNS\"", "\"\\rCNS\"", "\"CNS\\n\"", "\"C,NS\"", "\"C\\\"NS\"", "\"1CNS\""] {
            expectRefused("name: CNS\n", "name: \(bad)\n", keyPath: "name")
        }
        expectRefused("      - name: household", "      - name: \"=household\"", keyPath: "markets[0].segments[0].name")
        expectRefused("      - fuel: coal", "      - fuel: \"-coal\"", keyPath: "markets[0].displaced[0].fuel")
        expectRefused("      - fuel: coal", "      - fuel: coal.hard", keyPath: "markets[0].displaced[0].fuel")
        expectRefused("  - name: heating", "  - name: \"heating\\n\"", keyPath: "markets[0].name")
        expectRefused("  - name: grid_2030", "  - name: \"grid_2030\\n\"", keyPath: "uncertain[0]")
        expectRefused("  - name: grid_2030", "  - name: \"@grid\"", keyPath: "uncertain[0]")
    }

    @Test func plainNamesLoad() throws {
        let renamed = text.replacingOccurrences(of: "name: CNS\n", with: "name: CNS-2024_b\n")
            .replacingOccurrences(of: "      - name: household", with: "      - name: Household-1")
        let scenario = try Scenario.parse(text: renamed, file: "ok.yaml")
        #expect(scenario.name == "CNS-2024_b")
        #expect(scenario.markets[0].segments[0].name == "Household-1")
    }
}

/// Every target kind × apply × family: draws inside the target's valid range load, draws leaving it
/// are refused. The ranges are written here from the model notes and the README's table, apart from the source's.
struct TargetRangeTable {
    struct Interval: CustomStringConvertible {
        var lower: Double, upper: Double
        var includesLower = false, includesUpper = false
        var description: String { "\(includesLower ? "[" : "(")\(lower), \(upper)\(includesUpper ? "]" : ")")" }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var target: String
        var file: String
        /// The value in the file; nil for a whole path or a fitted curve parameter.
        var value: Double?
        var lower: Double, upper: Double, includesLower: Bool, includesUpper: Bool
        var applies: [String]
        var testDescription: String { target }
        var range: Interval { Interval(lower: lower, upper: upper, includesLower: includesLower, includesUpper: includesUpper) }
    }

    static let positive = (0.0, Double.infinity, false, false)
    static let nonNegative = (0.0, Double.infinity, true, false)
    static let scalar = ["set", "factor", "shift"]

    static func make(_ target: String, _ value: Double?, _ range: (Double, Double, Bool, Bool), _ applies: [String] = scalar,
                     file: String = cnsPath) -> Case {
        Case(target: target, file: file, value: value, lower: range.0, upper: range.1, includesLower: range.2, includesUpper: range.3,
             applies: applies)
    }

    static let cases: [Case] = [
        make("grid", nil, nonNegative, ["factor"]),
        make("grid@2030", 0.45, nonNegative),
        make("lifetime.mean", 15, (1, 100, true, true)),
        make("lifetime.shape", 3, (0.5, 20, true, true)),
        make("backcast.growth", 0.10, (-0.5, 1, true, true)),
        make("heating.sales.K", nil, positive),
        make("heating.sales.r", nil, positive),
        make("heating.sales", nil, positive, ["factor"]),
        make("hotwater.sales@2030", 185, positive, file: ngsPath),
        make("heating.value", nil, positive, ["factor"]),
        make("heating.value@2030", 599, positive),
        make("heating.cop", nil, positive, ["factor"]),
        make("heating.cop@2030", 3.2, positive),
        make("heating.heat_per_unit", nil, positive, ["factor"]),
        make("heating.heat_per_unit.h0", 61.53099439, positive),
        make("heating.heat_per_unit.h_inf", 6.689701156, positive),
        make("heating.heat_per_unit.tau", 12.47677691, positive),
        make("heating.displaced.coal.share", 0.60, (0, 1, true, true)),
        make("heating.displaced.gas.emission_factor", 56.1, (0, 500, true, true)),
        make("heating.displaced.coal.efficiency", 0.70, (0, 2, false, true)),
    ]

    /// Where the draws must lie: the range itself, moved back by a shift, divided by a factor; a
    /// factor on a path or fitted value keeps every value in a range from 0 up only when ≥ (or >) 0,
    /// and a shift of a fitted value keeps it above its lower end only when ≥ 0.
    static func allowed(_ c: Case, _ apply: String) -> Interval {
        let range = c.range
        switch (apply, c.value) {
        case ("set", _): return range
        case ("shift", let value?): return Interval(lower: range.lower - value, upper: range.upper - value,
                                                    includesLower: range.includesLower, includesUpper: range.includesUpper)
        case ("factor", let value?): return Interval(lower: range.lower / value, upper: range.upper / value,
                                                     includesLower: range.includesLower, includesUpper: range.includesUpper)
        case ("factor", nil): return Interval(lower: 0, upper: .infinity, includesLower: range.includesLower)
        default: return Interval(lower: 0, upper: .infinity, includesLower: true)
        }
    }

    /// One distribution of every family whose draws lie inside `a`, and, unless `a` is every real,
    /// one of every family whose draws leave it (normal and lognormal only where their support does).
    /// `exactEnds`: the ends map back onto the range's exactly (not so for a divided bound).
    static func distributions(inside a: Interval, exactEnds: Bool) -> (valid: [String], invalid: [String]) {
        let (p, q): (Double, Double)
        if a.upper.isFinite {
            let width = a.upper - a.lower
            (p, q) = (a.lower + width / 4, a.upper - width / 4)
        } else {
            (p, q) = (a.lower + 0.1, a.lower + 1.1)
        }
        let mid = (p + q) / 2, upperText = a.upper.isFinite ? "\(a.upper)" : "inf"
        var valid = ["{type: uniform, min: \(p), max: \(q)}", "{type: triangular, min: \(p), mode: \(mid), max: \(q)}",
                     "{type: pert, min: \(p), mode: \(mid), max: \(q)}", "{type: discrete, values: [\(p), \(q)], weights: [1, 2]}",
                     "{type: truncated_normal, mean: \(mid), sd: \(q - p), lower: \(a.lower), upper: \(upperText)}",
                     // A continuous family never draws its own ends, so they may touch an excluded end.
                     "{type: uniform, min: \(a.lower), max: \(q)}"]
        var invalid = ["{type: normal, mean: \(mid), sd: \(q - p)}"]
        if a.lower <= 0 && !a.upper.isFinite { valid.append("{type: lognormal, mu: 0, sigma: 0.5}") } else {
            invalid.append("{type: lognormal, mu: 0, sigma: 0.5}")
        }
        // A discrete value is drawn: on an excluded end it is refused.
        if exactEnds || a.lower == 0 {
            let onLowerEnd = "{type: discrete, values: [\(a.lower), \(q)], weights: [1, 1]}"
            if a.includesLower { valid.append(onLowerEnd) } else { invalid.append(onLowerEnd) }
        }
        let below = a.lower - (q - p)
        invalid += ["{type: uniform, min: \(below), max: \(q)}", "{type: triangular, min: \(below), mode: \(mid), max: \(q)}",
                    "{type: pert, min: \(below), mode: \(mid), max: \(q)}", "{type: discrete, values: [\(below), \(mid)], weights: [1, 1]}",
                    "{type: truncated_normal, mean: \(mid), sd: \(q - p), lower: \(below), upper: \(upperText)}"]
        if a.upper.isFinite {
            let above = a.upper + (q - p)
            invalid += ["{type: uniform, min: \(p), max: \(above)}", "{type: truncated_normal, mean: \(mid), sd: 1, lower: \(p)}"]
            if exactEnds { valid.append("{type: discrete, values: [\(p), \(a.upper)], weights: [1, 1]}") }
        }
        return (valid, invalid)
    }

    /// The scenario file with its uncertain inputs replaced by one, and no figure marked observed
    /// (an input on an observed figure is refused for that reason first; see MalformedScenarioTests).
    static func scenario(_ c: Case, apply: String, distribution: String) throws -> String {
        let text = try String(contentsOfFile: c.file, encoding: .utf8).replacingOccurrences(of: " observed: true,", with: "")
        let start = try #require(text.range(of: "\nuncertain:\n"))
        let end = try #require(text.range(of: "\nvalidation:\n"))
        return text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: """

            uncertain:
              - name: drawn
                target: \(c.target)
                apply: \(apply)
                distribution: \(distribution)
                source: "assumption: test"

            """)
    }

    @Test(arguments: cases) func validDrawsLoadAndOthersAreRefused(_ c: Case) throws {
        for apply in c.applies {
            let allowed = Self.allowed(c, apply)
            let (valid, invalid) = Self.distributions(inside: allowed, exactEnds: apply != "factor")
            for distribution in valid {
                let yaml = try Self.scenario(c, apply: apply, distribution: distribution)
                #expect(throws: Never.self, "\(c.target) \(apply) \(distribution) within \(allowed)") {
                    try Scenario.parse(text: yaml, file: "ok.yaml")
                }
            }
            for distribution in invalid {
                let yaml = try Self.scenario(c, apply: apply, distribution: distribution)
                do {
                    _ = try Scenario.parse(text: yaml, file: "bad.yaml")
                    Issue.record("\(c.target) \(apply) \(distribution) should be refused: draws must lie within \(allowed)")
                } catch let error as InputError {
                    #expect(error.keyPath == "uncertain[0].distribution", "\(error)")
                    #expect(error.description.contains("'drawn' (\(c.target), \(apply))"), "\(error)")
                    #expect(error.description.contains("must be"), "\(error)")
                }
            }
        }
    }
}
