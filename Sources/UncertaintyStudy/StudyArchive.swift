import ByteCoding
import Digest
import Foundation
import ParallelRunner
import StreamingStatistics

/// What makes results parts of one study: the same version, scenario, seed, sample count, sampler,
/// chunk size, targets (as a set: their order does not matter) and focus. Shards merge only when theirs
/// are equal (`ShardMerge` names the first field that differs); summary.json records it beside how the run went.
public struct StudyIdentity: Codable, Sendable, Equatable {
    public var hpmc: String
    public var scenario: String
    public var scenarioSHA256: String
    public var seed: UInt64
    public var samples: Int
    public var sampler: String
    public var chunkSize: Int
    /// The study's targets, in canonical text (`TargetCondition.text`).
    public var targets: [String]
    /// The series the state tracks; nil: all (and so absent from a full run's files).
    public var focus: StudyFocus?
}

/// A state's shard of its study and how far it has got through the shard's chunks.
public struct ShardPosition: Codable, Sendable, Equatable {
    public var shard: Int
    public var shardCount: Int
    /// The shard's chunks, and how far this file has got through them.
    package var chunkStart: Int
    package var chunkEnd: Int
    public var completedThrough: Int
}

/// A study's mergeable state on disk: a shard's result or a checkpoint of a run in progress.
///
/// Layout: the magic `HPMCSTDY`, a version, then length-prefixed sections (the manifest as JSON,
/// the scenario text, the target counts, the statistics, one section per convergence checkpoint), then the XXH64 of
/// everything before it. The scenario travels inside, so `hpmc merge` needs nothing but the files.
/// Its size depends on the scenario, never on the sample count. The statistics stay sparse (their
/// non-zero bins) until `state()` asks for them whole, so merging costs what the files hold.
public struct StudyArchive: Sendable, Equatable {
    /// What the file's state is a state of: the study (`StudyIdentity`) and its place in it
    /// (`ShardPosition`), whose fields both read as the manifest's own. In the file, one JSON object of all fields.
    @dynamicMemberLookup
    public struct Manifest: Codable, Sendable, Equatable {
        public var study: StudyIdentity
        public var position: ShardPosition

        public subscript<Value>(dynamicMember field: WritableKeyPath<StudyIdentity, Value>) -> Value {
            get { study[keyPath: field] }
            set { study[keyPath: field] = newValue }
        }

        public subscript<Value>(dynamicMember field: WritableKeyPath<ShardPosition, Value>) -> Value {
            get { position[keyPath: field] }
            set { position[keyPath: field] = newValue }
        }

        public init(study: StudyIdentity, position: ShardPosition) {
            self.study = study
            self.position = position
        }

        public init(from decoder: Decoder) throws {
            study = try StudyIdentity(from: decoder)
            position = try ShardPosition(from: decoder)
        }

        public func encode(to encoder: Encoder) throws {
            try study.encode(to: encoder)
            try position.encode(to: encoder)
        }

        public var isComplete: Bool { position.completedThrough == position.chunkEnd }

        /// Checks every count and index against the plan they describe, so that a file with a valid
        /// checksum but impossible numbers is refused here rather than trapping later.
        func checkRanges(file: String) throws(ArchiveError) {
            func refuse(_ problem: String) -> ArchiveError { ArchiveError(file: file, problem: "manifest: \(problem)") }
            let samples = study.samples, chunkSize = study.chunkSize
            let (shard, shardCount, chunkStart, chunkEnd, completedThrough) =
                (position.shard, position.shardCount, position.chunkStart, position.chunkEnd, position.completedThrough)
            guard samples >= 1, samples <= StudySettings.maximumSamples else {
                throw refuse("samples \(samples) outside 1...\(StudySettings.maximumSamples)")
            }
            guard chunkSize == StudySettings.chunkSize else { throw refuse("chunk size \(chunkSize); this hpmc uses \(StudySettings.chunkSize)") }
            guard shardCount >= 1, shard >= 0, shard < shardCount else { throw refuse("shard \(shard) of \(shardCount); shards are 0..<N with N ≥ 1") }
            let chunks = ChunkPlan(sampleCount: samples, chunkSize: chunkSize).chunks(shard: shard, of: shardCount)
            guard chunkStart == chunks.lowerBound, chunkEnd == chunks.upperBound else {
                throw refuse("chunks \(chunkStart)..<\(chunkEnd) are not shard \(shard) of \(shardCount)'s \(chunks.lowerBound)..<\(chunks.upperBound)")
            }
            guard completedThrough >= chunkStart, completedThrough <= chunkEnd else {
                throw refuse("completed through chunk \(completedThrough), outside its chunks \(chunkStart)...\(chunkEnd)")
            }
        }
    }

