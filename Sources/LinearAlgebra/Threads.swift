#if canImport(Glibc)
import Glibc
#endif
import CLapack

/// Sets how many threads OpenBLAS may use. hpmc calls this with 1: its parallelism lives at the
/// sample level, not inside tiny factorizations. The first call also stops OpenBLAS's own pool: the
/// library starts it when it loads, one thread per further core, and those threads spin for about
/// a tenth of a second waiting for work, on the cores hpmc's workers need (measured: a 2-thread
/// run's first round took twice its CPU time in wall time while they spun).
public func setLAPACKThreadCount(_ n: Int) {
    precondition(n >= 1, "Thread count must be at least 1")
    _ = openBLASPoolStopped
    // Setting a count starts a stopped pool again: a count already in force is left alone.
    guard openblas_get_num_threads() != n else { return }
    openblas_set_num_threads(Int32(n))
}

/// One thread, and the pool stopped, once per process (a global's initializer runs once, whichever
/// threads ask). `blas_thread_shutdown_` is exported by OpenBLAS's threaded builds without being
/// declared; a build without threads has no pool and no such function, nor has a static build a
/// symbol `dlsym` can find (the pool then spins as before).
private let openBLASPoolStopped: Void = {
    openblas_set_num_threads(1)
    #if canImport(Glibc)
    guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_") else { return }
    typealias Shutdown = @convention(c) () -> Int32
    _ = unsafeBitCast(address, to: Shutdown.self)()
    #endif
}()
