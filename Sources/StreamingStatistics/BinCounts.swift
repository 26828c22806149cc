#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The 32-bit bin counts of an accumulator, a value type, in zero pages mapped from the system.
///
/// A study's layout holds tens of megabytes of bins. Pages of an anonymous mapping are zero and
/// cost nothing until first written, so an accumulator costs the pages its values reach (about
/// 70 % of them for the shipped scenarios), and making one costs nothing; an array would write
/// every page up front, on the thread that makes it.
struct BinCounts: Equatable, @unchecked Sendable {
    private var storage: Storage
    private(set) var count: Int

    /// `count` zero bins, in a mapping with room for `capacity` (untouched, the room costs nothing).
    init(zeros count: Int, capacity: Int? = nil) throws(BinAllocationError) {
        precondition(count >= 0)
        self.count = count
        storage = try Storage(count: max(count, capacity ?? count))
    }

    /// Makes these `count` zero bins. An unshared storage large enough is kept, its pages mapped
    /// (the next counts do not fault them in again), after `clear` has zeroed every bin that may be
    /// non-zero; otherwise new zero pages are mapped, with room for an eighth more bins, so that the
    /// slightly larger layouts of later resets (a sweep's next points) keep them too.
    mutating func reset(zeros newCount: Int, clear: (UnsafeMutablePointer<UInt32>) -> Void) throws(BinAllocationError) {
        precondition(newCount >= 0)
        if isKnownUniquelyReferenced(&storage) && newCount * MemoryLayout<UInt32>.stride <= storage.byteCount {
            clear(storage.base)
            count = newCount
        } else {
            self = try BinCounts(zeros: newCount, capacity: newCount + newCount / 8)
        }
    }

    /// Maps every page of the bins now, their counts unchanged, so that no later read of a bin maps
    /// the shared zero page (see `HistogramStaging.SeriesStage.countedLow`); false where the system
    /// cannot. A page is mapped at most once in a storage's life.
    mutating func mapPages() -> Bool {
        makeUnique()
        return storage.mapPages(byteCount: count * MemoryLayout<UInt32>.stride)
    }

    subscript(bin: Int) -> UInt32 {
        get {
            precondition(bin >= 0 && bin < count, "bin \(bin) outside 0..<\(count)")
            return storage.base[bin]
        }
        set {
            precondition(bin >= 0 && bin < count, "bin \(bin) outside 0..<\(count)")
            makeUnique()
            storage.base[bin] = newValue
        }
    }

    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt32>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.base, count: count))
    }

    mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<UInt32>) throws -> R) rethrows -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.base, count: count))
    }

    static func == (lhs: BinCounts, rhs: BinCounts) -> Bool {
        lhs.count == rhs.count && (lhs.storage === rhs.storage || memcmp(lhs.storage.base, rhs.storage.base, lhs.count * 4) == 0)
    }

    /// Copy on write: a shared storage is copied before its first change. A refused copy still
    /// traps: a copy is made inside a count's setter, which cannot throw.
    private mutating func makeUnique() {
        guard !isKnownUniquelyReferenced(&storage) else { return }
        do {
            storage = try Storage(copying: storage)
        } catch {
            fatalError("\(error)")
        }
    }

    private final class Storage {
        let base: UnsafeMutablePointer<UInt32>
        let byteCount: Int

        init(count: Int) throws(BinAllocationError) {
            // At least one byte (the mapping takes a page), so an empty layout has an address too.
            byteCount = max(count * MemoryLayout<UInt32>.stride, 1)
            let mapped = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            guard let mapped, mapped != MAP_FAILED else { throw BinAllocationError(byteCount: byteCount) }
            base = mapped.bindMemory(to: UInt32.self, capacity: max(count, 1))
        }

        /// Pages from `base` mapped by `mapPages`, in bytes.
        private var mappedByteCount = 0

        func mapPages(byteCount: Int) -> Bool {
            guard byteCount > mappedByteCount else { return true }
            #if os(Linux)
            // Write faults taken in one call, page by page as the kernel zeroes them; mapped pages stay as they are.
            guard madvise(base, byteCount, MADV_POPULATE_WRITE) == 0 else { return false }
            mappedByteCount = byteCount
            return true
            #else
            return false
            #endif
        }

        convenience init(copying other: Storage) throws(BinAllocationError) {
            try self.init(count: other.byteCount / MemoryLayout<UInt32>.stride)
            memcpy(base, other.base, other.byteCount)
        }

        deinit { munmap(base, byteCount) }
    }
}

/// The system refused the memory for histogram bins or staged slots: an address-space limit (`ulimit -v`) or
/// overcommit policy stricter than the memory a run checks for beforehand.
public struct BinAllocationError: Error, Equatable, CustomStringConvertible {
    /// The bytes asked for.
    public let byteCount: Int

    public var description: String {
        "the system refused \((byteCount >> 20) + (byteCount & 0xFFFFF == 0 ? 0 : 1)) MiB (\(byteCount) bytes) of memory for histogram bins or staged slots"
    }
}
