import CLapack

/// Sets how many threads OpenBLAS may use; Monte Carlo workers call this with 1 so that
/// parallelism lives at the sample level rather than inside tiny factorizations.
public func setLAPACKThreadCount(_ n: Int) {
    precondition(n >= 1, "Thread count must be at least 1")
    openblas_set_num_threads(Int32(n))
}
