import RoadmapModel
import Scenario
import StreamingStatistics
import SVGCharts
import UncertaintyStudy

extension MonteCarloStudy {
    /// P5–P95, P25–P75 and median of one market's series over the years, from any accumulator of
    /// this study's tracked series.
    public func fan(_ statistics: StatisticsAccumulator, key: SeriesKey) -> (p5: [Double], p25: [Double], p50: [Double], p75: [Double], p95: [Double]) {
        let reported = setup.catalog.reported.first { $0.key == key }!
        let columns = focusYearIndices.map { y -> [Double] in
            let (t, share) = trackedSource(of: reported, year: y)!
            return statistics.quantiles(series: t, probabilities: [0.05, 0.25, 0.5, 0.75, 0.95]).map { $0.value * share }
        }
        return (columns.map { $0[0] }, columns.map { $0[1] }, columns.map { $0[2] }, columns.map { $0[3] }, columns.map { $0[4] })
    }

    /// The fan chart of a market's (or the total's) metric with the reference figures marked.
    public func fanChart(_ statistics: StatisticsAccumulator, market: String, metric: Metric = .reduction,
                         references: [ReferenceFigure]) -> FanChart {
        let key = SeriesKey(market: market, metric: metric)
        let fan = fan(statistics, key: key)
        let name = setup.scenario.name
        let quantity = metric == .reduction ? "CO2 reduction" : metric.rawValue
        var chart = FanChart(title: "\(name): \(quantity), \(market == Names.total ? "all markets" : market)",
                             xLabel: "year", yLabel: "\(quantity) (\(metric.roadmapUnit))",
                             x: focusYearIndices.map { Double(setup.catalog.years[$0]) })
        chart.bands = [
            .init(name: "P5–P95", lower: fan.p5, upper: fan.p95, colour: Palette.blue, opacity: 0.18),
            .init(name: "P25–P75", lower: fan.p25, upper: fan.p75, colour: Palette.blue, opacity: 0.35),
        ]
        chart.lines = [.init(name: "median", values: fan.p50, colour: Palette.blue)]
        chart.points = references.filter {
            ($0.scenario == name || $0.scenario == "base") && $0.market == market && $0.segment == Names.all
                && $0.metric == metric.rawValue && $0.status.isTarget
        }.map { .init(x: Double($0.year), y: $0.value, label: "roadmap figure", colour: Palette.vermillion) }
        return chart
    }

    /// The indices of the years in the focus.
    var focusYearIndices: [Int] { setup.catalog.years.indices.filter { settings.focus.includes(year: setup.catalog.years[$0]) } }

    /// The markets (and total) that get a fan chart, and the chart file names: those whose
    /// reduction is in the focus in at least two years.
    public var fanChartFiles: [(market: String, file: String)] {
        guard focusYearIndices.count >= 2 else { return [] }
        return Self.fanChartFiles(setup).filter { settings.focus.includes(SeriesKey(market: $0.market, metric: .reduction)) }
    }

    /// Every fan chart a full run of `setup` writes.
    public static func fanChartFiles(_ setup: ModelSetup) -> [(market: String, file: String)] {
        ([Names.total] + setup.scenario.markets.map(\.name)).map { ($0, "fan-\($0).svg") }
    }
}

