import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import SVGCharts

/// Counts elements and parse errors: well-formed XML or not.
final class XMLCheck: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var failed = false
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(name)
    }
    func parser(_ parser: XMLParser, parseErrorOccurred error: Error) { failed = true }

    static func check(_ svg: String) -> XMLCheck {
        let check = XMLCheck()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = check
        check.failed = !parser.parse() || check.failed
        return check
    }
}

func expectAccessible(_ svg: String, title: String, labels: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    let check = XMLCheck.check(svg)
    #expect(!check.failed, "not well-formed XML", sourceLocation: sourceLocation)
    #expect(check.elements.first == "svg" && check.elements.contains("title") && check.elements.contains("desc"), sourceLocation: sourceLocation)
    #expect(svg.contains("role=\"img\""), sourceLocation: sourceLocation)
    #expect(svg.contains(title), sourceLocation: sourceLocation)
    for label in labels { #expect(svg.contains(label), "missing \(label)", sourceLocation: sourceLocation) }
    // No URL but the SVG namespace, and no non-finite numbers written out.
    #expect(svg.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").range(of: "http") == nil, sourceLocation: sourceLocation)
    #expect(svg.range(of: "nan", options: .caseInsensitive) == nil && svg.range(of: "inf\"") == nil, sourceLocation: sourceLocation)
}

struct NiceScaleTests {
    @Test func knownRanges() {
        let a = NiceScale(minimum: 0, maximum: 4.34)
        #expect(a.lower == 0 && a.upper == 5 && a.step == 1)
        let b = NiceScale(minimum: -3.2, maximum: 7.9)
        #expect(b.lower <= -3.2 && b.upper >= 7.9 && [2, 2.5].contains(b.step))
        let c = NiceScale(minimum: 2022, maximum: 2060, maximumTicks: 9)
        #expect(c.step == 5 && c.lower == 2020 && c.upper == 2060)
        let constant = NiceScale(minimum: 3, maximum: 3)
        #expect(constant.lower < 3 && constant.upper > 3)
        #expect(NiceScale(minimum: 0, maximum: 0).ticks.count >= 2)
    }
}

struct ChartTests {
    let years = (2022...2060).map(Double.init)

    func fan() -> FanChart {
        var chart = FanChart(title: "Total CO2 reduction <CNS & \"NGS\">", xLabel: "year", yLabel: "reduction (1e8 tCO2/yr)", x: years)
        let median = years.map { 0.4 + 0.1 * ($0 - 2022) }
        chart.bands = [FanChart.Band(name: "P5–P95", lower: median.map { $0 * 0.7 }, upper: median.map { $0 * 1.3 }, colour: Palette.blue, opacity: 0.2)]
        var gap = median
        gap[5] = .nan
        chart.lines = [FanChart.Line(name: "median", values: gap, colour: Palette.blue)]
        chart.points = [FanChart.Point(x: 2060, y: 4.34), FanChart.Point(x: 2070, y: 99)]
        return chart
    }

    @Test func fanChartIsWellFormedAndAccessible() {
        let svg = fan().svg()
        expectAccessible(svg, title: "Total CO2 reduction &lt;CNS &amp; &quot;NGS&quot;&gt;", labels: ["year", "reduction (1e8 tCO2/yr)", "P5–P95", "median", "reference figure"])
        #expect(svg.components(separatedBy: "<polyline").count == 3)   // the NaN splits the median in two
        #expect(svg == fan().svg())                                      // deterministic
        #expect(!fan().svg(standalone: false).hasPrefix("<?xml"))
    }

    @Test func pointsOutsideThePlotStayInsideTheViewBox() {
        let svg = fan().svg(width: 720, height: 420)
        for match in svg.components(separatedBy: "cx=\"").dropFirst() {
            let x = Double(match.prefix { $0 != "\"" })!
            #expect(x >= 0 && x <= 720)
        }
    }

    @Test func barTornadoAndHeatMap() {
        var bars = BarChart(title: "Sobol' indices", valueLabel: "index", categories: ["grid_2060", "cop <heating>"])
        bars.groups = [BarChart.Group(name: "S1", values: [0.4, 0.2], intervals: [0.02, 0.03], colour: Palette.blue),
                       BarChart.Group(name: "ST", values: [0.5, 0.25], intervals: nil, colour: Palette.orange)]
        expectAccessible(bars.svg(), title: "Sobol&apos; indices", labels: ["index", "grid_2060", "cop &lt;heating&gt;", "S1", "ST"])

        let tornado = TornadoChart(title: "Tornado", valueLabel: "2060 reduction", central: 4.3,
                                   bars: [.init(name: "small", low: 4.2, high: 4.4), .init(name: "big", low: 3.0, high: 5.5)])
        #expect(tornado.bars.map(\.name) == ["big", "small"])
        expectAccessible(tornado.svg(), title: "Tornado", labels: ["2060 reduction", "input at P5", "input at P95", "central value"])

        let map = HeatMap(title: "Median", xLabel: "grid 2060 (kgCO2/kWh)", yLabel: "COP factor", valueLabel: "1e8 t",
                          xValues: [0.02, 0.1, 0.2], yValues: [0.9, 1.1], values: [[4, 4.2, 4.4], [4.1, 4.3, .nan]])
        expectAccessible(map.svg(), title: "Median", labels: ["grid 2060 (kgCO2/kWh)", "COP factor", "1e8 t"])
    }
}
