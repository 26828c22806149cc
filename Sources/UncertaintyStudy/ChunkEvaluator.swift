import RoadmapModel
import Sampling

/// One thread's path from sample indices to model outputs, the part every sampling command shares:
/// draws a chunk's uniforms, correlates them, maps them through the inputs' distributions into the
/// kernel's slots and evaluates the kernel a few lanes at a time. Callers keep only what they do
/// with the evaluated lanes. Its buffers are freed with it.
final class ChunkEvaluator: @unchecked Sendable {
    private(set) var mapping: InputMapping
    let kernel: ModelKernel
    private let buffers = ScratchBuffers()
    /// The drawn chunk's correlated uniforms, dimension-major with row length `count`.
    private let uniforms: UnsafeMutableBufferPointer<Double>
    /// The last evaluated lanes' drawn values in the inputs' own units, dimension-major with row
    /// length the lanes evaluated (what `samples.csv` and `discover` record).
    let drawn: UnsafeMutableBufferPointer<Double>
    /// Samples in the drawn chunk.
    private(set) var count = 0

    /// - Parameter chunkCapacity: the most samples one `draw` takes (0 when the points are given to
    ///   `evaluate(points:…)` instead).
    init(setup: ModelSetup, mapping: InputMapping, written: KernelOutputs = .all, totals: Bool = true,
         chunkCapacity: Int = StudySettings.chunkSize) {
        self.mapping = mapping
        kernel = ModelKernel(setup: setup, lanes: StudySettings.kernelLanes, varyingSlots: mapping.varyingSlots, written: written, totals: totals)
        mapping.applyPins(to: kernel)
        uniforms = buffers.allocate(mapping.count * chunkCapacity)
        drawn = buffers.allocate(mapping.count * StudySettings.kernelLanes)
    }

    var lanes: Int { kernel.lanes }

    /// The kernel's outputs, `[row][lane]`.
    var outputs: UnsafePointer<Double> { UnsafePointer(kernel.outputs.baseAddress!) }

    /// Takes `mapping`'s pinned values: another grid point of a sweep, with the same varying slots.
    func pin(_ mapping: InputMapping) {
        precondition(mapping.varyingSlots == self.mapping.varyingSlots, "a kernel's varying slots are fixed when it is made")
        self.mapping = mapping
        mapping.applyPins(to: kernel)
    }

    /// Draws and correlates the uniforms of `samples` (at most a chunk).
    func draw(samples: Range<Int>, from sampler: UniformSampler) {
        sampler.fill(firstIndex: samples.lowerBound, count: samples.count, into: uniforms)
        correlate(count: samples.count)
    }

    /// Takes the uniforms of `count` samples from `columns` of `source` (dimension-major, row length
    /// `count`): a sampler shared with another scenario, one column per input; then correlates them.
    func draw(count: Int, columns: [Int], of source: UnsafeBufferPointer<Double>) {
        precondition(columns.count * count <= uniforms.count, "more samples than the evaluator holds")
        precondition(columns.allSatisfy { (0..<(source.count / max(count, 1))).contains($0) }, "a column outside the source")
        for (d, column) in columns.enumerated() {
            (uniforms.baseAddress! + d * count).update(from: source.baseAddress! + column * count, count: count)
        }
        correlate(count: count)
    }

    private func correlate(count: Int) {
        self.count = count
        mapping.correlate(UnsafeMutableBufferPointer(rebasing: uniforms[0..<(mapping.count * count)]), count: count)
    }

    /// Evaluates the drawn samples `range` a kernel's lanes at a time; `body(offset, n)` reads each
    /// batch's outputs (samples `offset..<offset + n` of the chunk, in lanes `0..<n`). With
    /// `survivalOf`, an evaluator that has just evaluated the same samples of another scenario
    /// (`ModelKernel.evaluate(count:survivalOf:)`).
    func evaluate(_ range: Range<Int>, survivalOf other: ChunkEvaluator? = nil, _ body: (_ offset: Int, _ count: Int) -> Void) {
        evaluate(uniforms: UnsafeBufferPointer(uniforms), stride: count, range, survivalOf: other?.kernel, body)
    }

    /// Evaluates the whole drawn chunk (see `evaluate(_:_:)`).
    func evaluateChunk(_ body: (_ offset: Int, _ count: Int) -> Void) {
        evaluate(0..<count, body)
    }

    /// Evaluates `count` given points (uniforms, dimension-major with row length `count`, not
    /// correlated) like `evaluate(_:_:)`.
    func evaluate(points: UnsafeBufferPointer<Double>, count: Int, _ body: (_ offset: Int, _ count: Int) -> Void) {
        evaluate(uniforms: points, stride: count, 0..<count, survivalOf: nil, body)
    }

    private func evaluate(uniforms: UnsafeBufferPointer<Double>, stride: Int, _ range: Range<Int>, survivalOf other: ModelKernel?,
                          _ body: (_ offset: Int, _ count: Int) -> Void) {
        var offset = range.lowerBound
        while offset < range.upperBound {
            let n = min(kernel.lanes, range.upperBound - offset)
            mapping.fill(kernel: kernel, uniforms: uniforms, stride: stride, offset: offset, count: n, drawn: drawn)
            kernel.evaluate(count: n, survivalOf: other)
            body(offset, n)
            offset += n
        }
    }
}
