import Foundation
import Testing
@testable import Scenario

/// The repository root, from this file's path (tests may run from any directory).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let cnsPath = repositoryRoot.appendingPathComponent("Scenarios/cns.yaml").path
let ngsPath = repositoryRoot.appendingPathComponent("Scenarios/ngs.yaml").path

struct ShippedScenarioTests {
    @Test func cnsLoads() throws {
        let s = try Scenario.load(contentsOf: cnsPath)
        #expect(s.name == "CNS")
        #expect(s.markets.map(\.name) == ["heating", "hotwater"])
        #expect(s.years == 2022...2060)
        #expect(s.uncertain.count == 12)
        #expect(s.markets[0].heatPerUnit.h0.free)
        #expect(s.uncertain.first { $0.name == "cop_heating" }?.target == .path(market: 0, .cop))
        #expect(s.uncertain.first { $0.name == "grid_2060" }?.target == .gridAnchor(year: 2060))
    }

    @Test func ngsLoads() throws {
        let s = try Scenario.load(contentsOf: ngsPath)
        #expect(s.name == "NGS")
        #expect(s.markets[1].sales.model == .cagr)
    }

    @Test func everyValueNamesItsSource() throws {
        for path in [cnsPath, ngsPath] {
            let s = try Scenario.load(contentsOf: path)
            let anchors = s.gridIntensity + s.markets.flatMap { $0.sales.anchors + $0.value + $0.cop }
            #expect(anchors.allSatisfy { !$0.value.source.note.isEmpty || $0.value.source.kind == .assumption })
            #expect(s.markets.allSatisfy { $0.sales.anchors.allSatisfy { $0.value.source.kind == .roadmap } })
        }
    }
}

/// Malformed inputs: each must give one clear InputError naming the place, never a crash.
struct MalformedScenarioTests {
    let text: String

    init() throws { text = try String(contentsOfFile: cnsPath, encoding: .utf8) }

