// Apart from Foundation, which imports the C library without `@preconcurrency`: `stdout` is a C
// global, which Swift 6 refuses to read where the import does not say it predates concurrency.
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Writes out what was printed; true when some of it could not be written (a full disk, a closed pipe).
func standardOutputFailed() -> Bool {
    fflush(stdout) != 0 || ferror(stdout) != 0
}
