/// Uncertainty bands over a numeric x axis (usually years): shaded intervals, lines such as medians,
/// and marked reference points.
public struct FanChart: Sendable {
    /// A shaded interval between `lower` and `upper`, drawn as a filled polygon.
    public struct Band: Sendable {
        public var name: String
        public var lower: [Double]
        public var upper: [Double]
        public var colour: Colour
        /// Fill opacity in 0...1; overlapping bands darken each other, so inner intervals read as denser.
        public var opacity: Double

        public init(name: String, lower: [Double], upper: [Double], colour: Colour, opacity: Double = 0.2) {
            self.name = name
            self.lower = lower
            self.upper = upper
            self.colour = colour
            self.opacity = opacity
        }
    }

    /// A line through one value per x position.
    public struct Line: Sendable {
        public var name: String
        public var values: [Double]
        public var colour: Colour
        public var dashed: Bool
        public var width: Double

        public init(name: String, values: [Double], colour: Colour, dashed: Bool = false, width: Double = 2) {
            self.name = name
            self.values = values
            self.colour = colour
            self.dashed = dashed
            self.width = width
        }
    }

    /// A single marked value, such as a figure published in a roadmap; points sharing a label,
    /// shape and colour share one legend entry.
    public struct Point: Sendable {
        public var x: Double
        public var y: Double
        public var label: String
        public var shape: MarkerShape
        public var colour: Colour

        public init(x: Double, y: Double, label: String, shape: MarkerShape = .diamond, colour: Colour = Palette.black) {
            self.x = x
            self.y = y
            self.label = label
            self.shape = shape
            self.colour = colour
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// The x position of every value index; bands and lines use the first `x.count` values.
    public var x: [Double]
    public var bands: [Band] = []
    public var lines: [Line] = []
    public var points: [Point] = []
    /// Fixed axis ranges; data beyond them is clipped. Nil means "cover the data".
    public var xDomain: ClosedRange<Double>?
    public var yDomain: ClosedRange<Double>?
    /// A sentence or two for the text alternative, placed before the generated description.
    public var summary: String?
    /// Prefix of the element ids; set it when inlining several charts with the same title in one page.
    public var idPrefix: String?

    public init(title: String, xLabel: String, yLabel: String, x: [Double] = []) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.x = x
    }

    /// A chart over calendar years.
    public init(title: String, xLabel: String, yLabel: String, years: [Int]) {
        self.init(title: title, xLabel: xLabel, yLabel: yLabel, x: years.map(Double.init))
    }

    /// Adds one scenario's fan: `intervals` from the widest to the narrowest, each a band in `colour`,
    /// then the median as a solid (or dashed) line on top. Names are prefixed with `name` when it is not empty.
    public mutating func addFan(
        name: String, colour: Colour, median: [Double], intervals: [(label: String, lower: [Double], upper: [Double])], dashed: Bool = false
    ) {
        let prefix = name.isEmpty ? "" : name + " "
        for interval in intervals {
            bands.append(Band(name: prefix + interval.label, lower: interval.lower, upper: interval.upper, colour: colour, opacity: 0.2))
        }
        lines.append(Line(name: prefix + "median", values: median, colour: colour, dashed: dashed))
    }

    /// The chart as SVG text; `standalone` adds the XML prolog for a `.svg` file, omit it to inline in HTML.
    public func svg(width: Int = 720, height: Int = 420, standalone: Bool = true) -> String {
        let layout = ChartLayout(width: Double(width), height: Double(height), title: title, legendItems: legendItems)
        let yScale = verticalScale(plotHeight: layout.plotBottom - layout.plotTop)
        let plot = layout.plotRect(left: ChartLayout.plotLeft(labelWidth: Axes.widestLabel(yScale)), rightReserve: 8)
        let xScale = horizontalScale(plotWidth: plot.width)
        let xMap = LinearMap(domainLower: xScale.lower, domainUpper: xScale.upper, rangeStart: plot.minX, rangeEnd: plot.maxX)
        let yMap = LinearMap(domainLower: yScale.lower, domainUpper: yScale.upper, rangeStart: plot.maxY, rangeEnd: plot.minY)

        var body = SVGWriter()
        layout.drawTitle(into: &body)
        Axes.drawXTicks(into: &body, scale: xScale, map: xMap, plot: plot)
        Axes.drawYTicks(into: &body, scale: yScale, map: yMap, plot: plot)
        drawBands(into: &body, xMap: xMap, yMap: yMap, plot: plot)
        drawLines(into: &body, xMap: xMap, yMap: yMap, plot: plot)
        drawPoints(into: &body, xMap: xMap, yMap: yMap, plot: plot)
        Axes.drawFrame(into: &body, plot: plot)
        Axes.drawXLabel(into: &body, text: xLabel, plot: plot, width: layout.width)
        Axes.drawYLabel(into: &body, text: yLabel, plot: plot)
        layout.drawLegend(into: &body)
        let prefix = SVGDocument.idPrefix(requested: idPrefix, seed: "fan|" + title)
        return SVGDocument.render(
            width: layout.width, height: layout.height, standalone: standalone, idPrefix: prefix,
            title: title, description: description(xScale: xScale, yScale: yScale), body: body)
    }
}
