import ByteCoding

/// A spill key (`SeriesGeometry.spillKey(of:)`) and how many values had it.
struct SpillEntry: Equatable, Sendable {
    var key: Int64
    var count: UInt64
}

/// The counts of one series' spilled values by key: a few runs sorted by key, each at least twice
/// as long as the next, merged when a shorter one catches up (a log-structured merge).
///
/// Adding a block's keys costs sorting them and, amortized, a few sequential merges, and each
/// distinct key takes about 2 bytes, packed (`SpillRun`). A hash table took 40 to 64 (with its
/// growth) and a lookup scattered over all of them per key: with tails far beyond the pilot's range
/// (a lognormal of σ = 2 on a saturation level), a comparison spent half its time there.
struct SpillCounts: Equatable, Sendable {
    /// Longest first.
    private var runs: [SpillRun] = []

    init() {}

    /// Counts already sorted by key, each key once.
    init(sortedDistinct entries: [SpillEntry]) {
        push(SpillRun(entries))
    }

    init(_ run: SpillRun) {
        push(run)
    }

    var isEmpty: Bool { runs.isEmpty }
    var runCount: Int { runs.count }
    /// The memory the runs hold.
    var byteCount: Int { runs.reduce(MemoryLayout<SpillRun>.stride * runs.capacity) { $0 + $1.bytes.capacity } }

    /// At most the entries and bytes of `merged`: merging two runs adds at most 2 bytes (`SpillRun(merging:_:)`).
    var entryCountBound: Int { runs.reduce(0) { $0 + $1.count } }
    var mergedByteBound: Int { runs.reduce(0) { $0 + $1.bytes.count } + 2 * max(0, runs.count - 1) }

    /// Every key once, in ascending order, with its total count.
    var merged: SpillRun {
        runs.dropFirst().reduce(runs.first ?? SpillRun()) { SpillRun(merging: $0, $1) }
    }

    /// Adds `entries`, in any order, a key possibly more than once.
    mutating func add(_ entries: [SpillEntry]) {
        guard !entries.isEmpty else { return }
        var combined: [SpillEntry] = []
        combined.reserveCapacity(entries.count)
        for entry in Self.sortedByKey(entries) {
            if combined.last?.key == entry.key { combined[combined.count - 1].count += entry.count } else { combined.append(entry) }
        }
        push(SpillRun(combined))
    }

    /// `entries` in ascending order of key. A spill key has 22 bits (`SeriesGeometry.spillKey(of:)`)
    /// and a block's count fewer than 42: each entry is then one word, key above count, which two
    /// passes of a radix sort on 11 bits each put in order, several times faster than comparisons.
    /// A few entries, or others (tests give any key), are compared.
    static func sortedByKey(_ entries: [SpillEntry]) -> [SpillEntry] {
        let countBits: UInt64 = 42, half = Int64(1) << 21, digit = 11
        guard entries.count >= 256, entries.allSatisfy({ $0.key >= -half && $0.key < half && $0.count < 1 << countBits }) else {
            return entries.sorted { $0.key < $1.key }
        }
        var words = entries.map { UInt64($0.key + half) << countBits | $0.count }
        var moved = [UInt64](repeating: 0, count: words.count)
        var starts = [Int](repeating: 0, count: 1 << digit)
        for pass in 0..<2 {
            let shift = countBits + UInt64(pass * digit), mask = UInt64(1 << digit - 1)
            starts.withUnsafeMutableBufferPointer { starts in
                starts.update(repeating: 0)
                for word in words { starts[Int(word >> shift & mask)] += 1 }
                var start = 0
                for d in starts.indices { (starts[d], start) = (start, start + starts[d]) }
                moved.withUnsafeMutableBufferPointer { moved in
                    for word in words {
                        let d = Int(word >> shift & mask)
                        moved[starts[d]] = word
                        starts[d] += 1
                    }
                }
            }
            swap(&words, &moved)
        }
        return words.map { SpillEntry(key: Int64($0 >> countBits) - half, count: $0 & (1 << countBits - 1)) }
    }

    /// Adds every count of `other`.
    mutating func merge(_ other: SpillCounts) {
        for run in other.runs { push(run) }
    }

    /// Equal when every key has the same total, however the runs are split.
    static func == (lhs: SpillCounts, rhs: SpillCounts) -> Bool {
        lhs.merged == rhs.merged
    }

    /// Appends a run, then merges the last two runs while the shorter is at least half as long as
    /// the one before it, so there are at most log₂ of the distinct keys' runs.
    private mutating func push(_ run: SpillRun) {
        guard run.count > 0 else { return }
        runs.append(run)
        while runs.count >= 2 && runs[runs.count - 2].count <= 2 * runs[runs.count - 1].count {
            let last = runs.removeLast()
            runs[runs.count - 1] = SpillRun(merging: runs[runs.count - 1], last)
        }
    }
}

