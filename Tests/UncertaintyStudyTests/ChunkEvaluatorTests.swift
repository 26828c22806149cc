import Testing
import Sampling
@testable import RoadmapModel
@testable import UncertaintyStudy

/// The one path from sample indices to model outputs that runs, sweeps, comparisons, discovery and
/// the pilot share.
struct ChunkEvaluatorTests {
    /// The horizon-year total reduction of each sample of chunk 0, evaluated over `ranges` in turn.
    func reductions(_ evaluator: ChunkEvaluator, setup model: ModelSetup, ranges: [Range<Int>]) throws -> [Double] {
        let series = try #require(model.catalog.computedIndex(of: SeriesKey(market: Names.total, metric: .reduction)))
        let row = model.catalog.outputOffset(series, year: model.yearCount - 1, lanes: evaluator.lanes)
        var values: [Double] = []
        for range in ranges {
            evaluator.evaluate(range) { _, n in values += (0..<n).map { evaluator.outputs[row + $0] } }
        }
        return values
    }

    @Test func aChunkSplitAnywhereGivesTheSameBits() throws {
        let model = try setup()
        let mapping = try InputMapping(setup: model)
        let sampler = try StudySettings(samples: 4096).sampler(dimensionKeys: mapping.dimensionKeys)
        let evaluator = ChunkEvaluator(setup: model, mapping: mapping)
        evaluator.draw(samples: 2048..<4096, from: sampler)
        let whole = try reductions(evaluator, setup: model, ranges: [0..<2048])
        let split = try reductions(evaluator, setup: model, ranges: [0..<1, 1..<300, 300..<1777, 1777..<2048])
        #expect(whole.count == 2048 && Set(whole).count > 1000)
        #expect(whole.map(\.bitPattern) == split.map(\.bitPattern))
    }

    /// A sweep's workers keep their evaluator from point to point: pinning it anew gives the bits of a
    /// new evaluator made with those pins.
    @Test func pinningAgainGivesTheBitsOfANewEvaluator() throws {
        let model = try setup()
        let grid = try SweepGrid(specifications: ["cop_heating=0.9:1.1:3"], setup: model)
        let first = try InputMapping(setup: model, pins: grid.pins(point: 0)), last = try InputMapping(setup: model, pins: grid.pins(point: 2))
        let sampler = try StudySettings(samples: 2048).sampler(dimensionKeys: first.dimensionKeys)
        let reused = ChunkEvaluator(setup: model, mapping: first), new = ChunkEvaluator(setup: model, mapping: last)
        reused.draw(samples: 0..<2048, from: sampler)
        let before = try reductions(reused, setup: model, ranges: [0..<2048])
        reused.pin(last)
        reused.draw(samples: 0..<2048, from: sampler)
        new.draw(samples: 0..<2048, from: sampler)
        let after = try reductions(reused, setup: model, ranges: [0..<2048])
        #expect(after.map(\.bitPattern) == (try reductions(new, setup: model, ranges: [0..<2048])).map(\.bitPattern))
        #expect(after != before)
    }
}
