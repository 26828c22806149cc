import CSV
import Foundation
import LinearAlgebra
import ParallelRunner
import RoadmapModel
import Sampling
import Scenario

/// The samples scenario discovery analyses: every input's drawn values (by column, in the input's own
/// units) and one output per sample.
public struct DiscoverySamples: Sendable {
    public var names: [String]
    public var columns: [[Double]]
    /// NaN where the output is not finite.
    public var outputs: [Double]

    /// Bytes per sample while drawing: the inputs and the output, once in the workers' buffers and
    /// once in the arrays handed on.
    public static func bytesPerSample(inputs: Int) -> Int { 2 * 8 * (inputs + 1) }

    /// Draws and evaluates `settings.samples` samples exactly as `hpmc run` with the same settings does
    /// (same sampler streams, correlations and kernel), so the same seed gives the same samples, on
    /// `settings.threads` workers writing disjoint ranges: identical for any thread count.
    public static func draw(setup: ModelSetup, settings: StudySettings, condition: TargetCondition) throws -> DiscoverySamples {
        try settings.validate()
        let mapping = try InputMapping(setup: setup)
        let sampler = try settings.sampler(dimensionKeys: mapping.dimensionKeys)
        guard let series = setup.catalog.computedIndex(of: SeriesKey(market: condition.market, metric: condition.metric)) else {
            let markets = (setup.scenario.markets.map(\.name) + [Names.total]).joined(separator: ", ")
            throw StudyError(.condition, "'\(condition.text)': no \(condition.metric.rawValue) series for '\(condition.market)'; markets: \(markets)")
        }
        let years = setup.catalog.years
        guard let year = years.firstIndex(of: condition.year) else {
            throw StudyError(.condition, "'\(condition.text)': the year must lie in \(years.first!)...\(years.last!)")
        }
        let n = settings.samples, dimensions = mapping.count
        let plan = ChunkPlan(sampleCount: n, chunkSize: StudySettings.chunkSize)
        let drawn = Buffer(count: dimensions * n), outputs = Buffer(count: n)
        defer { drawn.pointer.deallocate(); outputs.pointer.deallocate() }
        let row = setup.catalog.outputOffset(series, year: year, lanes: StudySettings.kernelLanes)
        // The kernel writes only the condition's metric (its rows keep the full kernel's bits).
        let written = KernelOutputs(metrics: [condition.metric])
        setLAPACKThreadCount(1)
        _ = runChunks(0..<plan.chunkCount, threads: min(settings.threads, plan.chunkCount), roundSize: plan.chunkCount,
                      makeWorker: { _ in DrawWorker(evaluator: ChunkEvaluator(setup: setup, mapping: mapping, written: written)) },
                      body: { worker, chunk in
                          worker.evaluate(samples: plan.samples(inChunk: chunk), sampler: sampler, output: row,
                                          total: n, drawn: drawn, outputs: outputs)
                      },
                      afterRound: { _, _ in })
        let columns = (0..<dimensions).map { d in Array(UnsafeBufferPointer(rebasing: drawn.pointer[(d * n)..<((d + 1) * n)])) }
        return DiscoverySamples(names: mapping.names, columns: columns, outputs: Array(outputs.pointer))
    }

    /// Memory the workers write into, each its own samples' range.
    struct Buffer: @unchecked Sendable {
        let pointer: UnsafeMutableBufferPointer<Double>
        init(count: Int) { pointer = .allocate(capacity: max(1, count)) }
    }

    struct DrawWorker: @unchecked Sendable {
        let evaluator: ChunkEvaluator

        /// Copies each sample's drawn inputs and its output (NaN when not finite) to its place in `drawn` and `outputs`.
        func evaluate(samples: Range<Int>, sampler: UniformSampler, output: Int, total: Int, drawn: Buffer, outputs: Buffer) {
            evaluator.draw(samples: samples, from: sampler)
            let dimensions = evaluator.mapping.count
            evaluator.evaluateChunk { offset, n in
                let first = samples.lowerBound + offset
                for d in 0..<dimensions {
                    for i in 0..<n { drawn.pointer[d * total + first + i] = evaluator.drawn[d * n + i] }
                }
                for i in 0..<n {
                    let value = evaluator.outputs[output + i]
                    outputs.pointer[first + i] = value.isFinite ? value : .nan
                }
            }
        }
    }

