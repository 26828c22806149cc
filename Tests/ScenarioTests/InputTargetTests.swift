import Testing
@testable import Scenario

/// Parsing reads the registry of addressable targets: every target there parses back from its
/// spelling, and a text that names none is told what the registry has where the text leaves it.
struct InputTargetRegistryTests {
    @Test(arguments: [cnsPath, ngsPath])
    func everyAddressableTargetParsesBackFromItsSpelling(path: String) throws {
        let scenario = try Scenario.load(contentsOf: path)
        let targets = InputTarget.addressable(in: scenario)
        let spellings = targets.map { $0.spelling(in: scenario) }
        #expect(Set(targets).count == targets.count)
        #expect(Set(spellings).count == spellings.count)
        for (target, spelling) in zip(targets, spellings) {
            #expect(try InputTarget.parse(spelling, in: scenario).get() == target, "\(spelling)")
        }
        // Each input's target is one of them, spelled as its file writes it.
        for input in scenario.uncertain {
            #expect(input.target.spelling(in: scenario) == input.targetText)
        }
    }

    @Test(arguments: [
        ("heating.cops", "'heating' has sales, value, cop, heat_per_unit, displaced, not 'cops'"),
        ("heating", "name what of 'heating': sales, value, cop, heat_per_unit, displaced"),
        ("heating.displaced.oil.share", "'heating.displaced' has coal, gas, electric, not 'oil'"),
        ("heating.displaced.coal.price", "'heating.displaced.coal' has share, emission_factor, efficiency, not 'price'"),
        ("lifetime.mean.x", "'lifetime.mean' has no parts; 'x' is too many"),
        ("foo", "'foo' is neither a market nor a global input; known: grid, lifetime, backcast, heating, hotwater"),
        ("grid@2045", "grid has no anchor in 2045; its anchor years: 2022, 2030, 2060"),
        ("lifetime.mean@2030", "lifetime.mean takes no '@YEAR'"),
        ("grid@x", "the year after '@' is not a whole number"),
        ("heating.sales@2030", "the anchors of a fitted logistic curve cannot vary per sample; vary heating.sales.K or .r"),
        ("heating.sales.nu", "a logistic has no nu; use a richards curve"),
        ("heating.displaced.electric.emission_factor", "'electric' draws on the grid: its emissions follow the grid target"),
    ])
    func aTextThatNamesNothingSaysWhatIsThere(text: String, reason: String) throws {
        let scenario = try Scenario.load(contentsOf: cnsPath)
        guard case .failure(let problem) = InputTarget.parse(text, in: scenario) else {
            Issue.record("'\(text)' parsed")
            return
        }
        #expect(problem.reason == reason)
    }
}
