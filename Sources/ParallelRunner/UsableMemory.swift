import Foundation

/// Bytes of memory this process may use: the machine's physical memory (pages × page size), or
/// its control group's limit when lower (a Slurm job or a container gets only its share), or what
/// its address-space limit (`ulimit -v`, common on login nodes) leaves beyond what it has mapped;
/// nil when the system says none of them.
public func usableMemoryBytes() -> Int? {
    (memoryTotals() + [addressSpaceLeft()].compactMap { $0 }).min()
}

/// What this process may still take: `usableMemoryBytes`, but of the machine's memory and its job's
/// limit only what its resident pages leave. For a check made once it holds much (a state read, a
/// merged state to encode); at start-up the two differ by a few MB.
public func memoryLeftBytes() -> Int? {
    let resident = statmPages(field: 1).multipliedReportingOverflow(by: max(sysconf(Int32(_SC_PAGESIZE)), 1))
    return (memoryTotals().map { resident.overflow ? 0 : max(0, $0 - resident.partialValue) } + [addressSpaceLeft()].compactMap { $0 }).min()
}

/// The machine's physical memory and its control group's limit, those the system states.
private func memoryTotals() -> [Int] {
    let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
    let physical = pages > 0 && pageSize > 0 ? pages.multipliedReportingOverflow(by: pageSize) : nil
    let machine = physical.map { $0.overflow ? Int.max : $0.partialValue }
    let group = cgroupMemoryLimit(membership: try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) {
        try? String(contentsOfFile: $0, encoding: .utf8)
    }
    return [machine, group].compactMap { $0 }
}

/// A field of /proc/self/statm, in pages: 0 the mapped size, 1 the resident set; 0 when unreadable.
private func statmPages(field: Int) -> Int {
    (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)).flatMap { text in
        let fields = text.split(separator: " ")
        return fields.count > field ? Int(fields[field]) : nil
    } ?? 0
}

/// The address-space limit (`ulimit -v`, the soft one) in bytes; nil without one (RLIM_INFINITY,
/// all ones, which Swift imports as a negative literal).
public func addressSpaceLimitBytes() -> Int? {
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
    return Int(clamping: limit.rlim_cur)
}

/// Threads for set-up work that calls OpenBLAS (fitting, factorizing): `threads`, or one under an
/// address-space limit, since OpenBLAS reserves 128 MiB of address space for each thread that
/// calls it, so set-up on two threads made the address space left, and a memory check's verdict,
/// depend on how the threads were scheduled.
public func setUpThreads(_ threads: Int) -> Int {
    addressSpaceLimitBytes() == nil ? threads : 1
}

/// The address space `ulimit -v` leaves this process beyond what it has mapped (/proc/self/statm's
/// first field); nil without a limit.
private func addressSpaceLeft() -> Int? {
    guard let cap = addressSpaceLimitBytes() else { return nil }
    let (mapped, overflow) = statmPages(field: 0).multipliedReportingOverflow(by: max(sysconf(Int32(_SC_PAGESIZE)), 1))
    return overflow ? 0 : max(0, cap - mapped)
}

/// The memory limit of the control group named in `membership` (the text of /proc/self/cgroup):
/// cgroup v2's `memory.max` (line `0::PATH`) or v1's `memory.limit_in_bytes` (line `N:memory:PATH`),
/// read through `read`; nil without one ("max", or v1's huge "unlimited" value, count as none).
func cgroupMemoryLimit(membership: String?, read: (String) -> String?) -> Int? {
    guard let membership else { return nil }
    var candidates: [String] = []
    for line in membership.split(separator: "\n") {
        let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3 else { continue }
        if fields[0] == "0" && fields[1].isEmpty { candidates.append("/sys/fs/cgroup\(fields[2])/memory.max") }
        if fields[1].split(separator: ",").contains("memory") { candidates.append("/sys/fs/cgroup/memory\(fields[2])/memory.limit_in_bytes") }
    }
    let limits = candidates.compactMap { path in read(path).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } }
    // v1 reports "no limit" as the largest page-aligned Int64.
    return limits.filter { $0 > 0 && $0 < Int.max / 2 }.min()
}
