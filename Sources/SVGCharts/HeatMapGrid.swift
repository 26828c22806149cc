/// The cells of a heat map with their row and column labels.
struct HeatMapGrid {
    let map: HeatMap
    let plot: PlotRect
    let rowLabels: [String]
    let values: NiceScale

    private var cellWidth: Double { plot.width / Double(max(map.columns.count, 1)) }
    private var cellHeight: Double { plot.height / Double(max(map.rows.count, 1)) }

    private func rowTop(_ row: Int) -> Double {
        let slot = map.firstRowAtTop ? row : map.rows.count - 1 - row
        return plot.minY + Double(slot) * cellHeight
    }

    private func colour(for value: Double) -> Colour {
        let span = values.upper - values.lower
        return map.scale.colour(at: span > 0 ? (value - values.lower) / span : 0.5)
    }

    func draw(into writer: inout SVGWriter) {
        // Thin white seams help the eye follow rows and columns, but would swamp very small cells.
        let seams: SVGWriter.Attributes = cellWidth >= 10 && cellHeight >= 10 ? [("stroke", Style.background), ("stroke-width", "1")] : []
        writer.open("g", [("class", "cells")] + seams)
        for row in map.rows.indices {
            for column in map.columns.indices {
                let value = map.value(row: row, column: column)
                writer.empty("rect", [
                    ("x", NumberText.coordinate(plot.minX + Double(column) * cellWidth)), ("y", NumberText.coordinate(rowTop(row))),
                    ("width", NumberText.coordinate(cellWidth)), ("height", NumberText.coordinate(cellHeight)),
                    ("fill", value.isFinite ? colour(for: value).hex : Style.missing.hex),
                ])
            }
        }
        writer.close("g")
        if let decimals = map.cellValueDecimals { drawAnnotations(into: &writer, decimals: decimals) }
        drawColumnLabels(into: &writer)
        drawRowLabels(into: &writer)
    }

    /// Cell values in dark or light text by the cell's luminance; skipped where the text would not fit.
    private func drawAnnotations(into writer: inout SVGWriter, decimals: Int) {
        let size = min(Style.tickSize, cellHeight * 0.6)
        guard size >= 8 else { return }
        writer.open("g", [("class", "cell-values"), ("text-anchor", "middle"), ("font-size", NumberText.coordinate(size))])
        for row in map.rows.indices {
            for column in map.columns.indices {
                let value = map.value(row: row, column: column)
                guard value.isFinite else { continue }
                let text = NumberText.fixed(value, decimals: decimals, minus: NumberText.labelMinus)
                guard TextMetrics.width(text, fontSize: size) <= cellWidth - 4 else { continue }
                let fill = colour(for: value).relativeLuminance > 0.3 ? Style.text : Style.background
                writer.element("text", [
                    ("x", NumberText.coordinate(plot.minX + (Double(column) + 0.5) * cellWidth)),
                    ("y", NumberText.coordinate(rowTop(row) + cellHeight / 2 + size * 0.35)), ("fill", fill),
                ], content: text)
            }
        }
        writer.close("g")
    }

    /// Every `stride`-th label, so that labels wider than their cells do not collide.
    private static func stride(labelExtent: Double, cellExtent: Double) -> Int {
        max(1, Int((labelExtent / max(cellExtent, 1e-9)).rounded(.up)))
    }

    private func drawColumnLabels(into writer: inout SVGWriter) {
        let widest = map.columns.map { TextMetrics.width($0, fontSize: Style.tickSize) }.max() ?? 0
        let step = Self.stride(labelExtent: widest + 8, cellExtent: cellWidth)
        writer.open("g", [("class", "x-ticks"), ("text-anchor", "middle")])
        for column in Swift.stride(from: 0, to: map.columns.count, by: step) {
            let x = NumberText.coordinate(plot.minX + (Double(column) + 0.5) * cellWidth)
            writer.empty("line", [("x1", x), ("y1", NumberText.coordinate(plot.maxY)), ("x2", x), ("y2", NumberText.coordinate(plot.maxY + 4)), ("stroke", Style.axis)])
            writer.element("text", [("x", x), ("y", NumberText.coordinate(plot.maxY + 6 + Style.tickSize))], content: map.columns[column])
        }
        writer.close("g")
    }

    private func drawRowLabels(into writer: inout SVGWriter) {
        let step = Self.stride(labelExtent: Style.tickSize + 3, cellExtent: cellHeight)
        writer.open("g", [("class", "y-ticks"), ("text-anchor", "end")])
        for row in Swift.stride(from: 0, to: map.rows.count, by: step) {
            let y = rowTop(row) + cellHeight / 2
            writer.empty("line", [
                ("x1", NumberText.coordinate(plot.minX - 4)), ("y1", NumberText.coordinate(y)),
                ("x2", NumberText.coordinate(plot.minX)), ("y2", NumberText.coordinate(y)), ("stroke", Style.axis),
            ])
            writer.element("text", [
                ("x", NumberText.coordinate(plot.minX - 7)), ("y", NumberText.coordinate(y + Style.tickSize * 0.35)),
            ], content: rowLabels[row])
        }
        writer.close("g")
    }
}
