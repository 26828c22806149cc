/// One horizontal bar slot, shared by bar and tornado charts; x positions are clamped to the plot.
struct BarGeometry {
    let top: Double
    let thickness: Double
    let plot: PlotRect

    private func clampX(_ x: Double) -> Double {
        min(max(x, plot.minX), plot.maxX)
    }

    /// A filled bar between two pixel x positions; nothing is drawn for a non-finite end.
    func drawBar(into writer: inout SVGWriter, from start: Double, to end: Double, colour: Colour) {
        guard start.isFinite && end.isFinite else { return }
        let left = clampX(min(start, end))
        let right = clampX(max(start, end))
        writer.empty("rect", [
            ("x", NumberText.coordinate(left)), ("y", NumberText.coordinate(top)),
            ("width", NumberText.coordinate(right - left)), ("height", NumberText.coordinate(thickness)),
            ("fill", colour.hex),
        ])
    }

    /// An error bar across the middle of the slot, with end caps where an end lies inside the plot.
    func drawInterval(into writer: inout SVGWriter, from start: Double, to end: Double) {
        let middle = top + thickness / 2
        let cap = min(thickness * 0.6, 9) / 2
        let left = min(start, end)
        let right = max(start, end)
        guard right >= plot.minX && left <= plot.maxX else { return }
        let stroke: SVGWriter.Attributes = [("stroke", Style.text), ("stroke-width", "1.3")]
        writer.empty("line", [
            ("x1", NumberText.coordinate(clampX(left))), ("y1", NumberText.coordinate(middle)),
            ("x2", NumberText.coordinate(clampX(right))), ("y2", NumberText.coordinate(middle)),
        ] + stroke)
        for x in [left, right] where x >= plot.minX && x <= plot.maxX {
            writer.empty("line", [
                ("x1", NumberText.coordinate(x)), ("y1", NumberText.coordinate(middle - cap)),
                ("x2", NumberText.coordinate(x)), ("y2", NumberText.coordinate(middle + cap)),
            ] + stroke)
        }
    }

    /// The zero reference line, when zero lies on the value axis.
    static func drawZeroLine(into writer: inout SVGWriter, map: LinearMap, plot: PlotRect) {
        let x = map(0)
        guard x >= plot.minX && x <= plot.maxX else { return }
        writer.empty("line", [
            ("x1", NumberText.coordinate(x)), ("y1", NumberText.coordinate(plot.minY)),
            ("x2", NumberText.coordinate(x)), ("y2", NumberText.coordinate(plot.maxY)),
            ("stroke", Style.axis), ("stroke-width", "1"),
        ])
    }
}
