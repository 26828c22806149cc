import Testing
@testable import SVGCharts

@Suite("Clipping")
struct ClippingTests {
    let box = PlotRect(minX: 0, minY: 0, maxX: 10, maxY: 10)

    @Test func segmentsInsideAreKept() throws {
        let (a, b) = try #require(Clipping.segment(PlotPoint(x: 1, y: 1), PlotPoint(x: 9, y: 5), to: box))
        #expect(a == PlotPoint(x: 1, y: 1) && b == PlotPoint(x: 9, y: 5))
    }

    @Test func crossingSegmentsEndOnTheEdge() throws {
        let (a, b) = try #require(Clipping.segment(PlotPoint(x: -10, y: 5), PlotPoint(x: 20, y: 5), to: box))
        #expect(a == PlotPoint(x: 0, y: 5) && b == PlotPoint(x: 10, y: 5))
        let (c, d) = try #require(Clipping.segment(PlotPoint(x: 5, y: 5), PlotPoint(x: 5, y: 30), to: box))
        #expect(c == PlotPoint(x: 5, y: 5) && d == PlotPoint(x: 5, y: 10))
    }

    @Test func segmentsOutsideVanish() {
        #expect(Clipping.segment(PlotPoint(x: -5, y: -5), PlotPoint(x: -1, y: 20), to: box) == nil)
        #expect(Clipping.segment(PlotPoint(x: 11, y: 0), PlotPoint(x: 11, y: 10), to: box) == nil)
    }

    @Test func polylineSplitsWhereItLeaves() {
        let path = [PlotPoint(x: 1, y: 5), PlotPoint(x: 5, y: 15), PlotPoint(x: 9, y: 5)]
        let pieces = Clipping.polyline(path, to: box)
        #expect(pieces.count == 2)
        #expect(pieces.allSatisfy { $0.allSatisfy { box.contains($0) } })
        #expect(pieces[0].last == PlotPoint(x: 3, y: 10))
    }

    @Test func polygonIsCutToTheBox() {
        let square = [PlotPoint(x: 5, y: 5), PlotPoint(x: 15, y: 5), PlotPoint(x: 15, y: 15), PlotPoint(x: 5, y: 15)]
        let clipped = Clipping.polygon(square, to: box)
        #expect(clipped.allSatisfy { box.contains($0) })
        // Shoelace area of the visible quarter: 5 × 5.
        let area = zip(clipped, clipped.dropFirst() + [clipped[0]]).map { $0.x * $1.y - $1.x * $0.y }.reduce(0, +) / 2
        #expect(abs(abs(area) - 25) < 1e-12)
        #expect(Clipping.polygon([PlotPoint(x: 20, y: 20), PlotPoint(x: 30, y: 20), PlotPoint(x: 30, y: 30)], to: box).isEmpty)
    }
}
