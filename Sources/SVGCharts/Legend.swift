/// What a legend entry shows beside its label.
enum LegendSymbol {
    case swatch(Colour, opacity: Double)
    case line(Colour, dashed: Bool, width: Double)
    case marker(MarkerShape, Colour)
}

struct LegendItem {
    var symbol: LegendSymbol
    var label: String
}

/// Legend entries flowed into centred rows below the plot, where they can never cover data.
struct Legend {
    private static let symbolWidth = 24.0
    private static let symbolGap = 6.0
    private static let itemGap = 20.0
    private static let rowHeight = 20.0

    private struct Placed {
        let item: LegendItem
        let label: String
        let x: Double
    }

    private let rows: [[Placed]]

    /// Total height of all rows (0 when there are no entries).
    var height: Double { Double(rows.count) * Self.rowHeight }

    init(items: [LegendItem], left: Double, right: Double) {
        let available = right - left
        var rows: [[(LegendItem, String, Double)]] = []
        var row: [(LegendItem, String, Double)] = []
        var rowWidth = 0.0
        for item in items {
            let label = TextMetrics.truncated(item.label, maxWidth: available - Self.symbolWidth - Self.symbolGap, fontSize: Style.legendSize)
            let width = Self.symbolWidth + Self.symbolGap + TextMetrics.width(label, fontSize: Style.legendSize)
            let needed = row.isEmpty ? width : rowWidth + Self.itemGap + width
            if !row.isEmpty && needed > available {
                rows.append(row)
                row = [(item, label, width)]
                rowWidth = width
            } else {
                row.append((item, label, width))
                rowWidth = needed
            }
        }
        if !row.isEmpty { rows.append(row) }
        self.rows = rows.map { row in
            let total = row.map(\.2).reduce(0, +) + Self.itemGap * Double(row.count - 1)
            var x = left + (available - total) / 2
            return row.map { item, label, width in
                defer { x += width + Self.itemGap }
                return Placed(item: item, label: label, x: x)
            }
        }
    }

    /// Writes the rows starting at `top`, inside a group marked `class="legend"`.
    func draw(into writer: inout SVGWriter, top: Double) {
        guard !rows.isEmpty else { return }
        writer.open("g", [("class", "legend"), ("font-size", NumberText.coordinate(Style.legendSize))])
        for (index, row) in rows.enumerated() {
            let middle = top + Double(index) * Self.rowHeight + Self.rowHeight / 2
            for placed in row {
                drawSymbol(placed.item.symbol, into: &writer, x: placed.x, middle: middle)
                writer.element("text", [
                    ("x", NumberText.coordinate(placed.x + Self.symbolWidth + Self.symbolGap)),
                    ("y", NumberText.coordinate(middle + Style.legendSize * 0.35)),
                ], content: placed.label)
            }
        }
        writer.close("g")
    }

    private func drawSymbol(_ symbol: LegendSymbol, into writer: inout SVGWriter, x: Double, middle: Double) {
        switch symbol {
        case let .swatch(colour, opacity):
            writer.empty("rect", [
                ("x", NumberText.coordinate(x)), ("y", NumberText.coordinate(middle - 6)),
                ("width", NumberText.coordinate(Self.symbolWidth)), ("height", "12"),
                ("fill", colour.hex), ("fill-opacity", NumberText.fixed(opacity, decimals: 2)),
            ])
        case let .line(colour, dashed, width):
            var attributes: SVGWriter.Attributes = [
                ("x1", NumberText.coordinate(x)), ("y1", NumberText.coordinate(middle)),
                ("x2", NumberText.coordinate(x + Self.symbolWidth)), ("y2", NumberText.coordinate(middle)),
                ("stroke", colour.hex), ("stroke-width", NumberText.coordinate(width)),
            ]
            if dashed { attributes.append(("stroke-dasharray", LineStyle.dashPattern)) }
            writer.empty("line", attributes)
        case let .marker(shape, colour):
            shape.draw(into: &writer, centre: PlotPoint(x: x + Self.symbolWidth / 2, y: middle), size: 11, colour: colour)
        }
    }
}

enum LineStyle {
    static let dashPattern = "7 4"
}
