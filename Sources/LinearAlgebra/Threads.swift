#if canImport(Glibc)
import Glibc
#endif
import CLapack

/// Sets how many threads OpenBLAS may use. hpmc calls this with 1: its parallelism lives at the
/// sample level, not inside tiny factorizations. With 1, OpenBLAS's own pool is stopped too: the
/// library starts it when it loads, one thread per further core, and those threads spin for about
/// a tenth of a second waiting for work, on the cores hpmc's workers need (measured: a 2-thread
/// run's first round took twice its CPU time in wall time while they spun).
public func setLAPACKThreadCount(_ n: Int) {
    precondition(n >= 1, "Thread count must be at least 1")
    // Setting a count starts a stopped pool again: a count already in force is left alone.
    guard openblas_get_num_threads() != n else { return }
    openblas_set_num_threads(Int32(n))
    if n == 1 { stopOpenBLASPool() }
}

/// Calls OpenBLAS's `blas_thread_shutdown_`, which its threaded builds export without declaring it;
/// a build without threads has no pool and no such function.
private func stopOpenBLASPool() {
    #if canImport(Glibc)
    guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_") else { return }
    typealias Shutdown = @convention(c) () -> Int32
    _ = unsafeBitCast(address, to: Shutdown.self)()
    #endif
}
