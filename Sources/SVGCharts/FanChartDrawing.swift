import Foundation

extension FanChart {
    /// The value indices with a finite x, the only ones that can be drawn.
    private var positions: [(index: Int, x: Double)] {
        x.enumerated().filter { $0.element.isFinite }.map { ($0.offset, $0.element) }
    }

    private var integralX: Bool {
        positions.allSatisfy { $0.x == $0.x.rounded() } && points.allSatisfy { !$0.x.isFinite || $0.x == $0.x.rounded() }
    }

    func horizontalScale(plotWidth: Double) -> NiceScale {
        if let xDomain {
            return Axes.horizontalScale(minimum: xDomain.lowerBound, maximum: xDomain.upperBound, plotWidth: plotWidth, tight: true, integerStep: integralX)
        }
        let xs = positions.map(\.x) + points.map(\.x).filter(\.isFinite)
        return Axes.horizontalScale(
            minimum: xs.min() ?? 0, maximum: xs.max() ?? 1, plotWidth: plotWidth, tight: true, integerStep: integralX)
    }

    func verticalScale(plotHeight: Double) -> NiceScale {
        let target = Axes.verticalTickTarget(plotHeight: plotHeight)
        if let yDomain {
            return NiceScale(minimum: yDomain.lowerBound, maximum: yDomain.upperBound, targetTickCount: target, tight: true)
        }
        var values: [Double] = []
        for (index, _) in positions {
            for band in bands {
                if index < band.lower.count { values.append(band.lower[index]) }
                if index < band.upper.count { values.append(band.upper[index]) }
            }
            for line in lines where index < line.values.count { values.append(line.values[index]) }
        }
        values += points.filter { $0.x.isFinite }.map(\.y)
        return NiceScale(covering: values, targetTickCount: target)
    }

    var legendItems: [LegendItem] {
        var items = bands.indices.map { LegendItem(symbol: .swatch(bands[$0].colour, opacity: shownOpacity(band: $0)), label: bands[$0].name) }
        items += lines.map { LegendItem(symbol: .line($0.colour, dashed: $0.dashed, width: $0.width), label: $0.name) }
        var seen: [(String, MarkerShape, Colour)] = []
        for point in points where !seen.contains(where: { $0 == (point.label, point.shape, point.colour) }) {
            seen.append((point.label, point.shape, point.colour))
            items.append(LegendItem(symbol: .marker(point.shape, point.colour), label: point.label))
        }
        return items
    }

    /// How dense band `index` looks where it lies inside the earlier bands of its colour, as nested
    /// intervals of one fan do: translucent layers compound as 1 − Π(1 − opacity).
    private func shownOpacity(band index: Int) -> Double {
        let colour = bands[index].colour
        let clear = bands[...index].filter { $0.colour == colour }.reduce(1.0) { $0 * (1 - min(max($1.opacity, 0), 1)) }
        return 1 - clear
    }

