/// Category names stacked down the left of a plot, one per equal-height row (bar and tornado charts).
struct CategoryAxis {
    let labels: [String]
    let labelWidth: Double

    /// Labels truncated so that none takes more than `maxShare` of the chart width.
    init(names: [String], chartWidth: Double, maxShare: Double = 0.35) {
        let limit = chartWidth * maxShare
        labels = names.map { TextMetrics.truncated($0, maxWidth: limit, fontSize: Style.tickSize) }
        labelWidth = labels.map { TextMetrics.width($0, fontSize: Style.tickSize) }.max() ?? 0
    }

    func rowHeight(in plot: PlotRect) -> Double {
        plot.height / Double(max(labels.count, 1))
    }

    func rowTop(_ index: Int, in plot: PlotRect) -> Double {
        plot.minY + Double(index) * rowHeight(in: plot)
    }

    func draw(into writer: inout SVGWriter, plot: PlotRect) {
        writer.open("g", [("class", "categories"), ("text-anchor", "end")])
        for (index, label) in labels.enumerated() {
            let middle = rowTop(index, in: plot) + rowHeight(in: plot) / 2
            writer.element("text", [
                ("x", NumberText.coordinate(plot.minX - 7)), ("y", NumberText.coordinate(middle + Style.tickSize * 0.35)),
            ], content: label)
        }
        writer.close("g")
    }
}
