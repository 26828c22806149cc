/// Gridlines, ticks, tick labels and axis titles around a plot rectangle.
enum Axes {
    /// A scale for a horizontal axis whose labels do not collide: fewer ticks are aimed for until
    /// the widest label fits its spacing.
    static func horizontalScale(
        minimum: Double, maximum: Double, plotWidth: Double, tight: Bool, integerStep: Bool = false
    ) -> NiceScale {
        var target = min(max(Int(plotWidth / 80), 3), 12)
        while true {
            let scale = NiceScale(minimum: minimum, maximum: maximum, targetTickCount: target, tight: tight, integerStep: integerStep)
            let labels = TickLabels(scale: scale)
            let widest = scale.ticks.map { TextMetrics.width(labels.text($0), fontSize: Style.tickSize) }.max() ?? 0
            let spacing = plotWidth * scale.step / max(scale.upper - scale.lower, .leastNormalMagnitude)
            if widest + 12 <= spacing || target <= 3 { return scale }
            target -= 1
        }
    }

    /// A tick count suited to a vertical axis `plotHeight` tall.
    static func verticalTickTarget(plotHeight: Double) -> Int {
        min(max(Int(plotHeight / 45), 3), 10)
    }

    static func widestLabel(_ scale: NiceScale) -> Double {
        let labels = TickLabels(scale: scale)
        return scale.ticks.map { TextMetrics.width(labels.text($0), fontSize: Style.tickSize) }.max() ?? 0
    }

    /// Vertical gridlines and labels under the plot for a numeric x axis.
    static func drawXTicks(into writer: inout SVGWriter, scale: NiceScale, map: LinearMap, plot: PlotRect) {
        let labels = TickLabels(scale: scale)
        writer.open("g", [("class", "grid"), ("stroke", Style.grid), ("stroke-width", "1")])
        for tick in scale.ticks {
            let x = NumberText.coordinate(map(tick))
            writer.empty("line", [("x1", x), ("y1", NumberText.coordinate(plot.minY)), ("x2", x), ("y2", NumberText.coordinate(plot.maxY))])
        }
        writer.close("g")
        writer.open("g", [("class", "x-ticks"), ("text-anchor", "middle")])
        for tick in scale.ticks {
            let x = NumberText.coordinate(map(tick))
            writer.empty("line", [("x1", x), ("y1", NumberText.coordinate(plot.maxY)), ("x2", x), ("y2", NumberText.coordinate(plot.maxY + 4)), ("stroke", Style.axis)])
            writer.element("text", [("x", x), ("y", NumberText.coordinate(plot.maxY + 6 + Style.tickSize))], content: labels.text(tick))
        }
        writer.close("g")
    }

    /// Horizontal gridlines and right-aligned labels left of the plot for a numeric y axis.
    static func drawYTicks(into writer: inout SVGWriter, scale: NiceScale, map: LinearMap, plot: PlotRect) {
        let labels = TickLabels(scale: scale)
        writer.open("g", [("class", "grid"), ("stroke", Style.grid), ("stroke-width", "1")])
        for tick in scale.ticks {
            let y = NumberText.coordinate(map(tick))
            writer.empty("line", [("x1", NumberText.coordinate(plot.minX)), ("y1", y), ("x2", NumberText.coordinate(plot.maxX)), ("y2", y)])
        }
        writer.close("g")
        writer.open("g", [("class", "y-ticks"), ("text-anchor", "end")])
        for tick in scale.ticks {
            let y = map(tick)
            writer.empty("line", [
                ("x1", NumberText.coordinate(plot.minX - 4)), ("y1", NumberText.coordinate(y)),
                ("x2", NumberText.coordinate(plot.minX)), ("y2", NumberText.coordinate(y)), ("stroke", Style.axis),
            ])
            writer.element("text", [
                ("x", NumberText.coordinate(plot.minX - 7)), ("y", NumberText.coordinate(y + Style.tickSize * 0.35)),
            ], content: labels.text(tick))
        }
        writer.close("g")
    }

    /// The left and bottom axis lines.
    static func drawFrame(into writer: inout SVGWriter, plot: PlotRect) {
        let left = NumberText.coordinate(plot.minX)
        let bottom = NumberText.coordinate(plot.maxY)
        writer.empty("polyline", [
            ("points", "\(left),\(NumberText.coordinate(plot.minY)) \(left),\(bottom) \(NumberText.coordinate(plot.maxX)),\(bottom)"),
            ("fill", "none"), ("stroke", Style.axis), ("stroke-width", "1"),
        ])
    }

    /// The x-axis title, centred under the tick labels.
    static func drawXLabel(into writer: inout SVGWriter, text: String, plot: PlotRect, width: Double) {
        let label = TextMetrics.truncated(text, maxWidth: width - 2 * Style.padding, fontSize: Style.axisLabelSize)
        let halfWidth = TextMetrics.width(label, fontSize: Style.axisLabelSize) / 2
        let centre = min(max(plot.midX, Style.padding + halfWidth), width - Style.padding - halfWidth)
        writer.element("text", [
            ("class", "x-label"), ("x", NumberText.coordinate(centre)), ("y", NumberText.coordinate(plot.maxY + 40)),
            ("text-anchor", "middle"), ("font-size", NumberText.coordinate(Style.axisLabelSize)),
        ], content: label)
    }

    /// The y-axis title, rotated to read upwards along the left edge of the chart.
    static func drawYLabel(into writer: inout SVGWriter, text: String, plot: PlotRect) {
        let label = TextMetrics.truncated(text, maxWidth: plot.height + 40, fontSize: Style.axisLabelSize)
        let x = NumberText.coordinate(Style.padding + Style.axisLabelSize)
        let y = NumberText.coordinate(plot.midY)
        writer.element("text", [
            ("class", "y-label"), ("transform", "translate(\(x),\(y)) rotate(-90)"),
            ("text-anchor", "middle"), ("font-size", NumberText.coordinate(Style.axisLabelSize)),
        ], content: label)
    }
}