/// Distinct keys in ascending order with their counts, packed as a saved state packs a series'
/// spills (`writeSpills`): the first key in 8 bytes, then for each entry after it the gap to the
/// key before less one, and for each its count, as varints. Keys cluster and most counts are small,
/// so an entry takes about 2 bytes.
struct SpillRun: Equatable, Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    init() {}

    /// `count` entries packed as a saved state holds them, read and checked there (`addSeries`).
    init(packed bytes: [UInt8], count: Int) {
        self.bytes = bytes
        self.count = count
    }

    /// `entries` in ascending order of key, each key once.
    init(_ entries: [SpillEntry]) {
        guard let first = entries.first else { self.init(); return }
        var size = 8 + varintLength(first.count), last = first.key
        for entry in entries.dropFirst() {
            size += varintLength(UInt64(bitPattern: entry.key &- last &- 1)) + varintLength(entry.count)
            last = entry.key
        }
        self.init(byteCapacity: size) { packer in
            for entry in entries { packer.append(entry) }
        }
    }

    /// One run of the keys of both, the counts of a key in both added. It takes at most 2 bytes more
    /// than the two: a gap between keys only narrows, a key in both drops an entry (whose count's
    /// bytes pay for the sum's), and the later of the two first keys, 8 bytes as a first key, becomes
    /// a gap of up to 10.
    init(merging a: SpillRun, _ b: SpillRun) {
        self.init(byteCapacity: a.bytes.count + b.bytes.count + 2) { packer in
            a.withCursor { left in
                b.withCursor { right in
                    var x = left.next(), y = right.next()
                    while let l = x, let r = y {
                        if l.key < r.key {
                            packer.append(l); x = left.next()
                        } else if r.key < l.key {
                            packer.append(r); y = right.next()
                        } else {
                            packer.append(SpillEntry(key: l.key, count: l.count + r.count)); x = left.next(); y = right.next()
                        }
                    }
                    while let l = x { packer.append(l); x = left.next() }
                    while let r = y { packer.append(r); y = right.next() }
                }
            }
        }
    }

    /// Packs what `pack` appends, in at most `byteCapacity` bytes (the callers' bounds, which the
    /// check after packing only confirms); a quarter or more left over is given back, so that a run
    /// holds little more memory than its bytes.
    private init(byteCapacity: Int, _ pack: (inout Packer) -> Void) {
        var entryCount = 0
        var packed = [UInt8](unsafeUninitializedCapacity: byteCapacity) { buffer, initialized in
            var packer = Packer(start: buffer.baseAddress!)
            pack(&packer)
            initialized = packer.out - buffer.baseAddress!
            precondition(initialized <= byteCapacity, "a spill run outgrew its bytes")
            entryCount = packer.count
        }
        if packed.capacity - packed.count > packed.capacity / 4 { packed = Array(unsafeUninitializedCapacity: packed.count) { buffer, initialized in
            initialized = buffer.initialize(fromContentsOf: packed)
        } }
        bytes = packed
        count = entryCount
    }

    var entries: [SpillEntry] {
        withCursor { cursor in
            var result: [SpillEntry] = []
            result.reserveCapacity(count)
            while let entry = cursor.next() { result.append(entry) }
            return result
        }
    }

    /// Calls `body` with a cursor at the first entry.
    func withCursor<R>(_ body: (inout Cursor) -> R) -> R {
        bytes.withUnsafeBytes { raw in
            var cursor = Cursor(reader: ByteReader(raw) { preconditionFailure("a spill run is damaged: \($0)") }, remaining: count)
            return body(&cursor)
        }
    }

    struct Cursor {
        var reader: ByteReader<Never>
        var remaining: Int
        var key = Int64.min

        mutating func next() -> SpillEntry? {
            guard remaining > 0 else { return nil }
            key = reader.offset == 0 ? reader.read(Int64.self) : key &+ Int64(bitPattern: reader.readVarint()) &+ 1
            remaining -= 1
            return SpillEntry(key: key, count: reader.readVarint())
        }
    }

    /// Appends entries, keys ascending, at `out`.
    struct Packer {
        var out: UnsafeMutablePointer<UInt8>
        var count = 0
        private var last = Int64.min

        init(start: UnsafeMutablePointer<UInt8>) { out = start }

        mutating func append(_ entry: SpillEntry) {
            precondition(count == 0 || entry.key > last, "spill keys must ascend")
            if count == 0 {
                UnsafeMutableRawPointer(out).storeBytes(of: entry.key.littleEndian, toByteOffset: 0, as: Int64.self)
                out += MemoryLayout<Int64>.size
            } else {
                out = writeVarint(UInt64(bitPattern: entry.key &- last &- 1), to: out)
            }
            out = writeVarint(entry.count, to: out)
            last = entry.key
            count += 1
        }
    }
}

/// Spilled values of one series counted first in eight places, one per value of a key's lowest
/// three bits, and only when another key takes its place in `entries`: a difference that is exactly
/// zero in every sample, or one of rounding noise that falls on a few neighbouring keys, adds a few
/// entries per block, not one per value.
struct SpillRuns {
    /// Values per spill key of the keys no longer in their place, a key possibly more than once.
    private(set) var entries: [SpillEntry] = []
    /// The key in each place (`absent` for none: no value has that key) and its values not yet in `entries`.
    private var keys = SIMD8<Int64>(repeating: absent), lengths = SIMD8<UInt64>()
    private static let absent = Int64.min

    @inline(__always)
    mutating func add(_ value: Double) {
        let key = SeriesGeometry.spillKey(of: value)
        // Element by element: a comparison of the whole vectors compiles to a loop over the lanes.
        let place = Int(truncatingIfNeeded: key) & 7
        if keys[place] == key {
            lengths[place] &+= 1
            return
        }
        if lengths[place] > 0 { entries.append(SpillEntry(key: keys[place], count: lengths[place])) }
        keys[place] = key
        lengths[place] = 1
    }

    /// Every value's entry, those waiting in their places too, leaving none.
    mutating func take() -> [SpillEntry] {
        for place in 0..<8 where lengths[place] > 0 { entries.append(SpillEntry(key: keys[place], count: lengths[place])) }
        keys = SIMD8(repeating: Self.absent)
        lengths = SIMD8()
        defer { entries = [] }
        return entries
    }
}
