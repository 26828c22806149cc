import Foundation

/// Number of cores this process should use: Foundation's active processor count, which on Linux
/// honours the CPU affinity mask and container CPU quotas; at least 1.
public func availableCoreCount() -> Int { coreCount }

/// Asked once: Foundation reads the container's quota files at every call (16 times in a run).
private let coreCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
