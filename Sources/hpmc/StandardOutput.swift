// Apart from Foundation, which imports the C library without `@preconcurrency`: `stdout` is a C
// global, which Swift 6 refuses to read where the import does not say it predates concurrency.
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import FileOutput

/// Writes out what was printed; true when some of it could not be written (a full disk, a closed pipe).
func standardOutputFailed() -> Bool {
    fflush(stdout) != 0 || ferror(stdout) != 0
}

/// Writes to the standard error as far as it can: Foundation's `FileHandle.write` traps when the write
/// fails (a closed or full stderr), and a message that cannot be shown must not turn an error's exit
/// status into a crash.
func writeStandardError(_ text: String) {
    var text = text
    text.withUTF8 { _ = writeFully(STDERR_FILENO, UnsafeRawBufferPointer($0)) }
}