    public var manifest: Manifest
    public var scenarioText: String
    /// Per target: samples that met it, then samples evaluated (UInt64 each).
    let targetSection: ArraySlice<UInt8>
    /// The statistics, then each convergence checkpoint's, serialized.
    let statisticsSections: [ArraySlice<UInt8>]
    /// The file it was read from, for error messages; not part of its identity.
    let source: String

    public static func == (lhs: StudyArchive, rhs: StudyArchive) -> Bool {
        lhs.manifest == rhs.manifest && lhs.scenarioText == rhs.scenarioText && lhs.targetSection == rhs.targetSection
            && lhs.statisticsSections == rhs.statisticsSections
    }

    static let magic = Array("HPMCSTDY".utf8)
    /// 3: statistics with spilled keys (format 3); 4: target counts. Older files are refused.
    static let version: UInt32 = 4
    static let checksumSize = 8

    /// `threads`: for encoding the statistics.
    public init(manifest: Manifest, scenarioText: String, state: StudyState, threads: Int = 1) {
        self.manifest = manifest
        self.scenarioText = scenarioText
        var counts = ByteWriter()
        for count in state.targets {
            counts.write(count.met)
            counts.write(count.evaluated)
        }
        targetSection = counts.bytes[...]
        statisticsSections = state.accumulators.map { $0.serialized(threads: threads)[...] }
        source = "new archive"
    }

    /// The target counts, checked against the manifest: one pair per target, none met more often
    /// than evaluated, none evaluated more often than the file's chunks hold samples.
    func targetCounts() throws(ArchiveError) -> [TargetCount] {
        let problem = { (text: String) in ArchiveError(file: self.source, problem: "target counts: \(text)") }
        guard targetSection.count == 16 * manifest.targets.count else {
            throw problem("\(targetSection.count) bytes for \(manifest.targets.count) targets")
        }
        let plan = ChunkPlan(sampleCount: manifest.samples, chunkSize: manifest.chunkSize)
        let samples = UInt64(min(manifest.completedThrough * plan.chunkSize, plan.sampleCount) - min(manifest.chunkStart * plan.chunkSize, plan.sampleCount))
        // Little-endian, as ByteWriter wrote them; the length was checked above.
        func word(_ w: Int) -> UInt64 {
            (0..<8).reduce(0) { $0 | UInt64(targetSection[targetSection.startIndex + 8 * w + $1]) << (8 * $1) }
        }
        return try manifest.targets.indices.map { k throws(ArchiveError) in
            let count = TargetCount(met: word(2 * k), evaluated: word(2 * k + 1))
            guard count.met <= count.evaluated, count.evaluated <= samples else {
                throw problem("'\(manifest.targets[k])' met \(count.met) times of \(count.evaluated) evaluated, in \(samples) samples")
            }
            return count
        }
    }

    /// The state the archive holds, with every accumulator whole.
    public func state() throws(ArchiveError) -> StudyState {
        let targets = try targetCounts()
        do {
            let all = try statisticsSections.map { section throws(StatisticsDecodingError) in try StatisticsAccumulator(serialized: section) }
            return StudyState(statistics: all[0], convergence: Array(all.dropFirst()), targets: targets, chunks: manifest.chunkStart..<manifest.completedThrough)
        } catch {
            throw ArchiveError(file: source, problem: "statistics: \(error)")
        }
    }

