import Testing

/// The shared checks must themselves catch what they look for, or every chart test would pass vacuously.
@Suite("Inspection helper")
struct InspectionTests {
    private let valid = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" role="img" aria-labelledby="t d">\
        <title id="t">T</title><desc id="d">D</desc><text x="1" y="2">T</text><text x="3" y="4">X</text>\
        <g class="legend"></g></svg>
        """

    @Test func acceptsAMinimalValidChart() {
        #expect(commonProblems(valid, title: "T", axisLabels: ["X"]) == [])
    }

    @Test func catchesEachKindOfProblem() {
        let cases = [
            valid.replacingOccurrences(of: "<desc id=\"d\">D</desc>", with: "<desc id=\"d\">a < b</desc>"),
            valid.replacingOccurrences(of: "y=\"4\"", with: "y=\"nan\""),
            valid.replacingOccurrences(of: "x=\"3\"", with: "x=\"300\""),
            valid.replacingOccurrences(of: "class=\"legend\"", with: "class=\"key\""),
            valid.replacingOccurrences(of: "<g class", with: "<a href=\"https://example.org\"/><g class"),
            valid.replacingOccurrences(of: " role=\"img\"", with: ""),
            valid.replacingOccurrences(of: "<g class", with: "<g style=\"fill: red\" class"),
        ]
        for svg in cases {
            #expect(!commonProblems(svg, title: "T", axisLabels: ["X"]).isEmpty, "\(svg)")
        }
        #expect(!commonProblems(valid, title: "Other", axisLabels: ["X"]).isEmpty)
        #expect(!commonProblems(valid, title: "T", axisLabels: ["Y"]).isEmpty)
    }
}
