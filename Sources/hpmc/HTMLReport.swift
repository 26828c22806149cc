import CSV
import FileOutput
import Foundation
import RoadmapModel
import Scenario
import StudyOutputs
import Sensitivity
import UncertaintyStudy

/// Builds the self-contained HTML report section by section.
struct HTMLReport {
    var title: String
    var headline: [String] = []
    var sections: [String] = []
    var manifests: [String] = []

    static let style = """
    body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#222;max-width:1000px;margin:2em auto;padding:0 1em;line-height:1.45}
    h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.3em;border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:2em}
    h3{font-size:1.05em;margin-top:1.5em}table{border-collapse:collapse;margin:.8em 0;font-size:.9em}
    th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}th{background:#eef4fa}td:first-child,th:first-child{text-align:left}
    .si{color:#666;font-size:.85em}.fail{color:#b00;font-weight:bold}.note{color:#555;font-size:.9em}
    figure{margin:1em 0;page-break-inside:avoid}figcaption{font-size:.85em;color:#555}
    svg{max-width:100%;height:auto}@media print{body{margin:0;max-width:none}h2{page-break-before:auto}}
    """

    func html() -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"/><title>\(escapeHTML(title))</title>
        <style>\(Self.style)</style></head>
        <body><h1>\(escapeHTML(title))</h1>
        <p class="note">Heat-pump roadmap projections with Monte Carlo uncertainty, made by hpmc \(hpmcVersion). Figures in the roadmap's units, SI in brackets.</p>
        \(headline.isEmpty ? "" : "<h2>Headline: the CO2 reduction in the horizon year</h2>\n" + headline.joined(separator: "\n"))
        \(sections.joined(separator: "\n"))
        \(manifests.isEmpty ? "" : "<h2>Manifest</h2>\n" + manifests.joined(separator: "\n"))
        </body></html>

        """
    }

    /// A run: headline row, fan charts, validation, convergence, manifest.
    mutating func addRun(_ run: LoadedRun, references: [ReferenceFigure]) {
        let study = run.study, state = run.state
        let name = study.setup.scenario.name
        let year = study.setup.catalog.years.last!
        var rows = ""
        for f in study.headlineFigures(state) {
            rows += "<tr><td>\(escapeHTML(f.market))</td><td>\(withSI(f.median, .reduction))</td><td>\(withSI(f.p5, .reduction)) to \(withSI(f.p95, .reduction))</td><td>\(withSI(f.mean, .reduction))</td></tr>\n"
        }
        headline.append("<h3>\(escapeHTML(name)): \(year) reduction, \(Metric.reduction.roadmapUnit) <span class=\"si\">[\(Metric.reduction.siUnit)]</span></h3>\n<table><tr><th>market</th><th>median</th><th>90 % interval (P5 to P95)</th><th>mean</th></tr>\n\(rows)</table>")

        var section = "<h2>\(escapeHTML(name)): bands to \(year)</h2>\n"
        if let note = nonFiniteNote(study, state, samples: study.settings.samples) {
            section += "<p class=\"fail\">\(escapeHTML(note)).</p>\n"
        }
        for (market, _) in study.fanChartFiles {
            let chart = study.fanChart(state.statistics, market: market, references: references)
            let fan = study.fan(state.statistics, key: SeriesKey(market: market, metric: .reduction))
            let caption = "\(name), \(market): median \(formatFigure(fan.p50.last!)) in \(year), 90 % interval \(formatFigure(fan.p5.last!)) to \(formatFigure(fan.p95.last!)) \(Metric.reduction.roadmapUnit)."
            section += figure(chart.svg(standalone: false), caption: caption)
        }
        section += "<h3>\(escapeHTML(name)): chance of reaching a \(year) reduction</h3>\n"
        section += targetTable(targetSummaries(study, state.targets).map {
            SavedTarget(text: $0.text, probability: $0.probability.value, lower: $0.lower.value, upper: $0.upper.value, count: Int64(clamping: $0.count), samples: Int64(clamping: $0.samples))
        }, unit: "samples")
        for (market, _) in study.exceedanceChartFiles {
            let chart = study.exceedanceChart(state, market: market, references: references)
            section += figure(chart.svg(standalone: false), caption: "\(name), \(market): P(\(year) reduction ≥ x), from the histogram; targets at their exactly counted probability.")
        }
        // Sales start from the observed base year in every sample; the fan opens after it.
        let sales = study.fan(state.statistics, key: SeriesKey(market: Names.total, metric: .sales))
        let salesChart = study.fanChart(state.statistics, market: Names.total, metric: .sales, references: references)
        section += figure(salesChart.svg(standalone: false), caption: "\(name), total sales: P5 to P95 \(formatFigure(sales.p5[0])) to \(formatFigure(sales.p95[0])) in \(study.setup.scenario.baseYear) (the observed base year, kept in every sample), \(formatFigure(sales.p5.last!)) to \(formatFigure(sales.p95.last!)) in \(year) \(Metric.sales.roadmapUnit).")
        let projection = Projection(setup: study.setup)
        if let spec = study.setup.scenario.validation, !references.isEmpty {
            let report = projection.validate(references: references, spec: spec)
            section += "<h3>\(escapeHTML(name)): validation against the roadmap</h3>\n<table><tr><th>market</th><th>segment</th><th>metric</th><th>year</th><th>roadmap</th><th>model</th><th>deviation</th><th>tolerance</th><th>status</th></tr>\n"
            for row in report.rows where row.status != .listed {
                let f = row.figure
                let status = row.status == .fail ? "<span class=\"fail\">FAIL</span>" : row.status.rawValue
                section += "<tr><td>\(escapeHTML(f.market))</td><td>\(escapeHTML(f.segment))</td><td>\(escapeHTML(f.metric))</td><td>\(f.year)</td><td>\(figureWithSI(f.value, metric: f.metric))</td><td>\(row.model.map { figureWithSI($0, metric: f.metric) } ?? "")</td><td>\(formatPercent(row.deviation))</td><td>\(row.tolerance.map { String(format: "±%.0f %%", 100 * $0) } ?? "")</td><td>\(status)</td></tr>\n"
            }
            section += "</table>\n<p class=\"note\">\(report.passes) pass, \(report.failures) fail; unlabelled and unresolved figures of the source are not compared.</p>\n"
        } else if study.setup.scenario.validation != nil {
            // An empty table would read as a validation that found nothing to fault.
            section += "<h3>\(escapeHTML(name)): validation against the roadmap</h3>\n<p class=\"note\">Not compared: no reference figures "
                + "(\(defaultReferenceFile) is not under the current directory; give --reference FILE).</p>\n"
        }
        section += "<h3>\(escapeHTML(name)): convergence of the \(year) total reduction</h3>\n<table><tr><th>samples</th><th>median</th><th>P95</th></tr>\n"
        var convergence = study.convergenceFigures(state).map { ($0.samples, $0.figures.last!) }
        convergence.append((study.settings.samples, study.headlineFigures(state).last!))
        for (samples, f) in convergence { section += "<tr><td>\(samples)</td><td>\(formatFigure(f.median))</td><td>\(formatFigure(f.p95))</td></tr>\n" }
        section += "</table>\n"
        sections.append(section)

        let m = run.archive.manifest
        manifests.append("<h3>\(escapeHTML(name))</h3><table><tr><th>field</th><th>value</th></tr>"
            + [("hpmc", m.hpmc), ("scenario SHA-256", m.scenarioSHA256), ("seed", String(m.seed)), ("samples", String(m.samples)),
               ("sampler", m.sampler), ("chunk size", String(m.chunkSize)), ("directory", run.directory)]
            .map { "<tr><td>\($0)</td><td>\(escapeHTML($1))</td></tr>" }.joined() + "</table>")
    }

    /// A paired comparison: its chart and the horizon-year difference.
    mutating func addComparison(directory: String, difference: CSVTable, chart: String, targets: SavedTargets?) throws {
        var rows = ""
        let columns = ["market", "segment", "metric", "year", "stat", "value"].map { difference.column($0) }
        guard columns.allSatisfy({ $0 != nil }) else { throw ArchiveError(file: directory, problem: "difference.csv lacks the expected columns") }
        let c = columns.map { $0! }
        // The comparison covers the scenarios' years, so its last is their horizon.
        guard let lastYear = difference.rows.compactMap({ Int($0[c[3]]) }).max() else {
            throw ArchiveError(file: directory, problem: "difference.csv has no years")
        }
        var markets: [String] = []
        for row in difference.rows where !markets.contains(row[c[0]]) { markets.append(row[c[0]]) }
        for market in markets {
            func stat(_ name: String) throws -> Double? {
                guard let r = difference.rows.firstIndex(where: {
                    $0[c[0]] == market && $0[c[1]] == Names.all && $0[c[2]] == "reduction" && Int($0[c[3]]) == lastYear && $0[c[4]] == name
                }) else { return nil }
                return try savedNumber(difference.rows[r][c[5]], directory, "difference.csv", row: r, column: "value")
            }
            guard let median = try stat("diff_p50"), let p5 = try stat("diff_p5"), let p95 = try stat("diff_p95") else { continue }
            rows += "<tr><td>\(market)</td><td>\(withSI(median, .reduction))</td><td>\(withSI(p5, .reduction)) to \(withSI(p95, .reduction))</td></tr>\n"
        }
        sections.append("<h2>Scenario comparison (paired, common random numbers)</h2>\n"
            + figure(stripProlog(chart), caption: "Both scenarios' bands and the band of their sample-by-sample difference.")
            + "<table><tr><th>market</th><th>\(lastYear) difference, median</th><th>90 % interval</th></tr>\n\(rows)</table>"
            + (targets.map { "<h3>\(escapeHTML($0.subject)): chance of each target, counted pair by pair</h3>\n" + targetTable($0.targets, unit: "pairs of samples") } ?? ""))
    }

    /// A target as summary.json and compare's targets.json write it; a probability that could not be computed is null.
    struct SavedTarget: Decodable {
        var text: String
        var probability: Double?
        var lower: Double?
        var upper: Double?
        /// Signed, so that a negative count is named as such (Foundation calls it invalid JSON for an unsigned field).
        var count: Int64
        var samples: Int64
    }

    /// compare's targets.json.
    struct SavedTargets: SavedJSONView {
        var subject: String
        var targets: [SavedTarget]

        var impossibleField: (field: String, value: String, allowed: String)? {
            for (i, target) in targets.enumerated() {
                for (name, value) in [("probability", target.probability), ("lower", target.lower), ("upper", target.upper)] {
                    if let value, !(0...1).contains(value) { return ("targets[\(i)].\(name)", "\(value)", "null or a probability in [0, 1]") }
                }
                if let lower = target.lower, let upper = target.upper, lower > upper {
                    return ("targets[\(i)].lower", "\(lower)", "at most upper (\(upper))")
                }
                if target.samples < 0 { return ("targets[\(i)].samples", "\(target.samples)", "a whole number ≥ 0") }
                if !(0...target.samples).contains(target.count) {
                    return ("targets[\(i)].count", "\(target.count)", "0 to samples (\(target.samples))")
                }
                // compare writes count / samples and its Wilson bounds as TargetCount computes them (null
                // without samples); JSON carries a double's shortest digits, which read back as the same
                // double, so anything but that double was not written by compare.
                let counted = TargetCount(met: UInt64(clamping: target.count), evaluated: UInt64(clamping: target.samples)).probability
                let (count, samples) = (target.count, target.samples)
                for (name, value, written, what) in [("probability", target.probability, counted.estimate, "count / samples = \(count) / \(samples) ="),
                                                     ("lower", target.lower, counted.lower, "the lower 95 % Wilson bound of \(count) of \(samples),"),
                                                     ("upper", target.upper, counted.upper, "the upper 95 % Wilson bound of \(count) of \(samples),")] {
                    let expected = written.isFinite ? written : nil
                    if value != expected {
                        return ("targets[\(i)].\(name)", value.map { "\($0)" } ?? "null", expected.map { "\(what) \($0)" } ?? "null, as no samples were counted")
                    }
                }
            }
            return nil
        }
    }

    /// Each target's probability, Wilson interval and count of `unit` meeting it; empty without targets.
    private func targetTable(_ targets: [SavedTarget], unit: String) -> String {
        guard !targets.isEmpty else { return "" }
        var table = "<table><tr><th>target</th><th>probability</th><th>95 % Wilson interval</th><th>\(unit) meeting it</th></tr>\n"
        for t in targets {
            table += "<tr><td>\(escapeHTML(t.text))</td><td>\(formatProbability(t.probability ?? .nan))</td><td>\(formatProbability(t.lower ?? .nan)) to \(formatProbability(t.upper ?? .nan))</td><td>\(t.count) of \(t.samples)</td></tr>\n"
        }
        return table + "</table>\n<p class=\"note\">Counted exactly, sample by sample; the interval is the Monte Carlo uncertainty of the count.</p>\n"
    }

    /// What the report reads of sensitivity.json: the method's columns by name, null where an index
    /// could not be computed.
    struct SavedSensitivity: SavedJSONView {
        struct Entry: Decodable {
            /// As written: a number, so that a fraction or an absurd year is named (`impossibleField`), not refused as JSON.
            var yearValue: Double?
            var parameter: String
            var values: [String: Double?]

            private struct Key: CodingKey {
                var stringValue: String
                var intValue: Int? { nil }
                init(stringValue: String) { self.stringValue = stringValue }
                init?(intValue: Int) { nil }
            }

            init(from decoder: Decoder) throws {
                let container = try decoder.container(keyedBy: Key.self)
                yearValue = try container.decodeIfPresent(Double.self, forKey: Key(stringValue: "year"))
                parameter = try container.decode(String.self, forKey: Key(stringValue: "parameter"))
                var values: [String: Double?] = [:]
                for key in container.allKeys where key.stringValue != "year" && key.stringValue != "parameter" {
                    values[key.stringValue] = try container.decodeIfPresent(Double.self, forKey: key)
                }
                self.values = values
            }

            /// The year, when it is one a scenario can project.
            var year: Int? {
                yearValue.flatMap { Int(exactly: $0) }.flatMap { Scenario.possibleYears.contains($0) ? $0 : nil }
            }
        }
        var method: String
        var subject: String
        var quantity: String
        var indices: [Entry]
        /// Sobol's interval method; absent for other methods (and in files written before there was a choice).
        var intervals: SensitivityCommand.IntervalMethod?
        /// Counts as written: numbers, so that a fraction is named (`impossibleField`), not refused as JSON.
        var resamplesValue: Double?
        var confidenceLevel: Double?
        var evaluations: Double?
        var resamples: Int? { resamplesValue.flatMap { Int(exactly: $0) } }

        enum CodingKeys: String, CodingKey {
            case method, subject, quantity, indices, intervals, confidenceLevel, evaluations
            case resamplesValue = "resamples"
        }

        /// The columns that are never negative: confidence half-widths, Morris's μ* and σ, a tornado's swing.
        static let nonNegativeColumns: Set = ["S1_conf", "ST_conf", "mu_star", "mu_star_conf", "sigma", "swing"]

        var impossibleField: (field: String, value: String, allowed: String)? {
            let methods = SensitivityCommand.Method.allCases.map(\.rawValue)
            guard let known = SensitivityCommand.Method(rawValue: method) else {
                return ("method", "'\(method)'", methods.joined(separator: ", "))
            }
            // An analysis has at least one input and runs the model at least once.
            if indices.isEmpty { return ("indices", "empty", "an entry per input (and year)") }
            if let evaluations, !(evaluations >= 1 && evaluations.rounded() == evaluations) { return ("evaluations", "\(evaluations)", "a whole number ≥ 1") }
            // sensitivity writes one entry per input (or group) and year analysed.
            struct Analysed: Hashable { var year: Int?, parameter: String }
            var first: [Analysed: Int] = [:]
            for (i, entry) in indices.enumerated() {
                if let value = entry.yearValue, entry.year == nil {
                    let years = Scenario.possibleYears
                    return ("indices[\(i)].year", "\(value)", "null or a year from \(years.lowerBound) to \(years.upperBound)")
                }
                if let earlier = first.updateValue(i, forKey: Analysed(year: entry.year, parameter: entry.parameter)) {
                    return ("indices[\(i)].parameter", "'\(entry.parameter)'",
                            "one entry per parameter and year; indices[\(earlier)] is '\(entry.parameter)'\(entry.year.map { " in \($0)" } ?? "")")
                }
                for column in known.analysis.columns where Self.nonNegativeColumns.contains(column) {
                    if let value = entry.values[column] ?? nil, value < 0 { return ("indices[\(i)].\(column)", "\(value)", "null or a number ≥ 0") }
                }
            }
            if let level = confidenceLevel, !(level > 0 && level < 1) { return ("confidenceLevel", "\(level)", "a number between 0 and 1") }
            if let resamplesValue, !(resamplesValue >= 2 && resamples != nil) { return ("resamples", "\(resamplesValue)", "a whole number, at least 2") }
            return nil
        }
    }

    /// A sensitivity analysis: its chart and table of the last year analysed, and S1 by year when there are several.
    mutating func addSensitivity(_ saved: SavedSensitivity, chart: String?, yearsChart: String?) {
        let method = saved.method
        let lastYear = saved.indices.compactMap(\.year).max()
        let indices = saved.indices.filter { $0.year == lastYear }
        let keys = SensitivityCommand.Method(rawValue: method)?.analysis.columns ?? []
        var table = "<table><tr><th>parameter</th>" + keys.map { "<th>\($0)</th>" }.joined() + "</tr>\n"
        for entry in indices {
            table += "<tr><td>\(escapeHTML(entry.parameter))</td>"
                + keys.map { "<td>\((entry.values[$0] ?? nil).map(formatFigure) ?? "")</td>" }.joined() + "</tr>\n"
        }
        let subject = "\(saved.subject): \(saved.quantity)"
        let shown = lastYear.map { " (table and bars: \($0))" } ?? ""
        var intervalsNote = ""
        if let method = saved.intervals, let level = saved.confidenceLevel {
            intervalsNote = "\n<p class=\"note\">" + escapeHTML(SobolIndices.intervalsDescription(method, resamples: saved.resamples, confidenceLevel: level)) + "</p>"
        }
        sections.append("<h2>Sensitivity (\(escapeHTML(method))) of \(escapeHTML(subject))</h2>\n"
            + (yearsChart.map { figure(stripProlog($0), caption: "First-order Sobol' indices by year, stacked; inputs below S1 = \(SobolIndices.minorShare) in every year as others.") } ?? "")
            + (chart.map { figure(stripProlog($0), caption: "\(method) indices of \(subject)\(shown).") } ?? "") + table + "</table>"
            + intervalsNote)
    }

    mutating func addSweep(directory: String, table: CSVTable, chart: String?) throws {
        guard let point = table.column("point"), let market = table.column("market"), let metric = table.column("metric"),
              let year = table.column("year"), let stat = table.column("stat"), let value = table.column("value"),
              let unit = table.column("unit") else {
            throw ArchiveError(file: directory, problem: "sweep.csv lacks the expected columns")
        }
        try Self.checkSweepRows(table, directory: directory, point: point, market: market, metric: metric, year: year, stat: stat, value: value, unit: unit)
        let names = Array(table.header[(point + 1)..<market])
        var rows = ""
        for (r, row) in table.rows.enumerated() where row[market] == Names.total && row[metric] == "reduction" && row[stat] == "p50" {
            let median = try savedNumber(row[value], directory, "sweep.csv", row: r, column: "value")
            rows += "<tr><td>\(escapeHTML(row[point]))</td>" + names.indices.map { "<td>\(escapeHTML(row[point + 1 + $0]))</td>" }.joined()
                + "<td>\(median.map(formatFigure) ?? "")</td></tr>\n"
        }
        sections.append("<h2>Parameter sweep</h2>\n" + (chart.map { figure(stripProlog($0), caption: "Median total reduction across the grid.") } ?? "")
            + "<table><tr><th>point</th>" + names.map { "<th>\(escapeHTML($0))</th>" }.joined() + "<th>median total reduction</th></tr>\n\(rows)</table>")
    }

    /// Refuses a row of sweep.csv that sweep cannot have written: a metric without bands, a unit but
    /// the metric's (`Sweep.units`), a statistic but sweep's percentiles, mean, sd and se, a second row
    /// of a point's statistic (the report would list the point twice), a point's percentiles out of order.
    static func checkSweepRows(_ table: CSVTable, directory: String, point: Int, market: Int, metric: Int, year: Int, stat: Int, value: Int, unit: Int) throws {
        let file = "sweep.csv"
        func refuse(_ row: Int, _ column: String, _ problem: String) -> ArchiveError {
            ArchiveError(file: FileOutput.path(directory, file), problem: "row \(row + 2).\(column): \(problem)")
        }
        let metrics = Metric.allCases.filter { MonteCarloStudy.trackedMetrics.contains($0) }
        let percents = Dictionary(uniqueKeysWithValues: Sweep.percentiles.map { (percentileLabel($0), $0) })
        let stats = Sweep.percentiles.map(percentileLabel) + BandRow.momentStats
        var firstRow: [[String]: Int] = [:]
        // Each series' (point, market, metric, year) percentiles, series in the order of their first row.
        var series: [[String]] = []
        var percentiles: [[String]: [(percent: Double, value: Double, row: Int)]] = [:]
        for (r, cells) in table.rows.enumerated() {
            guard let quantity = Metric(rawValue: cells[metric]), metrics.contains(quantity) else {
                throw refuse(r, "metric", "'\(cells[metric])' is not a metric sweep writes; allowed: \(metrics.map(\.rawValue).joined(separator: ", "))")
            }
            let written = Sweep.units.unit(quantity)
            guard cells[unit] == written else { throw refuse(r, "unit", "'\(cells[unit])' is not the unit of \(quantity.rawValue); allowed: \(written)") }
            guard stats.contains(cells[stat]) else {
                throw refuse(r, "stat", "'\(cells[stat])' is not a statistic sweep writes; allowed: \(stats.joined(separator: ", "))")
            }
            let key = [cells[point], cells[market], cells[metric], cells[year]]
            if let earlier = firstRow.updateValue(r, forKey: key + [cells[stat]]) {
                throw refuse(r, "stat", "\(cells[stat]) of point \(cells[point]), \(cells[market]) \(cells[metric]) \(cells[year]) is row \(earlier + 2) too; "
                             + "allowed: one row per point, market, metric, year and stat")
            }
            guard let percent = percents[cells[stat]], let number = try savedNumber(cells[value], directory, file, row: r, column: "value") else { continue }
            if percentiles[key] == nil { series.append(key) }
            percentiles[key, default: []].append((percent, number, r))
        }
        for key in series {
            let sorted = percentiles[key, default: []].sorted { $0.percent < $1.percent }
            for (low, high) in zip(sorted, sorted.dropFirst()) where low.value > high.value {
                let (lower, higher) = (table.rows[low.row], table.rows[high.row])
                throw refuse(low.row, "value", "\(lower[stat]) \(lower[value]) is above \(higher[stat]) \(higher[value]) of the same point, market, metric and year "
                             + "(row \(high.row + 2)); allowed: percentiles in order")
            }
        }
    }

    /// Scenario discovery: the summary sentence, the chosen box and the coverage–density trade-off.
    /// What the report reads of discovery.json.
    struct SavedDiscovery: SavedJSONView {
        var subject: String
        var condition: String
        var samples: Int
        var cases: Int
        var threshold: Double
        var chosenStep: Int?
        var coverage: Double?
        var density: Double?
        var mass: Double?
        /// Absent in files of earlier builds: the sentence of a discovery without a box is then not checked.
        var densest: Double?
        var sentence: String

        var impossibleField: (field: String, value: String, allowed: String)? {
            if samples < 1 { return ("samples", "\(samples)", "a whole number ≥ 1") }
            if !(0...samples).contains(cases) { return ("cases", "\(cases)", "0 to samples (\(samples))") }
            if !(threshold > 0 && threshold <= 1) { return ("threshold", "\(threshold)", "a density in (0, 1]") }
            for (name, value) in [("coverage", coverage), ("density", density), ("mass", mass), ("densest", densest)] {
                if let value, !(0...1).contains(value) { return (name, "\(value)", "a fraction in [0, 1]") }
            }
            // discover writes the chosen box's figures exactly when it chose one.
            if (chosenStep == nil) != (coverage == nil) || (coverage == nil) != (density == nil) || (density == nil) != (mass == nil) {
                return ("chosenStep", chosenStep.map(String.init) ?? "null", "a step with coverage, density and mass, or null with none of them")
            }
            if let chosenStep, chosenStep < 0 { return ("chosenStep", "\(chosenStep)", "null or a step ≥ 0") }
            return nil
        }
    }

    mutating func addDiscovery(directory: String, summary: SavedDiscovery, box: CSVTable, chart: String?) throws {
        let names = ["input", "lower", "upper", "restricts", "log10_quasi_p_lower", "log10_quasi_p_upper"]
        let columns = names.map { box.column($0) }
        guard columns.allSatisfy({ $0 != nil }) else { throw ArchiveError(file: directory, problem: "box.csv lacks the expected columns") }
        let c = columns.map { $0! }
        var rows = "", ranges: [(name: String, lower: Double, upper: Double, sides: String)] = []
        for (r, row) in box.rows.enumerated() {
            func number(_ k: Int) throws -> Double? { try savedNumber(row[c[k]], directory, "box.csv", row: r, column: names[k]) }
            rows += "<tr><td>\(escapeHTML(row[c[0]]))</td>" + (try [1, 2].map { "<td>\(try number($0).map(formatFigure) ?? "")</td>" }.joined())
                + "<td>\(escapeHTML(row[c[3]]))</td>" + (try [4, 5].map { "<td>\(try number($0).map { String(format: "%.1f", $0) } ?? "")</td>" }.joined()) + "</tr>\n"
            guard DiscoverySummary.sides.contains(row[c[3]]) else {
                throw ArchiveError(file: FileOutput.path(directory, "box.csv"),
                                   problem: "row \(r + 2).restricts: '\(row[c[3]].prefix(40))'; allowed: \(DiscoverySummary.sides.joined(separator: ", "))")
            }
            ranges.append((row[c[0]], try number(1) ?? .nan, try number(2) ?? .nan, row[c[3]]))
        }
        if summary.chosenStep == nil && !box.rows.isEmpty {
            throw ArchiveError(file: FileOutput.path(directory, "box.csv"), problem: "restricts inputs, but discovery.json chose no box; discover writes no rows then")
        }
        // The finding is shown only as discover words it for these figures: a sentence written by hand is not a finding.
        let chosen: (coverage: Double, density: Double, mass: Double)? =
            if let coverage = summary.coverage, let density = summary.density, let mass = summary.mass { (coverage, density, mass) } else { nil }
        if chosen != nil || summary.densest != nil {
            let expected = DiscoverySummary.sentence(subject: summary.subject, condition: summary.condition, samples: summary.samples, cases: summary.cases,
                                                     threshold: summary.threshold, densest: summary.densest ?? 0, chosen: chosen, ranges: ranges)
            guard summary.sentence == expected else {
                throw ArchiveError(file: FileOutput.path(directory, "discovery.json"),
                                   problem: "is not discover's discovery.json: field sentence does not match its figures and box.csv (discover writes '\(expected.prefix(200))')")
            }
        }
        sections.append("<h2>Scenario discovery: where \(escapeHTML(summary.condition))</h2>\n<p>\(escapeHTML(summary.sentence))</p>\n"
            + (chart.map { figure(stripProlog($0), caption: "Density against coverage along PRIM's peeling and pasting; the chosen box marked.") } ?? "")
            + (rows.isEmpty ? "" : "<table><tr><th>input</th><th>lower</th><th>upper</th><th>restricts</th><th>log10 quasi-p, lower</th><th>log10 quasi-p, upper</th></tr>\n\(rows)</table>"))
    }

    private func figure(_ svg: String, caption: String) -> String {
        "<figure>\(svg)<figcaption>\(escapeHTML(caption))</figcaption></figure>\n"
    }
}

/// A reference figure with its SI value in brackets when its metric has one.
func figureWithSI(_ value: Double, metric: String) -> String {
    Metric(rawValue: metric).map { withSI(value, $0) } ?? formatFigure(value)
}

/// A figure in roadmap units with its SI value in brackets.
func withSI(_ value: Double, _ metric: Metric) -> String {
    "\(formatFigure(value)) <span class=\"si\">[\(formatFigure(value * metric.siFactor))]</span>"
}

func escapeHTML(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

/// An SVG file's markup without its XML declaration, for inlining.
func stripProlog(_ svg: String) -> String {
    guard svg.hasPrefix("<?xml"), let end = svg.range(of: "?>") else { return svg }
    return String(svg[end.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
}
