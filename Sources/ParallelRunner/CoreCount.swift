import Foundation

/// Number of cores this process should use: Foundation's active processor count, which on Linux
/// honours the CPU affinity mask and container CPU quotas; at least 1.
public func availableCoreCount() -> Int {
    max(1, ProcessInfo.processInfo.activeProcessorCount)
}
