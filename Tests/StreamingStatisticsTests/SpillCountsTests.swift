import Testing
@testable import StreamingStatistics

/// The spill store against a dictionary of the same additions: the same total per key, in key
/// order, however the keys arrive, split into batches or merged.
struct SpillCountsTests {
    /// Batches of keys with repeats, both signs and the extremes of Int64, as heavy tails give them.
    static func batches(seed: UInt64, count: Int) -> [[SpillEntry]] {
        var random = TestRandom(state: seed)
        return (0..<count).map { _ in
            let size = Int(random.next() % 300)
            return (0..<size).map { _ in
                let pick = random.next() % 100
                let key: Int64 = pick == 0 ? .min + 1 : pick == 1 ? .max : Int64(bitPattern: random.next() % 5_000) - 2_500
                return SpillEntry(key: key, count: 1 + random.next() % 7)
            }
        }
    }

    static func reference(_ batches: [[SpillEntry]]) -> [SpillEntry] {
        var totals: [Int64: UInt64] = [:]
        for batch in batches { for entry in batch { totals[entry.key, default: 0] += entry.count } }
        return totals.sorted { $0.key < $1.key }.map { SpillEntry(key: $0.key, count: $0.value) }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func totalsPerKeyInKeyOrder(seed: UInt64) {
        let batches = Self.batches(seed: seed, count: 400)
        var counts = SpillCounts()
        for batch in batches { counts.add(batch) }
        #expect(counts.merged.entries == Self.reference(batches))
        // Runs at least double in length from the last to the first: a few, however many batches.
        let distinct = counts.merged.count
        #expect(counts.runCount <= Int.bitWidth - distinct.leadingZeroBitCount)
    }

    /// The radix sort of spill keys (22 bits, both signs) against a stable comparison sort, equal keys
    /// in their order of arrival; keys or counts beyond its words take the comparisons.
    @Test(arguments: [255, 256, 5000])
    func keysSortAsByComparison(count: Int) {
        var random = TestRandom(state: UInt64(count))
        let half = Int64(1) << 21
        var entries = (0..<count).map { _ in
            SpillEntry(key: Int64(bitPattern: random.next() % UInt64(2 * half)) - half, count: random.next() % (1 << 41))
        }
        entries += [SpillEntry(key: -half, count: 5), SpillEntry(key: half - 1, count: (1 << 42) - 1), SpillEntry(key: 0, count: 1), SpillEntry(key: 0, count: 2)]
        #expect(SpillCounts.sortedByKey(entries) == entries.sorted { $0.key < $1.key })
        for outside in [SpillEntry(key: half, count: 1), SpillEntry(key: 7, count: 1 << 42)] {
            #expect(SpillCounts.sortedByKey(entries + [outside]) == (entries + [outside]).sorted { $0.key < $1.key })
        }
    }

    @Test func mergingEqualsAddingEverythingToOne() {
        let batches = Self.batches(seed: 7, count: 300)
        var whole = SpillCounts(), first = SpillCounts(), second = SpillCounts()
        for (i, batch) in batches.enumerated() {
            whole.add(batch)
            if i % 3 == 0 { first.add(batch) } else { second.add(batch) }
        }
        var merged = second
        merged.merge(first)
        var other = first
        other.merge(second)
        #expect(merged == whole && other == whole)
        #expect(merged.merged.entries == Self.reference(batches))
        // Equality looks at totals, not at how the runs happen to be split.
        #expect(SpillCounts(sortedDistinct: whole.merged.entries) == whole)
        // The widest gaps: each extreme alone, then merged (a first key of 8 bytes becomes a gap of 10).
        var extremes = SpillCounts()
        extremes.add([SpillEntry(key: .max, count: 1)])
        extremes.add([SpillEntry(key: .min + 1, count: .max / 2)])
        extremes.add([SpillEntry(key: 0, count: 3)])
        #expect(extremes.merged.entries == [SpillEntry(key: .min + 1, count: .max / 2), SpillEntry(key: 0, count: 3), SpillEntry(key: .max, count: 1)])
        var one = SpillCounts()
        one.add([SpillEntry(key: 3, count: 1)])
        var two = SpillCounts()
        two.add([SpillEntry(key: 3, count: 2)])
        #expect(one != two && SpillCounts() != one && SpillCounts().isEmpty && SpillCounts().merged.count == 0)
    }
}
