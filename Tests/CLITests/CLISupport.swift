import Foundation

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let cns = repositoryRoot.appendingPathComponent("Scenarios/cns.yaml").path
let ngs = repositoryRoot.appendingPathComponent("Scenarios/ngs.yaml").path

/// The `hpmc` executable built beside the test bundle.
let hpmcBinary: String = {
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var directory = runner.deletingLastPathComponent()
    // The runner may sit inside a bundle directory.
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("hpmc").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    return repositoryRoot.appendingPathComponent(".build/debug/hpmc").path
}()

struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs hpmc to completion with the given arguments.
@discardableResult
func hpmc(_ arguments: [String]) throws -> Outcome {
    let process = try launch(arguments)
    let out = readAll(process.standardOutputPipe)
    let err = readAll(process.standardErrorPipe)
    process.process.waitUntilExit()
    return Outcome(status: process.process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                   stderr: String(decoding: err, as: UTF8.self))
}

struct Launched {
    var process: Process
    var standardOutputPipe: Pipe
    var standardErrorPipe: Pipe
}

func launch(_ arguments: [String]) throws -> Launched {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: hpmcBinary)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    return Launched(process: process, standardOutputPipe: out, standardErrorPipe: err)
}

/// Runs hpmc to completion under an address-space limit (`ulimit -v`, in KiB), ended by `timeout`
/// after `seconds`; `exited` is false when a signal ended it (a trap).
func hpmcUnderAddressSpaceLimit(kibibytes: Int, seconds: Int = 120, _ arguments: [String]) throws -> (exited: Bool, outcome: Outcome) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "ulimit -v \(kibibytes) && exec timeout \(seconds) \"$0\" \"$@\"", hpmcBinary] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = readAll(out), stderr = readAll(err)
    process.waitUntilExit()
    return (process.terminationReason == .exit, Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                                       stderr: String(decoding: stderr, as: UTF8.self)))
}

/// Everything written to a pipe until its writers close it. Foundation's readDataToEndOfFile traps
/// when a read is interrupted by a signal (EINTR), which many processes ending at once make likely.
func readAll(_ pipe: Pipe) -> Data {
    let descriptor = pipe.fileHandleForReading.fileDescriptor
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count > 0 {
            data.append(contentsOf: buffer[0..<count])
        } else if count == 0 || errno != EINTR {
            return data
        }
    }
}

/// Where this test process's directories go: one directory, removed when the process exits, so
/// that repeated test runs do not fill the disk (they left about 2 GB of outputs each). Those of
/// test processes that were killed, and so never removed theirs, are removed here.
let testDirectoriesRoot: String = {
    let temporary = FileManager.default.temporaryDirectory.path, prefix = "hpmc-cli-tests-"
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? [] where entry.hasPrefix(prefix) {
        if let pid = Int32(entry.dropFirst(prefix.count)), kill(pid, 0) != 0 && errno == ESRCH {
            try? FileManager.default.removeItem(atPath: (temporary as NSString).appendingPathComponent(entry))
        }
    }
    let path = (temporary as NSString).appendingPathComponent("\(prefix)\(getpid())")
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: testDirectoriesRoot) }
    return path
}()

/// A fresh empty directory under the test process's directory.
func temporaryDirectory(_ label: String) -> String {
    let path = (testDirectoriesRoot as NSString).appendingPathComponent("\(label)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }
