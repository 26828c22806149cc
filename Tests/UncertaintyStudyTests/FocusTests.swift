import Testing
@testable import RoadmapModel
import StudyOutputs
@testable import UncertaintyStudy

/// Focused runs (`--metrics`, `--markets`, `--years`) track and write only their series, each row
/// bit for bit the same row of a full run.
struct FocusTests {
    static let focuses: [StudyFocus] = [
        StudyFocus(metrics: [.reduction]),
        StudyFocus(metrics: [.reduction], years: [2030, 2060]),
        StudyFocus(metrics: [.sales, .reduction], markets: ["heating", "total"]),
        StudyFocus(markets: ["hotwater"], years: Set(2040...2060)),
        // Values only: the markets' values are read from their sales' statistics, which are tracked but not written.
        StudyFocus(metrics: [.value], years: [2022, 2060]),
    ]

    @Test(arguments: focuses)
    func focusedBandsAreTheFullRunsRowsBitForBit(focus: StudyFocus) throws {
        let model = try setup()
        let settings = StudySettings(samples: 2 * StudySettings.chunkSize + 300, seed: 9, threads: 2)
        let full = try MonteCarloStudy(setup: model, settings: settings)
        var focusedSettings = settings
        focusedSettings.focus = focus
        let focused = try MonteCarloStudy(setup: model, settings: focusedSettings)
        #expect(focused.tracked.count < full.tracked.count)
        let fullRows = full.bands(try full.run(chunks: 0..<full.plan.chunkCount))
        let expected = fullRows.filter { row in
            (focus.metrics?.contains(row.key.metric.rawValue) ?? true) && (focus.markets?.contains(row.key.market) ?? true)
                && (focus.years?.contains(row.year) ?? true)
        }
        // Sharded and merged, so that the focus's layout also merges exactly.
        var state = try focused.run(chunks: focused.plan.chunks(shard: 0, of: 2))
        state.merge(try focused.run(chunks: focused.plan.chunks(shard: 1, of: 2)))
        let rows = focused.bands(state)
        #expect(!rows.isEmpty && rows.count == expected.count)
        for (row, want) in zip(rows, expected) {
            #expect(row.key == want.key && row.year == want.year && row.stat == want.stat && row.unit == want.unit)
            #expect(row.value.bitPattern == want.value.bitPattern, "\(row.key) \(row.year) \(row.stat): \(row.value) vs \(want.value)")
        }
    }

    /// The headline is the horizon reduction of the markets in the focus; without it there is none,
    /// and no convergence checkpoints.
    @Test func headlineFollowsTheFocus() throws {
        let model = try setup()
        func study(_ focus: StudyFocus) throws -> MonteCarloStudy {
            try MonteCarloStudy(setup: model, settings: StudySettings(samples: 3 * StudySettings.chunkSize, seed: 2, focus: focus))
        }
        let heating = try study(StudyFocus(markets: ["heating"]))
        #expect(heating.headline.map(\.key.market) == ["heating"])
        #expect(heating.convergenceChunks.count == 2)
        let full = try study(.all)
        let fullState = try full.run(chunks: 0..<full.plan.chunkCount)
        let heatingState = try heating.run(chunks: 0..<heating.plan.chunkCount)
        let h = try #require(full.headlineFigures(fullState).first { $0.market == "heating" })
        let f = try #require(heating.headlineFigures(heatingState).first)
        #expect(h.median.bitPattern == f.median.bitPattern && h.p95.bitPattern == f.p95.bitPattern)
        #expect(heating.convergenceFigures(heatingState).map { $0.figures.map(\.median) }
                == full.convergenceFigures(fullState).map { $0.figures.filter { $0.market == "heating" }.map(\.median) })
        for focus in [StudyFocus(metrics: [.sales]), StudyFocus(years: [2030])] {
            let other = try study(focus)
            #expect(other.headline.isEmpty && other.convergenceChunks.isEmpty)
            #expect(try other.run(chunks: 0..<other.plan.chunkCount).convergence.isEmpty)
            #expect(other.fanChartFiles.isEmpty)
        }
        #expect(heating.fanChartFiles.map(\.file) == ["fan-heating.svg"])
    }

    /// samples.csv keeps the focused outputs, with the values a full run writes.
    @Test func savedSamplesKeepTheFocusedOutputs() throws {
        let model = try setup()
        let settings = StudySettings(samples: 700, seed: 3, sampler: .mc)
        var focusedSettings = settings
        focusedSettings.focus = StudyFocus(metrics: [.reduction, .value], markets: ["total"])
        let studies = try [settings, focusedSettings].map { try MonteCarloStudy(setup: model, settings: $0) }
        #expect(studies[1].samplesHeader == Array(studies[0].samplesHeader.prefix(studies[0].mapping.count + 1)) + ["reduction_total_2060", "value_total_2060"])
        let texts = try studies.map { study in
            let sink = MemorySink()
            _ = try study.run(chunks: 0..<study.plan.chunkCount, sampleSink: sink)
            return sink.text.withLock { $0 }.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        }
        let columns = ["reduction_total_2060", "value_total_2060"].map { studies[0].samplesHeader.firstIndex(of: $0)! }
        #expect(texts[1].count == 700)
        #expect(texts[1] == texts[0].map { row in Array(row.prefix(studies[0].mapping.count + 1)) + columns.map { row[$0] } })
    }

    @Test func namesOutsideTheScenarioAreRefusedNamingTheOption() throws {
        let model = try setup()
        func refusal(_ focus: StudyFocus) -> StudyError? {
            do {
                _ = try MonteCarloStudy(setup: model, settings: StudySettings(samples: 10, focus: focus))
                return nil
            } catch let error as StudyError {
                return error
            } catch {
                return nil
            }
        }
        let market = try #require(refusal(StudyFocus(markets: ["cooling"])))
        #expect(market.subject == .focusMarkets && market.message.contains("heating, hotwater, total"))
        let year = try #require(refusal(StudyFocus(years: [2021, 2030])))
        #expect(year.subject == .focusYears && year.message.contains("2021") && year.message.contains("from 2022 to 2060"))
    }

    @Test func parsingTheOptions() throws {
        #expect(try StudyFocus.parseYears("2030,2058-2060") == [2030, 2058, 2059, 2060])
        #expect(try StudyFocus.parseYears(" all ") == nil)
        #expect(try StudyFocus.parseMetrics("reduction, sales") == [.reduction, .sales])
        #expect(try StudyFocus.parseMarkets("total,heating") == ["total", "heating"])
        // A year named twice, alone or within a range, is refused as `sensitivity` always did.
        for text in ["2060-2030", "2030,", "20x0", "2030-", "0-99999", "2060,2060", "2030-2040,2040", "all,2030", "-2030"] {
            let error = #expect(throws: StudyError.self, "\(text)") { try StudyFocus.parseYears(text) }
            #expect(error?.subject == .focusYears)
        }
        let metric = #expect(throws: StudyError.self) { try StudyFocus.parseMetrics("reduction,baseline_emissions") }
        #expect(metric?.subject == .focusMetrics && metric?.message.contains("sales, value, stock, heat, electricity, reduction") == true)
        // The same focus however the options list it.
        #expect(StudyFocus(metrics: [.sales, .reduction], markets: ["total", "heating", "total"])
                == StudyFocus(metrics: [.reduction, .sales], markets: ["heating", "total"]))
    }
}
