/// The colour-scale legend of a heat map: a vertical gradient beside the plot with value ticks and a title.
struct ColourBar {
    private static let gap = 18.0
    private static let barWidth = 14.0

    let scale: SequentialScale
    let values: NiceScale
    let label: String

    /// Width to keep free right of the plot: gap, bar, tick labels and the rotated title.
    var reservedWidth: Double {
        Self.gap + Self.barWidth + 7 + Axes.widestLabel(values) + 10 + Style.axisLabelSize
    }

    func draw(into writer: inout SVGWriter, plot: PlotRect, chartWidth: Double, gradientID: String) {
        let left = plot.maxX + Self.gap
        let map = LinearMap(domainLower: values.lower, domainUpper: values.upper, rangeStart: plot.maxY, rangeEnd: plot.minY)
        writer.open("g", [("class", "legend colour-scale")])
        writer.open("defs")
        writer.open("linearGradient", [("id", gradientID), ("x1", "0"), ("y1", "1"), ("x2", "0"), ("y2", "0")])
        for (index, anchor) in scale.anchors.enumerated() {
            let offset = Double(index) / Double(scale.anchors.count - 1)
            writer.empty("stop", [("offset", NumberText.fixed(offset, decimals: 4)), ("stop-color", anchor.hex)])
        }
        writer.close("linearGradient")
        writer.close("defs")
        writer.empty("rect", [
            ("x", NumberText.coordinate(left)), ("y", NumberText.coordinate(plot.minY)),
            ("width", NumberText.coordinate(Self.barWidth)), ("height", NumberText.coordinate(plot.height)),
            ("fill", "url(#\(gradientID))"), ("stroke", Style.axis), ("stroke-width", "0.5"),
        ])
        let labels = TickLabels(scale: values)
        for tick in values.ticks {
            let y = map(tick)
            writer.empty("line", [
                ("x1", NumberText.coordinate(left + Self.barWidth)), ("y1", NumberText.coordinate(y)),
                ("x2", NumberText.coordinate(left + Self.barWidth + 4)), ("y2", NumberText.coordinate(y)), ("stroke", Style.axis),
            ])
            writer.element("text", [
                ("x", NumberText.coordinate(left + Self.barWidth + 7)), ("y", NumberText.coordinate(y + Style.tickSize * 0.35)),
            ], content: labels.text(tick))
        }
        let titleX = NumberText.coordinate(chartWidth - Style.padding)
        writer.element("text", [
            ("transform", "translate(\(titleX),\(NumberText.coordinate(plot.midY))) rotate(-90)"),
            ("text-anchor", "middle"), ("font-size", NumberText.coordinate(Style.axisLabelSize)),
        ], content: TextMetrics.truncated(label, maxWidth: plot.height + 40, fontSize: Style.axisLabelSize))
        writer.close("g")
    }
}
