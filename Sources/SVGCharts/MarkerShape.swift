/// Symbols for reference points; shape as well as colour tells them apart, so they survive grey-scale print.
public enum MarkerShape: Sendable, Hashable {
    case diamond, square, triangle, circle

    /// Draws the marker centred on `centre`, `size` across, filled with `colour` and ringed in white
    /// so it stands out on top of bands and lines.
    func draw(into writer: inout SVGWriter, centre: PlotPoint, size: Double, colour: Colour) {
        let r = size / 2
        let style: SVGWriter.Attributes = [("fill", colour.hex), ("stroke", Style.background), ("stroke-width", "1")]
        switch self {
        case .circle:
            writer.empty("circle", [
                ("cx", NumberText.coordinate(centre.x)), ("cy", NumberText.coordinate(centre.y)), ("r", NumberText.coordinate(r)),
            ] + style)
        case .square:
            let side = r * 1.6
            writer.empty("rect", [
                ("x", NumberText.coordinate(centre.x - side / 2)), ("y", NumberText.coordinate(centre.y - side / 2)),
                ("width", NumberText.coordinate(side)), ("height", NumberText.coordinate(side)),
            ] + style)
        case .diamond:
            polygon(into: &writer, [(0, -r), (r, 0), (0, r), (-r, 0)], centre: centre, style: style)
        case .triangle:
            polygon(into: &writer, [(0, -r), (r, r * 0.8), (-r, r * 0.8)], centre: centre, style: style)
        }
    }

    private func polygon(into writer: inout SVGWriter, _ offsets: [(Double, Double)], centre: PlotPoint, style: SVGWriter.Attributes) {
        let points = offsets.map { NumberText.coordinate(centre.x + $0.0) + "," + NumberText.coordinate(centre.y + $0.1) }
        writer.empty("polygon", [("points", points.joined(separator: " "))] + style)
    }
}
