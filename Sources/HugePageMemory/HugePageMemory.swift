#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory for a large buffer a worker sweeps through again and again (staged slots, a kernel's
/// outputs), on transparent huge pages where the system gives them: aligned to 2 MiB and advised
/// so (`MADV_HUGEPAGE`), a sweep then needs a TLB entry per 2 MiB instead of per 4 KiB, and the
/// first touch takes one page fault per 2 MiB instead of 512. Below 2 MiB, ordinary memory. Nil
/// when the system refuses the memory; `free` gives it back.
public func allocateOnHugePages(byteCount: Int) -> UnsafeMutableRawPointer? {
    let hugePage = 1 << 21
    guard byteCount >= hugePage else { return malloc(max(byteCount, 1)) }
    var allocated: UnsafeMutableRawPointer?
    guard posix_memalign(&allocated, hugePage, byteCount) == 0, let allocated else { return nil }
    #if os(Linux)
    // Only advice: the memory works on any pages.
    _ = madvise(allocated, byteCount, MADV_HUGEPAGE)
    #endif
    return allocated
}
