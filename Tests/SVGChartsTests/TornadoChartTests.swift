import Testing
@testable import SVGCharts

@Suite("Tornado chart")
struct TornadoChartTests {
    static func sample(title: String = "Emissions in 2050") -> TornadoChart {
        var chart = TornadoChart(title: title, valueLabel: "Emissions (Mt CO2/yr)", baseline: 12.4, categoryLabel: "Parameter")
        chart.entries = [
            .init(label: "COP", low: 13.1, high: 11.9),
            .init(label: "growth rate", low: 15.2, high: 9.8),
            .init(label: "grid factor", low: 10.1, high: 14.8),
            .init(label: "saturation", low: 12.9, high: 13.6),
        ]
        return chart
    }

    @Test func entriesAreSortedBySwingLargestFirst() {
        var chart = Self.sample()
        chart.entries.append(.init(label: "unknown", low: .nan, high: 1))
        chart.entries.append(.init(label: "tie with COP", low: 12.0, high: 13.2))
        #expect(chart.sortedEntries.map(\.label) == ["growth rate", "grid factor", "COP", "tie with COP", "saturation", "unknown"])
    }

    @Test func rendersAnAccessibleWellFormedChart() throws {
        let svg = Self.sample().svg()
        #expect(commonProblems(svg, title: "Emissions in 2050", axisLabels: ["Parameter", "Emissions (Mt CO2/yr)"]) == [])
        let document = SVGInspection(svg)
        #expect(["input at P5", "input at P95", "all inputs at central value (12.4)"].allSatisfy(document.hasText))
        // Both ends of every bar are labelled.
        #expect(["15.2", "9.8", "10.1", "14.8", "13.1", "11.9", "12.9", "13.6"].allSatisfy(document.hasText))
        // Largest swing on top.
        let labelY = { (name: String) in document.elements.first { $0.text == name }?.attributes["y"].flatMap(Double.init) ?? .nan }
        #expect(labelY("growth rate") < labelY("grid factor") && labelY("grid factor") < labelY("COP") && labelY("COP") < labelY("saturation"))
    }

    @Test func barsStartAtTheBaseline() throws {
        let document = SVGInspection(Self.sample().svg())
        let baseline = try #require(document.elements.first { $0.attributes["class"] == "baseline" }?.attributes["x1"].flatMap(Double.init))
        let bars = document.elements.filter { $0.name == "rect" && [Palette.blue.hex, Palette.orange.hex].contains($0.attributes["fill"] ?? "") }
            .filter { ($0.attributes["height"].flatMap(Double.init) ?? 0) > 12 }
        #expect(bars.count == 8)
        for bar in bars {
            let x = bar.attributes["x"].flatMap(Double.init) ?? .nan
            let width = bar.attributes["width"].flatMap(Double.init) ?? .nan
            #expect(abs(x - baseline) < 0.02 || abs(x + width - baseline) < 0.02)
        }
    }

    @Test func labelsAreEscapedAndOutputDeterministic() {
        var chart = Self.sample(title: "A & B")
        chart.lowLabel = "input < P5"
        let svg = chart.svg()
        #expect(svg == chart.svg())
        #expect(svg.contains("input &lt; P5"))
        #expect(commonProblems(svg, title: "A & B", axisLabels: ["Parameter"]) == [])
    }

    @Test func degenerateEntriesDoNotBreak() {
        var chart = TornadoChart(title: "Flat", valueLabel: "Output (unit)", baseline: 3)
        chart.entries = [.init(label: "none", low: 3, high: 3), .init(label: "broken", low: .nan, high: .infinity)]
        #expect(commonProblems(chart.svg(), title: "Flat", axisLabels: ["Input", "Output (unit)"]) == [])
    }
}