    /// Reads a run's `samples.csv`: the inputs are the columns between `sample` and the outputs (the
    /// last columns, each METRIC_MARKET_YEAR of reduction, sales or value: a focused run writes only
    /// those of its focus), the output is the condition's column; an empty output cell is non-finite.
    /// The file streams through: only the numbers are kept. `fitsInMemory` is told the number of
    /// samples (estimated from the first rows' share of the file) and of inputs before they are kept,
    /// and throws to refuse them.
    public static func read(file: String, condition: TargetCondition,
                            fitsInMemory: (_ samples: Int, _ inputs: Int) throws -> Void) throws -> DiscoverySamples {
        let records = try openRecords(file)
        do {
            let headerRecord = try records.next()
            let header = try CSVTable.header(headerRecord?.fields)
            let firstOutput = header.indices.reversed().prefix { $0 > 0 && MonteCarloStudy.isSampleOutputColumn(header[$0]) }.last
            guard header.first == "sample", let firstOutput else {
                throw InputError(file: file, message: "is not a samples.csv of hpmc run --save-samples (its header is sample, the inputs, then outputs such as reduction_total_YEAR)")
            }
            guard let output = header.firstIndex(of: condition.sampleColumn) else {
                let outputs = header[firstOutput...].joined(separator: ", ")
                throw StudyError(.condition, "'\(condition.text)': \(file) has no column \(condition.sampleColumn), only \(outputs)")
            }
            let names = Array(header[1..<firstOutput])
            guard !names.isEmpty else { throw InputError(file: file, message: "has no input columns") }
            // As a scenario names its inputs: the names go into box.csv's and discovery.csv's cells
            // (one starting '=' or '@' is a formula to a spreadsheet) and the finding's sentence.
            if let bad = names.first(where: { !UncertainInput.isValidName($0) }) {
                throw InputError(file: file, keyPath: "header", line: headerRecord?.line, message: "input column '\(bad.prefix(40))': an input name is \(UncertainInput.nameRule)")
            }
            var columns = [[Double]](repeating: [], count: names.count)
            var outputs: [Double] = []
            var nextCheck = rowsBeforeMemoryCheck
            while true {
                // Once the first rows show how long a row is, before most are kept, and again at each
                // doubling: a file may grow, and a pipe has no size (the rows seen then taken for half).
                if outputs.count == nextCheck {
                    let estimate = records.size > records.offset ? Int(min(Double(records.size) / Double(records.offset) * Double(outputs.count), Double(Int.max / 4)))
                        : 2 * outputs.count
                    try fitsInMemory(estimate, names.count)
                    if nextCheck == rowsBeforeMemoryCheck {
                        for d in columns.indices { columns[d].reserveCapacity(estimate + estimate / 20) }
                        outputs.reserveCapacity(estimate + estimate / 20)
                    }
                    nextCheck *= 2
                }
                guard let (row, line) = try records.next() else { break }
                try CSVTable.checkWidth(row, header: header, line: line)
                for d in names.indices {
                    do { columns[d].append(try DecimalNumber.parse(row[d + 1])) } catch {
                        throw InputError(file: file, keyPath: names[d], line: line, message: "\(error)")
                    }
                }
                let cell = row[output]
                if cell.isEmpty {
                    outputs.append(.nan)
                } else {
                    do { outputs.append(try DecimalNumber.parse(cell)) } catch {
                        throw InputError(file: file, keyPath: condition.sampleColumn, line: line, message: "\(error) (a non-finite output is an empty cell)")
                    }
                }
            }
            guard !outputs.isEmpty else { throw InputError(file: file, message: "holds no samples, only the header") }
            if outputs.count < rowsBeforeMemoryCheck { try fitsInMemory(outputs.count, names.count) }
            return DiscoverySamples(names: names, columns: columns, outputs: outputs)
        } catch let error as CSV.ParseError {
            throw InputError(file: file, line: error.line, message: error.message)
        }
    }

    /// Rows read before the memory check: enough to tell a row's length within a few per cent.
    static let rowsBeforeMemoryCheck = 4096
}

/// The records of the CSV file `file`; one that cannot be opened is an input error naming it.
private func openRecords(_ file: String) throws(InputError) -> CSV.FileRecords {
    do { return try CSV.FileRecords(path: file) } catch { throw InputError(file: file, message: "cannot read the file (\(error.reason))") }
}

extension CSVTable {
    /// The CSV file `file`, read as it streams in; what is wrong with it is an input error naming the file and the line.
    public init(file: String) throws {
        let records = try openRecords(file)
        do {
            var all: [[String]] = [], lines: [Int] = []
            while let (record, line) = try records.next() {
                all.append(record)
                lines.append(line)
            }
            try self.init(records: all, lines: lines)
        } catch let error as CSV.ParseError {
            throw InputError(file: file, line: error.line, message: error.message)
        }
    }
}
