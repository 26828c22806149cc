import Testing
@testable import SVGCharts

@Suite("Fan chart")
struct FanChartTests {
    static func sample(title: String = "Heat pumps in stock") -> FanChart {
        var chart = FanChart(title: title, xLabel: "Year", yLabel: "Stock (million units)", years: Array(2025...2035))
        let median = (0...10).map { 1 + 0.4 * Double($0) }
        chart.addFan(name: "A", colour: Palette.blue, median: median, intervals: [
            ("P5–P95", median.map { $0 * 0.7 }, median.map { $0 * 1.3 }),
            ("P25–P75", median.map { $0 * 0.9 }, median.map { $0 * 1.1 }),
        ])
        chart.lines.append(.init(name: "B median", values: median.map { $0 * 0.8 }, colour: Palette.orange, dashed: true))
        chart.points = [.init(x: 2030, y: 3.2, label: "roadmap figure"), .init(x: 2035, y: 5.5, label: "roadmap figure")]
        return chart
    }

    @Test func rendersAnAccessibleWellFormedChart() {
        let svg = Self.sample().svg()
        #expect(commonProblems(svg, title: "Heat pumps in stock", axisLabels: ["Year", "Stock (million units)"]) == [])
        let document = SVGInspection(svg)
        for name in ["A P5–P95", "A P25–P75", "A median", "B median", "roadmap figure"] {
            #expect(document.hasText(name), "legend entry \(name)")
        }
        // Two points with one label make one legend entry.
        #expect(document.elements.filter { $0.text == "roadmap figure" }.count == 1)
        #expect(document.all("polygon").count >= 2 + 2 + 1)
        #expect(document.hasText("2025") && document.hasText("2035"))
        let description = document.all("desc").first?.text ?? ""
        #expect(description.contains("A median: 1 at 2025 to 5 at 2035"))
    }

    @Test func standaloneAddsOnlyTheProlog() {
        let chart = Self.sample()
        let file = chart.svg(standalone: true)
        let inline = chart.svg(standalone: false)
        #expect(file.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "))
        #expect(inline.hasPrefix("<svg "))
        #expect(file.hasSuffix(inline))
    }

    @Test func outputIsByteIdentical() {
        #expect(Self.sample().svg() == Self.sample().svg())
        #expect(Self.sample().svg(width: 500, height: 300) != Self.sample().svg())
    }

    @Test func labelsAreEscaped() {
        let title = #"Scenario "A" <draft> & more"#
        var chart = Self.sample(title: title)
        chart.xLabel = "Year <CE>"
        chart.points[0].label = "roadmap & 'target'"
        let svg = chart.svg()
        #expect(svg.contains("Scenario &quot;A&quot; &lt;draft&gt; &amp; more"))
        #expect(commonProblems(svg, title: title, axisLabels: ["Year <CE>"]) == [])
        #expect(SVGInspection(svg).hasText("roadmap & 'target'"))
    }

    @Test func nonFiniteValuesLeaveGaps() {
        var chart = Self.sample()
        chart.lines[0].values[3] = .nan
        chart.lines[0].values[7] = .infinity
        chart.bands[0].upper[5] = -.infinity
        chart.x[9] = .nan
        chart.points.append(.init(x: .nan, y: 2, label: "roadmap figure"))
        let svg = chart.svg()
        #expect(commonProblems(svg, title: chart.title, axisLabels: ["Year"]) == [])
        // The median breaks into 2025–2027 and 2029–2031 as lines; 2033 and 2035 are isolated (2034 has no x), drawn as dots.
        let lines = SVGInspection(svg).elements.filter { $0.attributes["stroke"] == Palette.blue.hex && $0.name == "polyline" }
        #expect(lines.count == 2)
        let dots = SVGInspection(svg).elements.filter { $0.name == "circle" && $0.attributes["fill"] == Palette.blue.hex }
        #expect(dots.count == 2)
    }

    @Test func dataBeyondFixedDomainsStaysInsideTheViewBox() {
        var chart = Self.sample()
        chart.yDomain = 0...4
        chart.xDomain = 2027...2032
        chart.points.append(.init(x: 2040, y: 100, label: "far away"))
        chart.points.append(.init(x: 2030, y: -50, label: "far away"))
        let svg = chart.svg()
        #expect(commonProblems(svg, title: chart.title, axisLabels: ["Year"]) == [])
        let diamonds = SVGInspection(svg).elements.filter { $0.name == "polygon" && $0.attributes["fill"] == Palette.black.hex }
        // The two legend markers and the 2030 figure; both "far away" points and the 2035 figure lie outside the axes.
        #expect(diamonds.count == 2 + 1)
    }

    @Test func constantAndEmptySeriesDoNotBreak() {
        var constant = FanChart(title: "Flat", xLabel: "Year", yLabel: "Value (unit)", years: [2030, 2030])
        constant.lines = [.init(name: "flat", values: [4, 4], colour: Palette.blue)]
        #expect(commonProblems(constant.svg(), title: "Flat", axisLabels: ["Year"]) == [])
        var empty = FanChart(title: "Empty", xLabel: "Year", yLabel: "Value (unit)")
        empty.bands = [.init(name: "nothing", lower: [], upper: [], colour: Palette.blue)]
        #expect(commonProblems(empty.svg(), title: "Empty", axisLabels: ["Year"]) == [])
    }

    @Test func tinyCanvasGrowsRatherThanOverflowing() {
        let svg = Self.sample().svg(width: 240, height: 60)
        #expect(commonProblems(svg, title: "Heat pumps in stock", axisLabels: ["Year"]) == [])
        #expect((SVGInspection(svg).viewBox?.height ?? 0) > 60)
    }
}
