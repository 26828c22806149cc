import Foundation
import Testing
import FileOutput

struct FileOutputTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hpmc-out-\(UUID())").path

    @Test func writesAtomicallyAndLeavesNoTemporaryFile() throws {
        try FileOutput.prepareDirectory(directory, for: ["a.csv"], force: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileOutput.write("first\n", to: FileOutput.path(directory, "a.csv"))
        try FileOutput.write("second\n", to: FileOutput.path(directory, "a.csv"))
        #expect(try String(contentsOfFile: FileOutput.path(directory, "a.csv"), encoding: .utf8) == "second\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["a.csv"])
    }

    @Test func refusesToOverwriteWithoutForce() throws {
        try FileOutput.prepareDirectory(directory, for: ["a.csv"], force: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileOutput.write("x", to: FileOutput.path(directory, "a.csv"))
        #expect(throws: FileOutput.Failure.self) { try FileOutput.prepareDirectory(directory, for: ["a.csv"], force: false) }
        try FileOutput.prepareDirectory(directory, for: ["b.csv"], force: false)
        try FileOutput.prepareDirectory(directory, for: ["a.csv"], force: true)
    }

    @Test func unwritableTargetIsAClearError() {
        #expect(throws: FileOutput.Failure.self) { try FileOutput.write("x", to: "/proc/hpmc-cannot-write/a.csv") }
        #expect(throws: FileOutput.Failure.self) { try FileOutput.prepareDirectory("/proc/hpmc-cannot-create", for: [], force: false) }
    }
}