extension PairedComparison {
    /// Both scenarios' total-reduction fans (P5–P95 and median) and the paired difference band.
    public func reductionChart(_ statistics: [StatisticsAccumulator]) -> FanChart {
        let key = SeriesKey(market: Names.total, metric: .reduction)
        let nameA = a.setup.scenario.name, nameB = b.setup.scenario.name
        let fanA = a.fan(statistics[Band.a.rawValue], key: key), fanB = a.fan(statistics[Band.b.rawValue], key: key)
        let difference = a.fan(statistics[Band.difference.rawValue], key: key)
        var chart = FanChart(title: "CO2 reduction, all markets: \(nameB) against \(nameA)", xLabel: "year",
                             yLabel: "CO2 reduction (\(Metric.reduction.roadmapUnit))", x: a.setup.catalog.years.map(Double.init))
        chart.bands = [
            .init(name: "\(nameA) P5–P95", lower: fanA.p5, upper: fanA.p95, colour: Palette.orange, opacity: 0.22),
            .init(name: "\(nameB) P5–P95", lower: fanB.p5, upper: fanB.p95, colour: Palette.blue, opacity: 0.22),
            .init(name: "\(nameB) − \(nameA) P5–P95", lower: difference.p5, upper: difference.p95, colour: Palette.bluishGreen, opacity: 0.3),
        ]
        chart.lines = [
            .init(name: "\(nameA) median", values: fanA.p50, colour: Palette.orange),
            .init(name: "\(nameB) median", values: fanB.p50, colour: Palette.blue),
            .init(name: "\(nameB) − \(nameA) median", values: difference.p50, colour: Palette.bluishGreen, dashed: true),
        ]
        return chart
    }
}

extension MonteCarloStudy {
    /// Probabilities at which the exceedance curves read the quantiles: every half per cent, and the
    /// tails to 0.1 %.
    static let exceedanceProbabilities = [0.001] + (1...199).map { Double($0) / 200 } + [0.999]

    /// The exceedance curve P(X ≥ x) of a market's (or the total's) horizon-year reduction, read off
    /// the histogram (within its 0.1 % resolution in x), with the study's targets on that series
    /// (at their exactly counted probability) and the reference figures marked.
    public func exceedanceChart(_ state: StudyState, market: String, references: [ReferenceFigure]) -> FanChart {
        let h = headline.firstIndex { $0.key.market == market }!
        let series = headlineIndices[h], year = setup.catalog.years[headline[h].year]
        let xs = state.statistics.quantiles(series: series, probabilities: Self.exceedanceProbabilities).map(\.value)
        let name = setup.scenario.name
        var chart = FanChart(title: "\(name): chance of a \(year) CO2 reduction of at least x, \(market == Names.total ? "all markets" : market)",
                             xLabel: "\(year) CO2 reduction x (\(Metric.reduction.roadmapUnit))", yLabel: "P(reduction ≥ x)", x: xs)
        chart.lines = [.init(name: "exceedance", values: Self.exceedanceProbabilities.map { 1 - $0 }, colour: Palette.blue)]
        chart.yDomain = 0...1
        chart.summary = "Exceedance curve: the share of samples whose \(year) reduction is at least x."
        for (target, count) in zip(targets, state.targets) where target.series == series && target.scale == 1 {
            let p = count.probability.estimate
            chart.points.append(.init(x: target.condition.threshold, y: target.condition.comparison.isUpper ? p : 1 - p,
                                      label: "target (exact count)", shape: .circle, colour: Palette.bluishGreen))
        }
        chart.points += references.filter {
            ($0.scenario == name || $0.scenario == "base") && $0.market == market && $0.segment == Names.all
                && $0.metric == Metric.reduction.rawValue && $0.year == year && $0.status.isTarget
        }.map { .init(x: $0.value, y: 1 - state.statistics.fractionAtOrBelow(series: series, value: $0.value), label: "roadmap figure", colour: Palette.vermillion) }
        return chart
    }

    /// The markets (and total) whose horizon-year reduction is tracked get an exceedance curve.
    public var exceedanceChartFiles: [(market: String, file: String)] {
        headline.map { ($0.key.market, Self.exceedanceChartFile($0.key.market)) }
    }

    /// Every exceedance chart a full run of `setup` writes.
    public static func exceedanceChartFiles(_ setup: ModelSetup) -> [String] {
        fanChartFiles(setup).map { exceedanceChartFile($0.market) }
    }

    static func exceedanceChartFile(_ market: String) -> String { "exceedance-\(market).svg" }
}