    func expectError(_ yaml: String, path: String = "", contains fragment: String,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try Scenario.parse(text: yaml, file: "bad.yaml")
            Issue.record("expected an input error containing '\(fragment)'", sourceLocation: sourceLocation)
        } catch let error as InputError {
            #expect(error.file == "bad.yaml", sourceLocation: sourceLocation)
            #expect(path.isEmpty || error.keyPath.contains(path), "key path \(error.keyPath) should contain \(path)", sourceLocation: sourceLocation)
            #expect(error.description.contains(fragment), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("not an InputError: \(error)", sourceLocation: sourceLocation)
        }
    }

    func replacing(_ old: String, _ new: String) -> String {
        precondition(text.contains(old), "test fixture out of date: \(old)")
        return text.replacingOccurrences(of: old, with: new)
    }

    @Test func empty() { expectError("", contains: "empty") }
    @Test func notAMapping() { expectError("- just\n- a list\n", contains: "expected a mapping") }
    @Test func invalidYAML() { expectError("name: [unclosed\n", contains: "not valid YAML") }

    /// An input named as a model quantity's path was taken by `sweep --grid` for the input, so the
    /// sweep pinned another quantity than its name says (and the observed-figure check was skipped).
    @Test func anInputNamedAsAModelPathIsRefused() {
        for name in ["lifetime.mean", "grid", "heating.cop"] {
            expectError(replacing("  - name: cop_heating\n", "  - name: \(name)\n"), path: "uncertain[2].name",
                        contains: ":137: uncertain[2].name: '\(name)' is the path of a model quantity (what sweep --grid and --list name)")
        }
    }

    /// A standard tag on a number that names another type than the value's (`!!int 15.5`; `! 15` is
    /// text by YAML's rules) was ignored and the value read as untagged; `!!int 15` and `!!float 15`
    /// are the value's own types.
    @Test func numbersCarryNoTag() {
        let line = "  mean: {value: 15, source: \"assumption: mean service life of a heat pump, years\"}"
        for (tagged, shown) in [("!!int 15.5", "'15.5' is tagged !!int"), ("!!null 15", "'15' is tagged !!null"), ("! 15", "'15' is tagged !;")] {
            expectError(replacing(line, line.replacingOccurrences(of: "value: 15,", with: "value: \(tagged),")), path: "lifetime.mean.value",
                        contains: ":26: lifetime.mean.value: \(shown)")
        }
        for tagged in ["!!int 15", "!!float 15"] {
            #expect(throws: Never.self) { try Scenario.parse(text: replacing(line, line.replacingOccurrences(of: "value: 15,", with: "value: \(tagged),")), file: "ok.yaml") }
        }
        // A whole number's field takes a float tag on a whole value, as it took it untagged.
        #expect(throws: Never.self) { try Scenario.parse(text: replacing("- {year: 2030, value: 447,", "- {year: !!float 2030, value: 447,"), file: "ok.yaml") }
    }

    /// A tab in the indentation, which YAML refuses, is named with its line: libyaml's message named
    /// only where its scanner stopped.
    @Test func aTabIndentIsNamed() {
        expectError(replacing("\n  mean: {value: 15,", "\n\tmean: {value: 15,"),
                    contains: "line 26 is indented with a tab, which YAML does not allow: indent with spaces")
    }

    /// A merge key (`<<`) left the fields it would merge missing ("missing required field 'value'").
    @Test func mergeKeysAreNamed() {
        expectError(replacing("  mean: {value: 15, source: \"assumption: mean service life of a heat pump, years\"}",
                              "  mean:\n    <<: {value: 15, source: \"m\"}"),
                    contains: ":27: merge keys (<<) are not read in a scenario file; write the fields out")
    }

    /// Segment shares that do not sum to 1 are named at the first segment's shares (there was no line).
    @Test func segmentSharesNotSummingToOneAreNamedAtTheirLine() {
        expectError(replacing("{year: 2022, value: 0.71, source: \"roadmap: household share of 2022 space-heating value (71 %)\"}",
                              "{year: 2022, value: 0.5, source: \"roadmap: household share of 2022 space-heating value (71 %)\"}"),
                    path: "markets[0].segments", contains: ":69: markets[0].segments: the segments' value_share sums to 0.79 in 2022")
    }

    /// A flag is YAML 1.2's true or false, unquoted: `observed: "true"` and `observed: yes` were read
    /// as true, while `on` and `1` were refused.
    @Test func flagsAreTrueOrFalse() {
        let observed = "{year: 2022, value: 105, observed: true,"
        expectError(replacing(observed, "{year: 2022, value: 105, observed: \"true\","), path: "anchors[0].observed",
                    contains: ":38: markets[0].sales.anchors[0].observed: 'true' is quoted, so it is text; allowed: true or false, written without quotes")
        expectError(replacing(observed, "{year: 2022, value: 105, observed: !!str true,"), path: "anchors[0].observed",
                    contains: ":38: markets[0].sales.anchors[0].observed: 'true' is tagged !!str, so it is text; allowed: true or false, written without the tag")
        for word in ["yes", "on", "1"] {
            expectError(replacing(observed, "{year: 2022, value: 105, observed: \(word),"), path: "anchors[0].observed",
                        contains: ":38: markets[0].sales.anchors[0].observed: '\(word)' is not true or false")
        }
        #expect(throws: Never.self) { try Scenario.parse(text: replacing(observed, "{year: 2022, value: 105, observed: True,"), file: "ok.yaml") }
    }

    /// A quoted number, or one tagged !!str, is text by YAML's rules (a modeller who writes one so may mean text), and a tag of
    /// one's own is read by nothing: both are refused naming file:line and field (were read as numbers
    /// and ignored).
    @Test func quotedNumbersAndUnknownTags() {
        expectError(replacing("mean: {value: 15,", "mean: {value: \"15\","), path: "lifetime.mean.value",
                    contains: "bad.yaml:26: lifetime.mean.value: '15' is quoted, so it is text; allowed: mean lifetime (years) in [1, 100], written without quotes")
        expectError(replacing("- {year: 2030, value: 447,", "- {year: '2030', value: 447,"), path: "anchors[1].year",
                    contains: ":39: markets[0].sales.anchors[1].year: '2030' is quoted, so it is text; allowed: a year from 2022 to 2060")
        expectError(replacing("mean: {value: 15,", "mean: {value: !!str 15,"), path: "lifetime.mean.value",
                    contains: "bad.yaml:26: lifetime.mean.value: '15' is tagged !!str, so it is text; allowed: mean lifetime (years) in [1, 100], written without the tag")
        expectError(replacing("name: CNS\n", "name: !foo CNS\n"), contains: "bad.yaml:12: unknown tag '!foo': a scenario file uses none; remove it")
        expectError(replacing("name: CNS\n", "name: !<tag:example.com,2026:x> CNS\n"), contains: "unknown tag 'tag:example.com,2026:x'")
        #expect(throws: Never.self) { try Scenario.parse(text: replacing("mean: {value: 15,", "mean: {value: !!float 15,"), file: "ok.yaml") }
    }

    /// The tag check visits each anchored collection once: a tag inside one is found, and nested
    /// aliases whose expansion holds 9^12 lists are answered at once (the missing name), not walked.
    @Test(.timeLimit(.minutes(1))) func tagsInAliasedCollections() {
        expectError("a: &x [1, !foo 2]\nb: *x\n", contains: "bad.yaml:1: unknown tag '!foo'")
        let laughs = "l0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
            + (1...12).map { "l\($0): &a\($0) [" + Array(repeating: "*a\($0 - 1)", count: 9).joined(separator: ",") + "]\n" }.joined()
        expectError(laughs, contains: "missing required field 'name'")
    }

    @Test func binaryGarbage() throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("garbage-\(UUID()).yaml")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(throws: InputError.self) { try Scenario.load(contentsOf: file.path) }
    }

    @Test func veryLargeFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("large-\(UUID()).yaml")
        try Data(String(repeating: "# padding line\n", count: 400_000).utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            _ = try Scenario.load(contentsOf: file.path)
            Issue.record("a 6 MB file should be refused")
        } catch let error as InputError {
            #expect(error.description.contains("at most"))
        }
    }

    @Test func missingFile() {
        #expect(throws: InputError.self) { try Scenario.load(contentsOf: "/nonexistent/cns.yaml") }
    }

    @Test func unknownKey() {
        expectError(replacing("horizon: 2060", "horizon: 2060\nhorizn: 2070"), path: "horizn", contains: "unknown key")
    }

    @Test func missingField() {
        expectError(replacing("base_year: 2022\n", ""), path: "base_year", contains: "missing required field")
    }

    @Test func sharesNotSummingToOne() {
        expectError(replacing("share: {value: 0.60, source: \"assumption: coal boilers and stoves\"}",
                              "share: {value: 0.65, source: \"assumption: coal\"}"),
                    path: "markets[0].displaced", contains: "sum to 1")
    }

    @Test func nonPositiveCOP() {
        expectError(replacing("{year: 2030, value: 3.2, source: \"assumption\"}", "{year: 2030, value: 0, source: \"assumption\"}"),
                    path: "markets[0].cop[1].value", contains: "COP > 0")
    }

    @Test func yearsOutOfOrder() {
        expectError(replacing("{year: 2030, value: 0.45,", "{year: 2020, value: 0.45,"), path: "grid.intensity[1].year", contains: "2022 to 2060")
        expectError(replacing("{year: 2030, value: 3.2,", "{year: 2022, value: 3.2,"), path: "markets[0].cop[1].year", contains: "must increase")
    }

    @Test func yearOutsideHorizon() {
        expectError(replacing("{year: 2060, value: 4.0,", "{year: 2070, value: 4.0,"), path: "markets[0].cop[2].year", contains: "2022 to 2060")
    }

    @Test func logisticWithTooFewPoints() {
        expectError(replacing("        - {year: 2030, value: 447, source: \"roadmap: CNS 2030 space-heating sales\"}\n", ""),
                    path: "markets[0].sales.anchors", contains: "at least 3")
    }

    @Test func nanAndInfinity() {
        expectError(replacing("mean: {value: 15,", "mean: {value: .nan,"), path: "lifetime.mean.value", contains: "'.nan' is not a decimal number")
        expectError(replacing("mean: {value: 15,", "mean: {value: .inf,"), path: "lifetime.mean.value", contains: "'.inf' is not a decimal number")
    }

    @Test func badProvenance() {
        expectError(replacing("source: \"assumption: mean service life of a heat pump, years\"", "source: \"guess\""),
                    path: "lifetime.mean.source", contains: "source must start with")
    }

    @Test func invalidDistribution() {
        expectError(replacing("{type: uniform, min: 12, max: 18}", "{type: uniform, min: 18, max: 12}"),
                    path: "uncertain[8].distribution", contains: "invalid uniform")
        expectError(replacing("{type: lognormal, mu: 0, sigma: 0.15}", "{type: lognormal, mu: 0, sigma: -0.15}"),
                    path: "uncertain[4].distribution", contains: "invalid lognormal")
        expectError(replacing("{type: uniform, min: 12, max: 18}", "{type: gamma, k: 2}"),
                    path: "uncertain[8].distribution.type", contains: "unknown distribution")
    }

    @Test func unknownTarget() {
        expectError(replacing("target: heating.cop\n", "target: heating.cops\n"), path: "uncertain[2].target", contains: "unknown target")
        expectError(replacing("target: grid@2030", "target: grid@2031"), path: "uncertain[0].target", contains: "no anchor in 2031")
        expectError(replacing("target: heating.cop\n    apply: factor", "target: heating.cop\n    apply: shift"),
                    path: "uncertain[2]", contains: "only apply: factor, ramp_factor or ramp_shift")
    }

    /// Moving the midpoint would move the observed base year: the message says why and what to vary instead.
    @Test func midpointTargetIsRefused() {
        expectError(replacing("target: heating.sales.r\n    apply: factor", "target: heating.sales.t0\n    apply: shift"),
                    path: "uncertain[6].target", contains: "t0 cannot vary: the curve keeps its base-year sales")
        expectError(replacing("target: heating.sales.r\n    apply: factor", "target: heating.sales.t0\n    apply: shift"),
                    contains: "vary the timing of the take-off through heating.sales.r")
    }

    /// An input that would move an observed figure is refused, naming the input and the figure.
    @Test func inputOnAnObservedFigureIsRefused() {
        // A factor on the whole COP path is fine (no COP is observed); on the value path it moves 2022.
        expectError(replacing("target: heating.cop\n", "target: heating.value\n"), path: "uncertain[2].target",
                    contains: "input 'cop_heating' (heating.value) would change heating.value@2022 (line 42), which is marked observed")
        // Sales move the value too, and the grid's 2022 intensity is observed as well.
        expectError(replacing("target: hotwater.cop\n", "target: hotwater.sales\n"), path: "uncertain[3].target",
                    contains: "would change hotwater.sales@2022")
        expectError(replacing("target: grid@2030", "target: grid\n    apply: factor"), path: "uncertain[0].target",
                    contains: "input 'grid_2030' (grid) would change grid@2022")
        // Without 'observed' the same input is accepted; a ramp from the observed year is accepted too.
        let unobserved = replacing("target: heating.cop\n", "target: heating.value\n")
            .replacingOccurrences(of: "{year: 2022, value: 125, observed: true,", with: "{year: 2022, value: 125,")
        #expect(throws: Never.self) { try Scenario.parse(text: unobserved, file: "ok.yaml") }
        let ramped = replacing("target: heating.cop\n    apply: factor", "target: heating.value\n    apply: ramp_factor\n    from: 2022")
        #expect(throws: Never.self) { try Scenario.parse(text: ramped, file: "ok.yaml") }
        // A ramp leaves the years up to its start alone, not those after it.
        let copRamp = replacing("target: heating.cop\n    apply: factor", "target: heating.cop\n    apply: ramp_factor")
            .replacingOccurrences(of: "{year: 2030, value: 3.2, source", with: "{year: 2030, value: 3.2, observed: true, source")
        expectError(copRamp, path: "uncertain[2].target", contains: "input 'cop_heating' (heating.cop) would change heating.cop@2030")
        let later = copRamp.replacingOccurrences(of: "apply: ramp_factor", with: "apply: ramp_factor\n    from: 2030")
        #expect(throws: Never.self) { try Scenario.parse(text: later, file: "ok.yaml") }
        // A ramp's years in order, on whole paths only; 'from' and 'to' only with a ramp.
        expectError(replacing("target: heating.cop\n    apply: factor", "target: heating.cop\n    apply: ramp_factor\n    from: 2040\n    to: 2030"),
                    path: "uncertain[2].to", contains: "a year after 'from' (2040)")
        expectError(replacing("target: grid@2030", "target: grid@2030\n    apply: ramp_shift"), path: "uncertain[0]",
                    contains: "ramp_shift grows along a whole path")
        expectError(replacing("target: heating.cop\n    apply: factor", "target: heating.cop\n    apply: factor\n    from: 2030"),
                    path: "uncertain[2].from", contains: "'from' and 'to' belong to apply: ramp_factor or ramp_shift")
    }

    @Test func duplicateInput() {
        expectError(replacing("name: cop_hotwater", "name: cop_heating"), path: "uncertain[3].name", contains: "declared twice")
    }

    /// A name is in every row of bands.csv and in file names: 64 characters at most (a name of 100,000
    /// made a 936 MB bands.csv from 300 samples; one over 240 failed writing its fan chart after the run).
    @Test func namesLongerThan64CharactersAreRefused() throws {
        let long = String(repeating: "n", count: 64)
        expectError(replacing("name: CNS\n", "name: C\(long)\n"), path: "name", contains: "a scenario name is letters, digits, '_' and '-', starting with a letter, at most 64 characters")
        expectError(replacing("  - name: heating\n", "  - name: h\(long)\n"), path: "markets[0].name", contains: "at most 64 characters")
        expectError(replacing("name: cop_hotwater", "name: c\(long)"), path: "uncertain[3]", contains: "an input name is letters, digits, '_' and '.', starting with a letter, at most 64 characters")
        expectError(replacing("fuel: gas", "fuel: g\(long)"), contains: "a fuel name is letters, digits, '_' and '-', starting with a letter, at most 64 characters")
        let longest = try Scenario.parse(text: replacing("name: CNS\n", "name: C\(long.dropFirst())\n"), file: "cns.yaml")
        #expect(longest.name.count == 64)
    }

    /// Each kind of name takes its own ASCII characters: letters and digits of other scripts are refused.
    @Test func namesAreASCIILettersAndDigitsWithTheirOwnPunctuation() throws {
        for bad in ["Cé", "C\u{0661}", "C.1", "_C", "1C", "C\r\nS", "C\u{301}"] {
            expectError(replacing("name: CNS\n", "name: \"\(bad)\"\n"), path: "name", contains: "a scenario name is letters, digits")
        }
        for bad in ["Heating", "heat-ing", "h\u{0131}"] {
            expectError(replacing("  - name: heating\n", "  - name: \"\(bad)\"\n"), path: "markets[0].name", contains: "a market name is lowercase letters")
        }
        expectError(replacing("name: cop_hotwater", "name: cop-hotwater"), path: "uncertain[3]", contains: "an input name is letters, digits, '_' and '.'")
        let accepted = try Scenario.parse(text: replacing("name: CNS\n", "name: C-9_x\n").replacingOccurrences(of: "name: cop_hotwater", with: "name: cop.Hot_2"),
                                          file: "cns.yaml")
        #expect(accepted.name == "C-9_x")
        #expect(accepted.uncertain.contains { $0.name == "cop.Hot_2" })
    }

    @Test func correlationNamesUnknownInput() {
        expectError(text + "\ncorrelations:\n  - {between: [grid_2030, nothing], rank: 0.5}\n", path: "correlations[0]", contains: "not an uncertain input")
        expectError(text + "\ncorrelations:\n  - {between: [grid_2030, grid_2060], rank: 1.5}\n", path: "correlations[0].rank", contains: "strictly between -1 and 1")
    }

    @Test func segmentSharesMustSumToOne() {
        expectError(replacing("{year: 2022, value: 0.29, source: \"roadmap: commercial share of 2022 space-heating value (29 %)\"}",
                              "{year: 2022, value: 0.30, source: \"roadmap: 30 %\"}"),
                    path: "markets[0].segments", contains: "sums to")
    }

    @Test func freeParameterNeedsBoundsAndValueInside() {
        expectError(replacing("free: true, bounds: [5, 200]", "free: true"), path: "markets[0].heat_per_unit.h0", contains: "needs bounds")
        expectError(replacing("bounds: [5, 200]", "bounds: [70, 200]"), path: "markets[0].heat_per_unit.h0.value", contains: "outside its bounds")
    }
}
