import Testing
@testable import SVGCharts

@Suite("Bar chart")
struct BarChartTests {
    static func sample(title: String = "Sobol' indices") -> BarChart {
        var chart = BarChart(title: title, categoryLabel: "Parameter", valueLabel: "Index (dimensionless)",
                             categories: ["growth rate", "saturation", "COP"])
        chart.addSeries(name: "S1", values: [0.42, 0.25, -0.01], lower: [0.36, 0.2, -0.05], upper: [0.48, 0.3, 0.03])
        chart.addSeries(name: "ST", values: [0.5, 0.31, 0.02], lower: [0.44, 0.26, 0], upper: [0.56, 0.37, 0.05])
        return chart
    }

    private static func bars(_ svg: String) -> [SVGInspection.Element] {
        SVGInspection(svg).elements.filter { $0.name == "rect" && Palette.categorical.prefix(2).map(\.hex).contains($0.attributes["fill"] ?? "") }
    }

    @Test func rendersAnAccessibleWellFormedChart() {
        let svg = Self.sample().svg()
        #expect(commonProblems(svg, title: "Sobol' indices", axisLabels: ["Parameter", "Index (dimensionless)"]) == [])
        let document = SVGInspection(svg)
        #expect(["growth rate", "saturation", "COP", "S1", "ST"].allSatisfy(document.hasText))
        // Six bars plus two legend swatches; each interval has one line and two caps.
        #expect(Self.bars(svg).count == 6 + 2)
        #expect(document.all("line").filter { $0.attributes["stroke"] == "#222222" }.count == 6 * 3)
        #expect(document.all("desc").first?.text.contains("growth rate: S1 0.42 (0.36 to 0.48), ST 0.5 (0.44 to 0.56).") == true)
    }

    @Test func categoriesKeepTheirGivenOrderTopDown() throws {
        let document = SVGInspection(Self.sample().svg())
        let ys = try ["growth rate", "saturation", "COP"].map { name in
            try #require(document.elements.first { $0.text == name }?.attributes["y"].flatMap(Double.init))
        }
        #expect(ys == ys.sorted())
    }

    @Test func negativeValuesExtendLeftOfZero() throws {
        let svg = Self.sample().svg()
        let document = SVGInspection(svg)
        let zeroTick = try #require(document.elements.first { $0.text == "0.0" || $0.text == "0" }?.attributes["x"].flatMap(Double.init))
        let negative = Self.bars(svg).filter { ($0.attributes["x"].flatMap(Double.init) ?? 0) < zeroTick - 0.5 }
        #expect(negative.count == 1)
    }

    @Test func outputIsDeterministicAndEscaped() {
        var chart = Self.sample(title: "<S1> & \"ST\"")
        chart.categories[0] = "a<b"
        let svg = chart.svg()
        #expect(svg == chart.svg())
        #expect(commonProblems(svg, title: "<S1> & \"ST\"", axisLabels: ["Parameter"]) == [])
        #expect(SVGInspection(svg).hasText("a<b"))
    }

    @Test func valuesBeyondAFixedDomainAreCut() {
        var chart = Self.sample()
        chart.valueDomain = 0...0.3
        chart.series[0].values[0] = 1e9
        chart.series[1].upper?[0] = .infinity
        chart.series[1].values[2] = .nan
        let svg = chart.svg()
        #expect(commonProblems(svg, title: chart.title, axisLabels: ["Parameter"]) == [])
        #expect(Self.bars(svg).count == 5 + 2)
    }

    @Test func emptyAndAllZeroChartsStillRender() {
        var zeros = BarChart(title: "Zeros", categoryLabel: "Parameter", valueLabel: "Index (–)", categories: ["a", "b"])
        zeros.addSeries(name: "S1", values: [0, 0])
        #expect(commonProblems(zeros.svg(), title: "Zeros", axisLabels: ["Parameter"]) == [])
        let empty = BarChart(title: "Empty", categoryLabel: "Parameter", valueLabel: "Index (–)")
        let svg = empty.svg(height: 200)
        #expect(SVGInspection(svg).isWellFormed)
        #expect(SVGInspection(svg).viewBox?.height == 200)
    }
}
