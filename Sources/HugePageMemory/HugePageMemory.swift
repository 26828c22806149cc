#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The size of a transparent huge page on x86-64 and of the alignment `allocateOnHugePages` gives.
let hugePageByteCount = 1 << 21

/// Memory for a large buffer a worker sweeps through again and again (staged slots, a kernel's
/// outputs), on transparent huge pages where the system gives them: aligned to 2 MiB and advised
/// so (`MADV_HUGEPAGE`), a sweep then needs a TLB entry per 2 MiB instead of per 4 KiB, and the
/// first touch takes one page fault per 2 MiB instead of 512. Below 2 MiB, ordinary memory. Nil
/// when the system refuses the memory; `free` gives it back.
public func allocateOnHugePages(byteCount: Int) -> UnsafeMutableRawPointer? {
    guard byteCount >= hugePageByteCount else { return malloc(max(byteCount, 1)) }
    var allocated: UnsafeMutableRawPointer?
    guard posix_memalign(&allocated, hugePageByteCount, byteCount) == 0, let allocated else { return nil }
    #if os(Linux)
    // Only advice: the memory works on any pages.
    _ = madvise(allocated, byteCount, MADV_HUGEPAGE)
    #endif
    return allocated
}

/// The address space `allocateOnHugePages(byteCount:)` takes: from 2 MiB on, up to a huge page
/// more than asked, which the alignment leaves unused but an address-space limit counts.
public func hugePageReservation(byteCount: Int) -> Int {
    byteCount >= hugePageByteCount ? byteCount + hugePageByteCount : byteCount
}
