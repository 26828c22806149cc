/// The vertical arrangement shared by every chart: wrapped title on top, then the plot, then the
/// x-axis ticks and label, then the legend rows at the bottom.
struct ChartLayout {
    /// Room under the plot for tick labels and the x-axis label.
    static let xAxisBlock = 52.0
    /// The smallest plot height kept when the requested height is too small; the chart grows instead.
    static let minimumPlotHeight = 80.0

    let width: Double
    let height: Double
    let titleLines: [String]
    let plotTop: Double
    let plotBottom: Double
    let legend: Legend
    let legendTop: Double

    /// - Parameters:
    ///   - height: the requested total height, or nil to size the chart around `plotHeight`.
    ///   - plotHeight: the wanted plot height when `height` is nil.
    init(width: Double, height: Double?, plotHeight: Double = 300, title: String, legendItems: [LegendItem]) {
        self.width = width
        titleLines = TextMetrics.wrapped(title, maxWidth: width - 2 * Style.padding, fontSize: Style.titleSize)
        let top = Style.padding + Double(titleLines.count) * Style.titleLineHeight + 14
        plotTop = top
        legend = Legend(items: legendItems, left: Style.padding, right: width - Style.padding)
        let below = Self.xAxisBlock + legend.height + Style.padding
        let total = height.map { max($0, top + Self.minimumPlotHeight + below) } ?? (top + plotHeight + below)
        self.height = total
        plotBottom = total - below
        legendTop = plotBottom + Self.xAxisBlock
    }

    /// The left edge of the plot when the y-axis tick labels (or category labels) need `labelWidth`,
    /// leaving room for the rotated y-axis label.
    static func plotLeft(labelWidth: Double) -> Double {
        Style.padding + Style.axisLabelSize + 12 + labelWidth + 8
    }

    func plotRect(left: Double, rightReserve: Double = 0) -> PlotRect {
        let right = max(width - Style.padding - rightReserve, left + 40)
        return PlotRect(minX: left, minY: plotTop, maxX: right, maxY: plotBottom)
    }

    func drawTitle(into writer: inout SVGWriter) {
        writer.open("g", [("class", "chart-title"), ("font-size", NumberText.coordinate(Style.titleSize)), ("font-weight", "bold")])
        for (index, line) in titleLines.enumerated() {
            let baseline = Style.padding + Style.titleSize * 0.85 + Double(index) * Style.titleLineHeight
            writer.element("text", [("x", NumberText.coordinate(Style.padding)), ("y", NumberText.coordinate(baseline))], content: line)
        }
        writer.close("g")
    }

    func drawLegend(into writer: inout SVGWriter) {
        legend.draw(into: &writer, top: legendTop)
    }
}