    /// Adds the archive's statistics into `state` (see `StatisticsAccumulator.merge(serialized:)`;
    /// on a throw `state` is part-merged). `state`'s target counts are those of `targetOrder` (the
    /// study's texts, in its order): targets are a set, so this file may list them in another order.
    public func merge(into state: inout StudyState, targetOrder: [String]) throws(ArchiveError) {
        guard statisticsSections.count == 1 + state.convergence.count else {
            throw ArchiveError(file: source, problem: "\(statisticsSections.count - 1) convergence sections where the study has \(state.convergence.count)")
        }
        let counts = try targetCounts()
        guard counts.count == state.targets.count, targetOrder.count == state.targets.count else {
            throw ArchiveError(file: source, problem: "\(counts.count) targets where the study has \(state.targets.count)")
        }
        for (k, text) in targetOrder.enumerated() {
            guard let i = manifest.targets.firstIndex(of: text) else { throw ArchiveError(file: source, problem: "no target '\(text)'") }
            state.targets[k].add(counts[i])
        }
        do {
            try state.statistics.merge(serialized: statisticsSections[0])
            for i in state.convergence.indices { try state.convergence[i].merge(serialized: statisticsSections[i + 1]) }
        } catch .differentLayout {
            throw ArchiveError(file: source, problem: "its statistics layout differs from the other shards'")
        } catch {
            throw ArchiveError(file: source, problem: "statistics: \(error)")
        }
    }

    /// The file's bytes. Throws (never traps) should the manifest not encode; it holds no floating point.
    public func encoded() throws(ArchiveError) -> [UInt8] {
        var writer = ByteWriter(Self.magic)
        writer.write(Self.version)
        let manifestJSON: Data
        do {
            manifestJSON = try JSONEncoder.sorted.encode(manifest)
        } catch {
            throw ArchiveError(file: source, problem: "cannot encode the manifest (\(error))")
        }
        let sections = [Array(manifestJSON)[...], Array(scenarioText.utf8)[...], targetSection] + statisticsSections
        writer.reserveCapacity(sections.reduce(Self.magic.count + 4 + 4 + Self.checksumSize) { $0 + 8 + $1.count })
        writer.write(UInt32(sections.count))
        for section in sections {
            writer.write(UInt64(section.count))
            writer.append(section)
        }
        // Computed first: an argument reading `writer.bytes` would still share its buffer when the
        // write appends, which then copied the whole file.
        let checksum = XXH64.digest(writer.bytes)
        writer.write(checksum)
        return writer.bytes
    }

    /// Decodes and checks a file's bytes; `name` labels the errors.
    public init(bytes: [UInt8], name: String) throws(ArchiveError) {
        guard bytes.count >= Self.magic.count + 4 + 4 + Self.checksumSize else { throw ArchiveError(file: name, problem: "truncated: \(bytes.count) bytes") }
        guard Array(bytes.prefix(8)) == Self.magic else { throw ArchiveError(file: name, problem: "not an hpmc shard or checkpoint file") }
        let end = bytes.count - Self.checksumSize, header = Self.magic.count
        let outcome = bytes.withUnsafeBytes { all -> Result<[Range<Int>], ArchiveError> in
            do throws(ArchiveError) {
                var trailer = ByteReader(UnsafeRawBufferPointer(rebasing: all[end...])) { ArchiveError(file: name, problem: $0) }
                let stored = try trailer.read(UInt64.self)
                guard XXH64.digest(UnsafeRawBufferPointer(rebasing: all[..<end])) == stored else {
                    throw ArchiveError(file: name, problem: "checksum mismatch: the file is truncated or corrupted")
                }
                var reader = ByteReader(UnsafeRawBufferPointer(rebasing: all[header..<end])) { ArchiveError(file: name, problem: "malformed: \($0)") }
                guard try reader.read(UInt32.self) == Self.version else { throw ArchiveError(file: name, problem: "written by an incompatible hpmc file version") }
                let count = try reader.read(UInt32.self)
                var sections: [Range<Int>] = []
                for _ in 0..<count {
                    let length = try reader.read(UInt64.self)
                    let start = header + reader.offset
                    try reader.skip(length)
                    sections.append(start..<header + reader.offset)
                }
                guard sections.count >= 4, reader.isAtEnd else { throw ArchiveError(file: name, problem: "malformed sections") }
                return .success(sections)
            } catch {
                return .failure(error)
            }
        }
        let sections = try outcome.get().map { bytes[$0] }
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: Data(sections[0]))
        } catch {
            throw ArchiveError(file: name, problem: "unreadable manifest")
        }
        try manifest.checkRanges(file: name)
        scenarioText = String(decoding: sections[1], as: UTF8.self)
        targetSection = sections[2]
        statisticsSections = Array(sections.dropFirst(3))
        source = name
    }

    /// Reads and checks the `study.hpmc` at `path`.
    public static func read(path: String) throws(ArchiveError) -> StudyArchive {
        try StudyArchive(bytes: try readFile(path), name: path)
    }

    /// The bytes of the file at `path`, read straight into one array (through `Data` they were held twice).
    static func readFile(_ path: String) throws(ArchiveError) -> [UInt8] {
        // Not blocking: a FIFO in a shard's place would wait for a writer for ever (it is refused below).
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw ArchiveError(file: path, problem: "cannot read the file (\(String(cString: strerror(errno))))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ArchiveError(file: path, problem: "cannot read the file (\(String(cString: strerror(errno))))") }
        guard status.st_mode & S_IFMT == S_IFREG else { throw ArchiveError(file: path, problem: "is not a regular file") }
        // Its bytes and the state they hold, about as large again: refused here, not by a trap
        // in the allocation (a tight `ulimit -v`, a small job).
        if let available = memoryLeftBytes(), 2 * Double(status.st_size) > Double(available) {
            throw ArchiveError(file: path, problem: "is \(memorySize(Double(status.st_size))); reading it and its state needs about "
                                   + "\(memorySize(2 * Double(status.st_size))), and \(machineAllows(available))")
        }
        var failure: Int32? = nil
        let bytes = [UInt8](unsafeUninitializedCapacity: Int(status.st_size)) { buffer, initialized in
            while initialized < buffer.count {
                let count = Foundation.read(descriptor, buffer.baseAddress! + initialized, buffer.count - initialized)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    if count < 0 { failure = errno }
                    return
                }
                initialized += count
            }
        }
        if let failure { throw ArchiveError(file: path, problem: "cannot read the file (\(String(cString: strerror(failure))))") }
        return bytes
    }

}

