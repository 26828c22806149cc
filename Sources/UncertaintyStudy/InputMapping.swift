import Distributions
import RandomStreams
import RoadmapModel
import Scenario

/// The scenario's uncertain inputs as the kernel sees them: which slot each sets, scales or shifts,
/// and the Gaussian copula of their rank correlations.
public struct InputMapping: Sendable {
    public let inputs: [UncertainInput]
    let slots: [SlotIndex]
    let centrals: [Double]
    let copula: GaussianCopula?
    /// Per input, what `fill` needs, apart: copying a whole input per batch costs reference counting.
    let distributions: [Distribution]
    let applies: [UncertainInput.Apply]
    let pinned: [Bool]
    /// Slots held at a fixed value in every sample (a sweep's grid point); their draws are unused.
    public let pins: [SlotIndex: Double]

    public var names: [String] { inputs.map(\.name) }
    public var count: Int { inputs.count }
    /// Sampler dimension keys, by input name: under mc and lhs, scenarios sharing an input name share
    /// its draws; sobol keys a dimension by its position instead (`UniformSampler.fill`).
    public var dimensionKeys: [UInt64] { inputs.map { streamKey($0.name) } }
    public var varyingSlots: Set<SlotIndex> { Set(slots).union(pins.keys) }

    /// Maps the scenario's uncertain inputs to their slots, with `pins` fixing slots to given values.
    public init(setup: ModelSetup, pins: [SlotIndex: Double] = [:]) throws {
        self.pins = pins
        let scenario = setup.scenario
        inputs = scenario.uncertain
        slots = scenario.uncertain.map { setup.slot(for: $0) }
        centrals = slots.map { setup[slot: $0].central }
        distributions = inputs.map(\.distribution)
        applies = inputs.map(\.apply)
        pinned = slots.map { pins[$0] != nil }
        if scenario.correlations.isEmpty {
            copula = nil
        } else {
            // A loaded scenario's matrix was checked at load; one built in code may still fail here.
            do {
                copula = try GaussianCopula(rankCorrelation: scenario.rankCorrelationMatrix)
            } catch {
                throw InputError(file: "scenario '\(scenario.name)' (not loaded from a file)", keyPath: "correlations",
                                 message: "the rank correlations do not form a valid correlation matrix: \(error)")
            }
        }
    }

    /// Writes the pinned values into every lane of the kernel's slot rows (once per kernel).
    func applyPins(to kernel: ModelKernel) {
        for (slot, value) in pins { kernel.inputs(of: slot).update(repeating: value) }
    }

    /// The slot value an input's drawn value gives.
    func slotValue(input d: Int, drawn value: Double) -> Double {
        switch inputs[d].apply.effect {
        case .set: return value
        case .factor: return centrals[d] * value
        case .shift: return centrals[d] + value
        }
    }

    /// The slot an input acts on.
    public func slot(input d: Int) -> SlotIndex { slots[d] }

    /// Correlates a chunk of uniforms in place (dimension-major, `count` per dimension).
    func correlate(_ uniforms: UnsafeMutableBufferPointer<Double>, count: Int) {
        copula?.correlate(uniforms, dimensions: inputs.count, count: count)
    }

    /// Maps uniforms (dimension-major with row length `stride`, starting at `offset`) through each
    /// input's inverse CDF into the kernel's slot rows for lanes 0..<count, and keeps the drawn
    /// values in `drawn` (dimension-major, row length `count`) for `samples.csv`.
    func fill(kernel: ModelKernel, uniforms: UnsafeBufferPointer<Double>, stride: Int, offset: Int, count: Int,
              drawn: UnsafeMutableBufferPointer<Double>) {
        for d in inputs.indices {
            let source = UnsafeBufferPointer(rebasing: uniforms[(d * stride + offset)..<(d * stride + offset + count)])
            let values = UnsafeMutableBufferPointer(rebasing: drawn[(d * count)..<(d * count + count)])
            distributions[d].quantiles(source, into: values)
            if pinned[d] { continue }
            let row = kernel.inputs(of: slots[d])
            let central = centrals[d]
            switch applies[d].effect {
            case .set: for i in 0..<count { row[i] = values[i] }
            case .factor: for i in 0..<count { row[i] = central * values[i] }
            case .shift: for i in 0..<count { row[i] = central + values[i] }
            }
        }
    }
}
