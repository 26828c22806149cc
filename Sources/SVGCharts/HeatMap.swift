/// A grid of cells coloured by value on a sequential scale, with a colour bar as its legend.
public struct HeatMap: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// What the colour encodes, with its unit; titles the colour bar.
    public var valueLabel: String
    /// Column names, left to right.
    public var columns: [String]
    /// Row names; row 0 is drawn at the bottom unless `firstRowAtTop`.
    public var rows: [String]
    /// `values[row][column]`; non-finite or missing cells are drawn grey as "no data".
    public var values: [[Double]]
    public var scale: SequentialScale = .viridis
    /// The values mapped to the ends of the colour scale; nil uses the data's range.
    public var valueDomain: ClosedRange<Double>?
    /// When set, each cell shows its value with this many decimals (where it fits).
    public var cellValueDecimals: Int?
    public var firstRowAtTop = false
    /// A sentence or two for the text alternative, placed before the generated description.
    public var summary: String?
    /// Prefix of the element ids; set it when inlining several charts with the same title in one page.
    public var idPrefix: String?

    public init(title: String, xLabel: String, yLabel: String, valueLabel: String, columns: [String], rows: [String], values: [[Double]]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.valueLabel = valueLabel
        self.columns = columns
        self.rows = rows
        self.values = values
    }

    /// A heat map over numeric axes; the numbers become the column and row names.
    public init(title: String, xLabel: String, yLabel: String, valueLabel: String, xValues: [Double], yValues: [Double], values: [[Double]]) {
        self.init(
            title: title, xLabel: xLabel, yLabel: yLabel, valueLabel: valueLabel,
            columns: xValues.map { NumberText.readable($0, significant: 6) }, rows: yValues.map { NumberText.readable($0, significant: 6) },
            values: values)
    }

    /// The value in a cell, or NaN when the cell is missing.
    func value(row: Int, column: Int) -> Double {
        row < values.count && column < values[row].count ? values[row][column] : .nan
    }

    var hasMissingCells: Bool {
        rows.indices.contains { row in columns.indices.contains { !value(row: row, column: $0).isFinite } }
    }

    /// The colour-bar scale: ticks inside the value domain (data range unless fixed).
    func colourScale(barHeight: Double) -> NiceScale {
        let target = Axes.verticalTickTarget(plotHeight: barHeight)
        if let valueDomain {
            return NiceScale(minimum: valueDomain.lowerBound, maximum: valueDomain.upperBound, targetTickCount: target, tight: true)
        }
        let finite = rows.indices.flatMap { row in columns.indices.map { value(row: row, column: $0) } }.filter(\.isFinite)
        return NiceScale(minimum: finite.min() ?? 0, maximum: finite.max() ?? 1, targetTickCount: target, tight: true)
    }

    /// The chart as SVG text; `standalone` adds the XML prolog for a `.svg` file, omit it to inline in HTML.
    public func svg(width: Int = 720, height: Int = 420, standalone: Bool = true) -> String {
        let legendItems = hasMissingCells ? [LegendItem(symbol: .swatch(Style.missing, opacity: 1), label: "no data")] : []
        let layout = ChartLayout(width: Double(width), height: Double(height), title: title, legendItems: legendItems)
        let values = colourScale(barHeight: layout.plotBottom - layout.plotTop)
        let colourBar = ColourBar(scale: scale, values: values, label: valueLabel)
        let rowAxis = CategoryAxis(names: rows, chartWidth: layout.width, maxShare: 0.25)
        let plot = layout.plotRect(left: ChartLayout.plotLeft(labelWidth: rowAxis.labelWidth), rightReserve: colourBar.reservedWidth)
        let prefix = SVGDocument.idPrefix(requested: idPrefix, seed: "heat|" + title)

        var body = SVGWriter()
        layout.drawTitle(into: &body)
        HeatMapGrid(map: self, plot: plot, rowLabels: rowAxis.labels, values: values).draw(into: &body)
        Axes.drawXLabel(into: &body, text: xLabel, plot: plot, width: layout.width)
        Axes.drawYLabel(into: &body, text: yLabel, plot: plot)
        colourBar.draw(into: &body, plot: plot, chartWidth: layout.width, gradientID: prefix + "-ramp")
        layout.drawLegend(into: &body)
        return SVGDocument.render(
            width: layout.width, height: layout.height, standalone: standalone, idPrefix: prefix,
            title: title, description: description(values: values), body: body)
    }

    private func description(values domain: NiceScale) -> String {
        var sentences: [String] = []
        if let summary, !summary.isEmpty { sentences.append(summary) }
        sentences.append("Heat map of \(valueLabel) with \(columns.count) columns of \(xLabel) "
            + "(\(columns.first ?? "") to \(columns.last ?? "")) and \(rows.count) rows of \(yLabel) (\(rows.first ?? "") to \(rows.last ?? "")). "
            + "Colour scale from \(NumberText.readable(domain.lower)) (dark) to \(NumberText.readable(domain.upper)) (light).")
        var cells: [(row: Int, column: Int, value: Double)] = []
        for row in rows.indices {
            for column in columns.indices where value(row: row, column: column).isFinite {
                cells.append((row, column, value(row: row, column: column)))
            }
        }
        if let lowest = cells.min(by: { $0.value < $1.value }), let highest = cells.max(by: { $0.value < $1.value }) {
            sentences.append("Lowest \(NumberText.readable(lowest.value)) at \(columns[lowest.column]), \(rows[lowest.row]); "
                + "highest \(NumberText.readable(highest.value)) at \(columns[highest.column]), \(rows[highest.row]).")
        }
        if hasMissingCells { sentences.append("Grey cells have no data.") }
        return sentences.joined(separator: " ")
    }
}
