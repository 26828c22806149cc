import Testing
@testable import SVGCharts

@Suite("Heat map")
struct HeatMapTests {
    static func sample(title: String = "Probability of meeting the target") -> HeatMap {
        HeatMap(title: title, xLabel: "Growth rate (1/yr)", yLabel: "Saturation (million units)", valueLabel: "Probability (–)",
                xValues: [0.1, 0.2, 0.3, 0.4], yValues: [4, 6, 8],
                values: [[0, 0.1, 0.2, 0.3], [0.1, 0.3, 0.5, 0.7], [0.2, 0.5, 0.8, 1]])
    }

    private static func cells(_ document: SVGInspection) -> [SVGInspection.Element] {
        guard let start = document.elements.firstIndex(where: { $0.attributes["class"] == "cells" }) else { return [] }
        return document.elements[(start + 1)...].prefix { $0.name == "rect" }.map { $0 }
    }

    @Test func rendersAnAccessibleWellFormedChart() {
        let svg = Self.sample().svg()
        #expect(commonProblems(svg, title: "Probability of meeting the target",
                               axisLabels: ["Growth rate (1/yr)", "Saturation (million units)", "Probability (–)"]) == [])
        let document = SVGInspection(svg)
        #expect(["0.1", "0.4", "4", "8"].allSatisfy(document.hasText))
        #expect(Self.cells(document).count == 12)
        #expect(document.all("stop").count == SequentialScale.viridis.anchors.count)
        // The colour bar's ticks: 0 to 1 by 0.2.
        #expect(["0", "0.2", "0.4", "0.6", "0.8", "1.0"].allSatisfy(document.hasText))
    }

    @Test func cellColoursFollowTheScale() {
        let cells = Self.cells(SVGInspection(Self.sample().svg()))
        let fills = cells.compactMap { $0.attributes["fill"] }
        #expect(fills.contains(SequentialScale.viridis.colour(at: 0).hex))
        #expect(fills.contains(SequentialScale.viridis.colour(at: 1).hex))
        #expect(fills.contains(SequentialScale.viridis.colour(at: 0.5).hex))
    }

    @Test func rowZeroIsAtTheBottomUnlessAskedOtherwise() throws {
        var map = Self.sample()
        let y = { (svg: String, label: String) in SVGInspection(svg).elements.first { $0.text == label }?.attributes["y"].flatMap(Double.init) ?? .nan }
        #expect(y(map.svg(), "4") > y(map.svg(), "8"))
        map.firstRowAtTop = true
        #expect(y(map.svg(), "4") < y(map.svg(), "8"))
    }

    @Test func annotationsAndMissingCells() {
        var map = Self.sample()
        map.values[1][2] = .nan
        map.values[2].removeLast()
        map.cellValueDecimals = 2
        let svg = map.svg()
        #expect(commonProblems(svg, title: map.title, axisLabels: ["Growth rate (1/yr)"]) == [])
        let document = SVGInspection(svg)
        #expect(document.hasText("no data"))
        #expect(Self.cells(document).filter { $0.attributes["fill"] == Style.missing.hex }.count == 2)
        let annotations = document.elements.filter { $0.name == "text" && $0.text.count == 4 && $0.text.hasPrefix("0.") }
        #expect(annotations.count == 10)
    }

    @Test func escapingDeterminismAndConstantData() {
        var map = Self.sample(title: "P(stock > target) & <more>")
        map.columns[0] = "\"low\""
        map.values = map.values.map { $0.map { _ in 7 } }
        let svg = map.svg()
        #expect(svg == map.svg())
        #expect(commonProblems(svg, title: "P(stock > target) & <more>", axisLabels: ["Growth rate (1/yr)"]) == [])
        #expect(SVGInspection(svg).hasText("\"low\""))
        let empty = HeatMap(title: "Empty", xLabel: "x (unit)", yLabel: "y (unit)", valueLabel: "v (unit)", columns: [], rows: [], values: [])
        #expect(commonProblems(empty.svg(), title: "Empty", axisLabels: ["x (unit)", "y (unit)", "v (unit)"]) == [])
    }

    @Test func inlinedMapsKeepDistinctIDs() {
        let first = Self.sample(title: "One").svg(standalone: false)
        let second = Self.sample(title: "Two").svg(standalone: false)
        let ids = { (svg: String) in Set(SVGInspection(svg).elements.compactMap { $0.attributes["id"] }) }
        #expect(ids(first).isDisjoint(with: ids(second)))
        #expect(ids(first).count == 3)
    }
}
