/// Bands (e.g. P5–P95 and P25–P75) as filled areas, lines (e.g. the median) and marked points over x.
public struct FanChart: Sendable {
    public struct Band: Sendable {
        public var name: String
        public var lower: [Double]
        public var upper: [Double]
        public var colour: String
        public var opacity: Double
        public init(name: String, lower: [Double], upper: [Double], colour: String, opacity: Double) {
            self.name = name; self.lower = lower; self.upper = upper; self.colour = colour; self.opacity = opacity
        }
    }

    public struct Line: Sendable {
        public var name: String
        public var values: [Double]
        public var colour: String
        public var dashed: Bool
        public init(name: String, values: [Double], colour: String, dashed: Bool = false) {
            self.name = name; self.values = values; self.colour = colour; self.dashed = dashed
        }
    }

    public struct Point: Sendable {
        public var x: Double
        public var y: Double
        public init(x: Double, y: Double) { self.x = x; self.y = y }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var x: [Double]
    public var bands: [Band] = []
    public var lines: [Line] = []
    public var points: [Point] = []
    /// Legend name of the points.
    public var pointsName = "reference figure"
    public var pointsColour = Palette.vermillion

    public init(title: String, xLabel: String, yLabel: String, x: [Double]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.x = x
    }

    public func svg(width: Int = 720, height: Int = 420, standalone: Bool = true) -> String {
        let legendWidth = 170.0
        let frame = PlotFrame(width: width, height: height, legendWidth: legendWidth)
        let ys = (bands.flatMap { $0.lower + $0.upper } + lines.flatMap(\.values) + points.map(\.y)).filter(\.isFinite)
        let xs = x.filter(\.isFinite)
        let xScale = NiceScale(minimum: xs.min() ?? 0, maximum: xs.max() ?? 1, maximumTicks: 9)
        let yScale = NiceScale(minimum: min(0, ys.min() ?? 0), maximum: ys.max() ?? 1)
        var svg = SVGDocument(width: width, height: height, title: title, description: description)
        svg.add(text(title, x: Double(width) / 2, y: 24, size: 15, weight: "bold"))
        frame.drawAxes(into: &svg, x: xScale, y: yScale, xLabel: xLabel, yLabel: yLabel, integerX: x.allSatisfy { $0 == $0.rounded() })
        func px(_ v: Double) -> Double { xScale.map(v, from: frame.left, to: frame.right) }
        func py(_ v: Double) -> Double { yScale.map(v, from: frame.bottom, to: frame.top) }
        for band in bands {
            // Gaps (non-finite values) split the band into separate polygons.
            for run in finiteRuns(band.lower, band.upper) {
                let upperEdge = run.map { "\(coordinate(px(x[$0]))),\(coordinate(py(band.upper[$0])))" }
                let lowerEdge = run.reversed().map { "\(coordinate(px(x[$0]))),\(coordinate(py(band.lower[$0])))" }
                svg.add("<polygon points=\"\((upperEdge + lowerEdge).joined(separator: " "))\" fill=\"\(band.colour)\" fill-opacity=\"\(coordinate(band.opacity))\" stroke=\"none\"/>")
            }
        }
        for line in lines {
            for run in finiteRuns(line.values, line.values) {
                let path = run.map { "\(coordinate(px(x[$0]))),\(coordinate(py(line.values[$0])))" }.joined(separator: " ")
                svg.add("<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(line.colour)\" stroke-width=\"2\"\(line.dashed ? " stroke-dasharray=\"6 4\"" : "")/>")
            }
        }
        for point in points where point.x.isFinite && point.y.isFinite {
            let cx = min(max(px(point.x), frame.left), frame.right), cy = min(max(py(point.y), frame.top), frame.bottom)
            svg.add("<circle cx=\"\(coordinate(cx))\" cy=\"\(coordinate(cy))\" r=\"4.5\" fill=\"\(pointsColour)\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>")
        }
        var legend = Legend(x: frame.right + 14, y: frame.top + 4)
        for band in bands { legend.swatch(band.name, colour: band.colour, opacity: band.opacity, into: &svg) }
        for line in lines { legend.line(line.name, colour: line.colour, dashed: line.dashed, into: &svg) }
        if !points.isEmpty { legend.point(pointsName, colour: pointsColour, into: &svg) }
        return svg.render(standalone: standalone)
    }

    /// A plain-language account of the chart for screen readers.
    public var description: String {
        var parts = ["\(title). \(yLabel) against \(xLabel)."]
        if let first = x.first, let last = x.last { parts.append("From \(tickLabel(first, step: 1)) to \(tickLabel(last, step: 1)).") }
        for line in lines {
            if let a = line.values.first(where: \.isFinite), let b = line.values.last(where: \.isFinite) {
                parts.append("\(line.name) runs from \(String(format: "%.4g", a)) to \(String(format: "%.4g", b)).")
            }
        }
        for band in bands {
            if let lo = band.lower.last, let hi = band.upper.last, lo.isFinite, hi.isFinite {
                parts.append("At the end the \(band.name) spans \(String(format: "%.4g", lo)) to \(String(format: "%.4g", hi)).")
            }
        }
        if !points.isEmpty { parts.append("\(points.count) \(pointsName)s are marked.") }
        return parts.joined(separator: " ")
    }

    /// Index runs where both series are finite.
    private func finiteRuns(_ a: [Double], _ b: [Double]) -> [[Int]] {
        var runs: [[Int]] = [], current: [Int] = []
        for i in x.indices {
            if i < a.count, i < b.count, a[i].isFinite, b[i].isFinite, x[i].isFinite {
                current.append(i)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }
}

/// Legend entries stacked top to bottom.
struct Legend {
    var x: Double
    var y: Double

    mutating func swatch(_ name: String, colour: String, opacity: Double, into svg: inout SVGDocument) {
        svg.add("<rect x=\"\(coordinate(x))\" y=\"\(coordinate(y))\" width=\"22\" height=\"12\" fill=\"\(colour)\" fill-opacity=\"\(coordinate(opacity))\"/>")
        label(name, into: &svg)
    }

    mutating func line(_ name: String, colour: String, dashed: Bool, into svg: inout SVGDocument) {
        svg.add("<line x1=\"\(coordinate(x))\" y1=\"\(coordinate(y + 6))\" x2=\"\(coordinate(x + 22))\" y2=\"\(coordinate(y + 6))\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"6 4\"" : "")/>")
        label(name, into: &svg)
    }

    mutating func point(_ name: String, colour: String, into svg: inout SVGDocument) {
        svg.add("<circle cx=\"\(coordinate(x + 11))\" cy=\"\(coordinate(y + 6))\" r=\"4.5\" fill=\"\(colour)\"/>")
        label(name, into: &svg)
    }

    private mutating func label(_ name: String, into svg: inout SVGDocument) {
        svg.add(text(name, x: x + 28, y: y + 10, size: 11, anchor: "start"))
        y += 20
    }
}
