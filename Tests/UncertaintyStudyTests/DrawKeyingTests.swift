import Sampling
import Testing
@testable import UncertaintyStudy

/// Which draws an input keeps from one scenario to another, per sampler, shown on the input both
/// shipped scenarios declare at different positions: `grid_2060`, second in cns.yaml, first in ngs.yaml.
struct DrawKeyingTests {
    let cns: InputMapping, ngs: InputMapping
    let shared = "grid_2060"

    init() throws {
        cns = try InputMapping(setup: setup("cns"))
        ngs = try InputMapping(setup: setup("ngs"))
    }

    /// Dimension `d`'s uniforms of the chunk of samples 2048 ..< 4096 under seed 1.
    func column(_ mapping: InputMapping, _ kind: SamplerKind, _ d: Int) throws -> [Double] {
        let sampler = try UniformSampler(kind: kind, seed: 1, dimensionKeys: mapping.dimensionKeys)
        let count = StudySettings.chunkSize
        var block = [Double](repeating: 0, count: mapping.count * count)
        block.withUnsafeMutableBufferPointer { sampler.fill(firstIndex: count, count: count, into: $0) }
        return Array(block[(d * count)..<((d + 1) * count)])
    }

    func positions() throws -> (cns: Int, ngs: Int) {
        let inCNS = try #require(cns.names.firstIndex(of: shared)), inNGS = try #require(ngs.names.firstIndex(of: shared))
        #expect(inCNS != inNGS)
        return (inCNS, inNGS)
    }

    @Test(arguments: [SamplerKind.mc, .lhs])
    func mcAndLatinHypercubeDrawsFollowTheInputsName(kind: SamplerKind) throws {
        let (inCNS, inNGS) = try positions()
        #expect(try column(cns, kind, inCNS) == column(ngs, kind, inNGS))
    }

    @Test func sobolDrawsFollowTheInputsPosition() throws {
        let (inCNS, inNGS) = try positions()
        #expect(try column(cns, .sobol, inCNS) != column(ngs, .sobol, inNGS))
        // Different inputs at the same position get the same coordinate and scramble.
        #expect(cns.names[inNGS] != shared)
        #expect(try column(cns, .sobol, inNGS) == column(ngs, .sobol, inNGS))
    }

    /// `compare` samples the union of both scenarios' inputs with one sampler, so an input of the
    /// same name reads the same dimension in A and B, whatever its positions.
    @Test func compareGivesASharedInputOneDimension() throws {
        let comparison = try PairedComparison(a: setup("ngs"), b: setup("cns"), settings: StudySettings(samples: 2048, seed: 1, threads: 1))
        let (inCNS, inNGS) = try positions()
        #expect(comparison.dimensionsA[inNGS] == comparison.dimensionsB[inCNS])
        #expect(comparison.samplers[0].seed == comparison.samplers[1].seed)
    }
}
