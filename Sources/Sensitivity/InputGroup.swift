/// A named set of inputs moved together, so that indices are reported for the set as a whole.
public struct InputGroup: Sendable, Hashable {
    /// The name reported in results.
    public let name: String
    /// Indices of the member inputs.
    public let inputs: [Int]

    public init(name: String, inputs: [Int]) {
        self.name = name
        self.inputs = inputs
    }
}

/// The factors of an analysis: the inputs one by one, or groups that partition them.
struct Factors: Sendable, Hashable {
    /// One name per factor.
    let names: [String]
    /// The factor each input belongs to.
    let factorOfInput: [Int]

    var count: Int { names.count }

    init(inputNames: [String], groups: [InputGroup]?) throws(SensitivityError) {
        guard !inputNames.isEmpty else { throw .noInputs }
        guard let groups else {
            names = inputNames
            factorOfInput = Array(inputNames.indices)
            return
        }
        guard !groups.isEmpty else { throw .noGroups }
        var factorOfInput = [Int?](repeating: nil, count: inputNames.count)
        for (factor, group) in groups.enumerated() {
            guard !group.inputs.isEmpty else { throw .emptyGroup(group: group.name) }
            for input in group.inputs {
                guard inputNames.indices.contains(input) else {
                    throw .unknownInput(index: input, group: group.name, inputCount: inputNames.count)
                }
                guard factorOfInput[input] == nil else {
                    throw .inputListedTwice(input: inputNames[input], group: group.name)
                }
                factorOfInput[input] = factor
            }
        }
        if let missing = factorOfInput.firstIndex(of: nil) {
            throw .ungroupedInput(input: inputNames[missing])
        }
        names = groups.map(\.name)
        self.factorOfInput = factorOfInput.map { $0! }
    }
}