    /// Maximal stretches of consecutive indices with a finite x where `isDrawable` holds; a gap in either splits the series.
    private func runs(count: Int, _ isDrawable: (Int) -> Bool) -> [[(index: Int, x: Double)]] {
        var runs: [[(index: Int, x: Double)]] = []
        var current: [(index: Int, x: Double)] = []
        for (index, position) in x.enumerated() {
            if position.isFinite && index < count && isDrawable(index) {
                current.append((index, position))
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    func drawBands(into writer: inout SVGWriter, xMap: LinearMap, yMap: LinearMap, plot: PlotRect) {
        guard !bands.isEmpty else { return }
        writer.open("g", [("class", "bands"), ("stroke", "none")])
        for band in bands {
            let count = min(band.lower.count, band.upper.count)
            for run in runs(count: count, { band.lower[$0].isFinite && band.upper[$0].isFinite }) where run.count > 1 {
                let top = run.map { PlotPoint(x: xMap($0.x), y: yMap(band.upper[$0.index])) }
                let bottom = run.reversed().map { PlotPoint(x: xMap($0.x), y: yMap(band.lower[$0.index])) }
                let outline = Clipping.polygon(top + bottom, to: plot)
                guard outline.count >= 3 else { continue }
                writer.empty("polygon", [
                    ("points", Self.pointList(outline)), ("fill", band.colour.hex),
                    ("fill-opacity", NumberText.fixed(band.opacity, decimals: 2)),
                ])
            }
        }
        writer.close("g")
    }

    func drawLines(into writer: inout SVGWriter, xMap: LinearMap, yMap: LinearMap, plot: PlotRect) {
        guard !lines.isEmpty else { return }
        writer.open("g", [("class", "lines"), ("fill", "none"), ("stroke-linejoin", "round"), ("stroke-linecap", "round")])
        for line in lines {
            var style: SVGWriter.Attributes = [("stroke", line.colour.hex), ("stroke-width", NumberText.coordinate(line.width))]
            if line.dashed { style.append(("stroke-dasharray", LineStyle.dashPattern)) }
            for run in runs(count: line.values.count, { line.values[$0].isFinite }) {
                let path = run.map { PlotPoint(x: xMap($0.x), y: yMap(line.values[$0.index])) }
                for piece in Clipping.polyline(path, to: plot) {
                    if piece.count == 1 {
                        // A value with missing neighbours would be invisible as a line; show it as a dot.
                        writer.empty("circle", [
                            ("cx", NumberText.coordinate(piece[0].x)), ("cy", NumberText.coordinate(piece[0].y)),
                            ("r", NumberText.coordinate(line.width + 0.5)), ("fill", line.colour.hex),
                        ])
                    } else {
                        writer.empty("polyline", [("points", Self.pointList(piece))] + style)
                    }
                }
            }
        }
        writer.close("g")
    }

    func drawPoints(into writer: inout SVGWriter, xMap: LinearMap, yMap: LinearMap, plot: PlotRect) {
        let visible = points.compactMap { point -> (Point, PlotPoint)? in
            guard point.x.isFinite && point.y.isFinite else { return nil }
            let centre = PlotPoint(x: xMap(point.x), y: yMap(point.y))
            return plot.contains(centre) ? (point, centre) : nil
        }
        guard !visible.isEmpty else { return }
        writer.open("g", [("class", "points")])
        for (point, centre) in visible {
            point.shape.draw(into: &writer, centre: centre, size: 11, colour: point.colour)
        }
        writer.close("g")
    }

    /// The generated text alternative: axes and their ranges, then each series in words.
    func description(xScale: NiceScale, yScale: NiceScale) -> String {
        var sentences: [String] = []
        if let summary, !summary.isEmpty { sentences.append(summary) }
        sentences.append("Fan chart of \(yLabel) (\(NumberText.readable(yScale.lower)) to \(NumberText.readable(yScale.upper))) "
            + "against \(xLabel) (\(NumberText.readable(xScale.lower, significant: 6)) to \(NumberText.readable(xScale.upper, significant: 6))).")
        if !bands.isEmpty {
            sentences.append("Shaded bands: " + bands.map(\.name).joined(separator: "; ") + ".")
        }
        for line in lines {
            let drawn = positions.filter { $0.index < line.values.count && line.values[$0.index].isFinite }
            guard let first = drawn.first, let last = drawn.last else { continue }
            sentences.append("\(line.name): \(NumberText.readable(line.values[first.index])) at \(NumberText.readable(first.x, significant: 6)) "
                + "to \(NumberText.readable(line.values[last.index])) at \(NumberText.readable(last.x, significant: 6)).")
        }
        for (label, _, _) in legendItems.compactMap({ item -> (String, MarkerShape, Colour)? in
            if case let .marker(shape, colour) = item.symbol { return (item.label, shape, colour) }
            return nil
        }) {
            let listed = points.filter { $0.label == label && $0.x.isFinite && $0.y.isFinite }
                .map { "\(NumberText.readable($0.y)) at \(NumberText.readable($0.x, significant: 6))" }
            sentences.append("\(label): " + listed.joined(separator: ", ") + ".")
        }
        return sentences.joined(separator: " ")
    }

    static func pointList(_ points: [PlotPoint]) -> String {
        points.map { NumberText.coordinate($0.x) + "," + NumberText.coordinate($0.y) }.joined(separator: " ")
    }
}