/// A study file (or run directory) that cannot be read or used, with what is wrong with it.
public struct ArchiveError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var problem: String
    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }
    public var description: String { "\(file): \(problem)" }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension MonteCarloStudy {
    /// Checks that `state`, read from `file`, holds this study's statistics: its layout, and one
    /// headline accumulator per convergence checkpoint.
    public func check(_ state: StudyState, file: String) throws(ArchiveError) {
        guard state.statistics.layout == layout else {
            throw ArchiveError(file: file, problem: "its statistics layout does not match this hpmc's reading of the scenario")
        }
        guard state.convergence.count == convergenceChunks.count, state.convergence.allSatisfy({ $0.layout == headlineLayout }) else {
            throw ArchiveError(file: file, problem: "\(state.convergence.count) convergence sections where the study has \(convergenceChunks.count) (or their layout differs)")
        }
        guard state.targets.count == targets.count else {
            throw ArchiveError(file: file, problem: "\(state.targets.count) target counts where the study has \(targets.count) targets")
        }
    }

    /// The manifest of this study's state over `chunks` of shard `shard`/`shardCount`.
    public func archiveManifest(scenarioSHA256: String, shard: Int, of shardCount: Int, completedThrough: Int) -> StudyArchive.Manifest {
        let chunks = plan.chunks(shard: shard, of: shardCount)
        return .init(study: identity(scenarioSHA256: scenarioSHA256),
                     position: ShardPosition(shard: shard, shardCount: shardCount, chunkStart: chunks.lowerBound,
                                             chunkEnd: chunks.upperBound, completedThrough: completedThrough))
    }

    /// What makes a result this study's: in every shard, checkpoint and summary.json.
    public func identity(scenarioSHA256: String) -> StudyIdentity {
        StudyIdentity(hpmc: hpmcVersion, scenario: setup.scenario.name, scenarioSHA256: scenarioSHA256, seed: settings.seed,
                      samples: settings.samples, sampler: settings.sampler.rawValue, chunkSize: plan.chunkSize,
                      targets: settings.targets.map(\.text), focus: settings.focus.isAll ? nil : settings.focus)
    }

    /// The targets a manifest names, parsed back.
    public static func targets(of manifest: StudyArchive.Manifest, file: String) throws(ArchiveError) -> [TargetCondition] {
        do {
            let targets = try manifest.study.targets.map { text throws(StudyError) in try TargetCondition(parsing: text) }
            try TargetCondition.checkNoRepeat(targets)
            return targets
        } catch {
            throw ArchiveError(file: file, problem: "manifest: \(error)")
        }
    }
}
