import Foundation
import Testing
@testable import FileOutput

struct FileOutputTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hpmc-out-\(UUID())").path

    func text(_ file: String) -> String? { try? String(contentsOfFile: FileOutput.path(directory, file), encoding: .utf8) }
    func listing() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted() }

    /// Writes a complete set of `files`, each holding `content`.
    func commitSet(_ files: [String], content: String, force: Bool = false) throws {
        let set = try OutputSet(directory: directory, name: "test", files: files, force: force)
        for file in files { try set.write(content, to: file) }
        try set.commit()
    }

    @Test func writesAtomicallyAndLeavesNoTemporaryFile() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileOutput.write("first\n", to: FileOutput.path(directory, "a.csv"))
        try FileOutput.write("second\n", to: FileOutput.path(directory, "a.csv"))
        #expect(text("a.csv") == "second\n")
        #expect(listing() == ["a.csv"])
    }

    @Test func nothingIsVisibleBeforeTheCommitAndAllAfterIt() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let set = try OutputSet(directory: directory, name: "test", files: ["a.csv", "b.csv"], force: false)
        try set.write("a\n", to: "a.csv")
        try set.write("b\n", to: "b.csv")
        #expect(text("a.csv") == nil && text("b.csv") == nil)
        try set.commit()
        #expect(text("a.csv") == "a\n" && text("b.csv") == "b\n")
        // Besides the set: its lock and the record of its files; the staging directory is gone.
        #expect(listing() == [".hpmc-test.files", ".hpmc-test.lock", "a.csv", "b.csv"])
        #expect(text(".hpmc-test.files") == "a.csv\nb.csv\n")
    }

    /// A file the commit removes (a run's checkpoint) goes with the temporaries a killed writer left
    /// of it (`.FILE.PID.tmp`); other files' temporaries and look-alike names stay.
    @Test func removedFilesTakeTheirKilledWritersTemporaries() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for stray in [".checkpoint.hpmc.4242.tmp", ".checkpoint.hpmc.17.tmp", ".other.csv.4242.tmp", ".checkpoint.hpmc.x.tmp"] {
            try "partial".write(toFile: FileOutput.path(directory, stray), atomically: false, encoding: .utf8)
        }
        try FileOutput.write("state", to: FileOutput.path(directory, "checkpoint.hpmc"))
        let set = try OutputSet(directory: directory, name: "test", files: ["a.csv"], scratchFiles: ["checkpoint.hpmc"], force: false)
        try set.write("a\n", to: "a.csv")
        try set.commit(removingScratch: true)
        #expect(listing() == [".checkpoint.hpmc.x.tmp", ".hpmc-test.files", ".hpmc-test.lock", ".other.csv.4242.tmp", "a.csv"])
    }

    @Test func aSecondWriterIsRefusedNamingTheHoldersPid() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let holder = try OutputSet(directory: directory, name: "test", files: ["a.csv"], force: false)
        let refusal = #expect(throws: FileOutput.Failure.self) {
            try OutputSet(directory: directory, name: "test", files: ["a.csv"], force: true)
        }
        #expect(refusal?.description == "\(directory): is being written by hpmc pid \(getpid()); wait for it to finish, or choose another --out")
        // Another command's set in the same directory is not held up.
        _ = try OutputSet(directory: directory, name: "other", files: ["c.csv"], force: false)
        withExtendedLifetime(holder) {}
    }

    @Test func forceReplacesTheWholePreviousSetAndNothingElse() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try commitSet(["a.csv", "b.csv"], content: "old\n")
        try FileOutput.write("someone else's\n", to: FileOutput.path(directory, "c.csv"))
        let refusal = #expect(throws: FileOutput.Failure.self) { try commitSet(["a.csv"], content: "new\n") }
        #expect(refusal?.description.contains("already holds a.csv, b.csv; pass --force") == true)
        #expect(text("a.csv") == "old\n" && text("b.csv") == "old\n")
        try commitSet(["a.csv"], content: "new\n", force: true)
        #expect(text("a.csv") == "new\n" && text("b.csv") == nil && text("c.csv") == "someone else's\n")
    }

    @Test func otherFilesOfTheSetCountWithoutARecord() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileOutput.write("stale\n", to: FileOutput.path(directory, "samples.csv"))
        #expect(throws: FileOutput.Failure.self) {
            try OutputSet(directory: directory, name: "test", files: ["a.csv"], otherFiles: ["samples.csv"], force: false)
        }
        let set = try OutputSet(directory: directory, name: "test", files: ["a.csv"], otherFiles: ["samples.csv"], force: true)
        try set.write("a\n", to: "a.csv")
        try set.commit()
        #expect(text("samples.csv") == nil && text("a.csv") == "a\n")
    }

    /// A write that fails says why in the system's words, not Foundation's wrapper's.
    @Test func aFailedWriteGivesTheSystemsReason() {
        let path = "/nonexistent-\(UUID().uuidString)/a.csv"
        #expect {
            try FileOutput.write("a\n", to: path)
        } throws: { error in
            (error as? FileOutput.Failure).map { $0.path == path && $0.reason == "cannot write (No such file or directory)" } ?? false
        }
    }

    /// The lock holds the pid of its writer: through a symbolic link that would overwrite the link's target.
    @Test func aLockFileThatIsASymbolicLinkIsRefused() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let target = FileOutput.path(directory, "precious.txt")
        try Data("SECRET\n".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: FileOutput.path(directory, ".hpmc-test.lock"), withDestinationPath: "precious.txt")
        #expect {
            try OutputSet(directory: directory, name: "test", files: ["a.csv"], force: true)
        } throws: { error in
            (error as? FileOutput.Failure)?.reason.hasPrefix("cannot open the lock file (a symbolic link)") ?? false
        }
        #expect(text("precious.txt") == "SECRET\n")
    }

    /// A loser of the race for the lock may read it before the winner writes its pid: an earlier
    /// holder's, which no process has any more, is not named.
    @Test func aLockHoldingADeadProcessesPidNamesNoHolder() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = FileOutput.path(directory, "lock")
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        try Data("\(dead.processIdentifier)\n".utf8).write(to: URL(fileURLWithPath: path))
        let descriptor = open(path, O_RDONLY)
        defer { close(descriptor) }
        #expect(OutputSet.lockHolder(descriptor) == nil)
        try Data("\(getpid())\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(OutputSet.lockHolder(descriptor) == getpid())
    }

    /// A journal names only regular files of its set, each once: one naming the directory, a lock, the
    /// staging directory (every later writer failed, "Is a directory", promising the next would
    /// complete it), the journal, another set's file or record, a file of no set, or a file twice
    /// (hand-edited) is refused as malformed, by every writer, and none of it carried out (a staged
    /// a.csv stays staged). Each journal's last line is the one refused.
    @Test(arguments: ["remove .", "remove ..", "remove .hpmc-test.lock", "remove .hpmc-test.staging", "install .hpmc-test.staging",
                      "remove .hpmc-other.files", "remove c.csv", "remove notes.txt", "install journal", "remove .hpmc-test.files",
                      "install a.csv\ninstall a.csv", "install a.csv\nremove c.csv", "install a.csv\ninstall notes.txt", "copy a.csv",
                      "install a.csv\r"])
    func aJournalNamingNoFileOfTheSetIsRefused(journal: String) throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try commitSet(["a.csv"], content: "old\n")
        let other = try OutputSet(directory: directory, name: "other", files: ["c.csv"], force: false)
        try other.write("other's\n", to: "c.csv")
        try other.commit()
        try FileOutput.write("mine\n", to: FileOutput.path(directory, "notes.txt"))
        let staging = FileOutput.path(directory, ".hpmc-test.staging")
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        try FileOutput.write("new\n", to: FileOutput.path(staging, "a.csv"))
        try FileOutput.write("staged\n", to: FileOutput.path(staging, "notes.txt"))
        try FileOutput.write(journal + "\n", to: FileOutput.path(staging, "journal"))
        let lines = journal.split(separator: "\n"), refused = lines.last.map(String.init) ?? ""
        for _ in 0..<2 {
            #expect {
                try OutputSet(directory: directory, name: "test", files: ["a.csv"], force: true)
            } throws: { error in
                (error as? FileOutput.Failure).map { $0.path == FileOutput.path(staging, "journal") && $0.reason == "malformed line \(lines.count), '\(refused.replacingOccurrences(of: "\r", with: "\\r"))' (a line is 'install FILE' or 'remove FILE', a file of the set once)" } ?? false
            }
        }
        #expect(listing() == [".hpmc-other.files", ".hpmc-other.lock", ".hpmc-test.files", ".hpmc-test.lock", ".hpmc-test.staging", "a.csv", "c.csv", "notes.txt"])
        #expect(text("a.csv") == "old\n" && text("c.csv") == "other's\n" && text("notes.txt") == "mine\n" && text(".hpmc-test.files") == "a.csv\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging).sorted() == ["a.csv", "journal", "notes.txt"])
    }

    /// A file of the set that is no regular file by the time a writer completes the journal (a
    /// directory made in its place) is in the way, as at a commit: the journal is not malformed, and
    /// once the file is moved away the next writer completes it.
    @Test(arguments: ["install b.csv", "remove b.csv"])
    func aDirectoryInTheWayOfAJournalIsNamed(line: String) throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try commitSet(["a.csv", "b.csv"], content: "old\n")
        let staging = FileOutput.path(directory, ".hpmc-test.staging")
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        try FileOutput.write("new\n", to: FileOutput.path(staging, "b.csv"))
        try FileOutput.write(line + "\n", to: FileOutput.path(staging, "journal"))
        let inTheWay = FileOutput.path(directory, "b.csv")
        try FileManager.default.removeItem(atPath: inTheWay)
        try FileManager.default.createDirectory(atPath: inTheWay, withIntermediateDirectories: false)
        #expect {
            try OutputSet(directory: directory, name: "test", files: ["a.csv"], force: true)
        } throws: { error in
            (error as? FileOutput.Failure)?.description == "\(inTheWay): is in the way: it is not a regular file; move it away or choose another --out"
        }
        try FileManager.default.removeItem(atPath: inTheWay)
        _ = try OutputSet(directory: directory, name: "test", files: ["a.csv"], force: true)
        #expect(!FileManager.default.fileExists(atPath: FileOutput.path(staging, "journal")))
        #expect(text("b.csv") == (line.hasPrefix("install") ? "new\n" : nil))
    }

    /// A set's file may not be named as hpmc's own entries are (`--out DIR/.hpmc-x.html`): a journal
    /// naming it would be refused, so its commit could never complete. Refused before anything is made.
    @Test func aFileNamedAsHpmcsOwnEntriesIsRefused() {
        #expect {
            try OutputSet(directory: directory, name: "report-.hpmc-x.html", files: [".hpmc-x.html"], force: false)
        } throws: { error in
            (error as? FileOutput.Failure)?.description == "\(directory)/.hpmc-x.html: begins .hpmc-, as hpmc's own entries (locks, staging directories) do; choose another --out"
        }
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    @Test func aStreamedFileThatCannotBeMadeGivesTheSystemsReason() {
        let path = "/nonexistent-\(UUID().uuidString)/samples.csv"
        #expect {
            try StreamingFile(path: path)
        } throws: { error in
            (error as? FileOutput.Failure).map { $0.path == path && $0.reason == "cannot create the file (No such file or directory)" } ?? false
        }
    }

    /// The commit waits for every staged file to reach the disk before its journal names them: one
    /// that cannot be (here gone) stops the commit, and the old set stands.
    @Test func aStagedFileTheCommitCannotSyncStopsIt() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try commitSet(["a.csv"], content: "old\n")
        let set = try OutputSet(directory: directory, name: "test", files: ["a.csv"], force: true)
        try set.write("new\n", to: "a.csv")
        try FileManager.default.removeItem(atPath: set.stagingPath("a.csv"))
        #expect {
            try set.commit()
        } throws: { error in
            (error as? FileOutput.Failure).map { $0.path == FileOutput.path(directory, "a.csv") && $0.reason == "cannot write (No such file or directory)" } ?? false
        }
        #expect(text("a.csv") == "old\n")
    }

    @Test func anUncommittedSetLeavesTheOldOneAndIsDiscarded() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try commitSet(["a.csv"], content: "old\n")
        do {
            let abandoned = try OutputSet(directory: directory, name: "test", files: ["a.csv"], force: true)
            try abandoned.write("new\n", to: "a.csv")
        }
        #expect(text("a.csv") == "old\n")
        // An abandoned set takes its staged files with it.
        let staging = FileOutput.path(directory, ".hpmc-test.staging")
        #expect(!FileManager.default.fileExists(atPath: staging))
        // A killed writer's (no deinit ran) are discarded by the next writer, which starts from an
        // empty staging directory; the old set stands.
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        #expect(FileManager.default.createFile(atPath: FileOutput.path(staging, "a.csv"), contents: Data("new\n".utf8)))
        let next = try OutputSet(directory: directory, name: "test", files: ["b.csv"], otherFiles: ["a.csv"], force: true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: FileOutput.path(directory, ".hpmc-test.staging")).isEmpty)
        #expect(text("a.csv") == "old\n")
        withExtendedLifetime(next) {}
    }

    /// A commit cut off after its journal (here: a.csv moved, b.csv and the record still staged,
    /// old.csv not yet removed) is finished by the next writer of the set before it does anything
    /// else, whatever files that writer writes: the journal's files are the set's by its records (the
    /// directory's lists old.csv until the staged one, moved last, replaces it).
    @Test(arguments: [["a.csv", "b.csv"], ["d.csv"]])
    func anInterruptedCommitIsRolledForward(nextWritersFiles: [String]) throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try commitSet(["a.csv", "b.csv", "old.csv"], content: "old\n")
        let staging = FileOutput.path(directory, ".hpmc-test.staging"), record = ".hpmc-test.files"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try FileOutput.write("new a\n", to: FileOutput.path(directory, "a.csv"))
        try FileOutput.write("new b\n", to: FileOutput.path(staging, "b.csv"))
        try FileOutput.write("a.csv\nb.csv\n", to: FileOutput.path(staging, record))
        let journal = OutputSet.journal(install: ["a.csv", "b.csv", record], remove: ["old.csv"], record: record)
        #expect(journal == "install a.csv\ninstall b.csv\nremove old.csv\ninstall \(record)\n")
        try FileOutput.write(journal, to: FileOutput.path(staging, "journal"))
        let refusal = #expect(throws: FileOutput.Failure.self) {
            try OutputSet(directory: directory, name: "test", files: nextWritersFiles + ["a.csv"], force: false)
        }
        #expect(refusal?.description.contains("already holds a.csv, b.csv (a finished set whose commit had been cut short, now completed);") == true)
        #expect(text("a.csv") == "new a\n" && text("b.csv") == "new b\n" && text("old.csv") == nil && text(record) == "a.csv\nb.csv\n")
        #expect(!FileManager.default.fileExists(atPath: staging))
    }

    /// A run's commit removes its checkpoint; every writer of the set declares it a scratch file, so
    /// one completing the journal removes it (a file of the set), while a set declaring none refuses it.
    @Test func aCheckpointTheJournalRemovesIsTheSetsScratchFile() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try commitSet(["a.csv"], content: "old\n")
        try FileOutput.write("state", to: FileOutput.path(directory, "checkpoint.hpmc"))
        let staging = FileOutput.path(directory, ".hpmc-test.staging")
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        try FileOutput.write("new\n", to: FileOutput.path(staging, "a.csv"))
        try FileOutput.write("install a.csv\nremove checkpoint.hpmc\n", to: FileOutput.path(staging, "journal"))
        #expect(throws: FileOutput.Failure.self) { try OutputSet(directory: directory, name: "test", files: ["a.csv"], force: true) }
        #expect(text("checkpoint.hpmc") == "state" && text("a.csv") == "old\n")
        _ = try OutputSet(directory: directory, name: "test", files: ["a.csv"], scratchFiles: ["checkpoint.hpmc"], force: true)
        #expect(text("checkpoint.hpmc") == nil && text("a.csv") == "new\n")
    }

    @Test func aDirectoryInTheWayIsRefusedBeforeAnythingMoves() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try commitSet(["a.csv", "b.csv"], content: "old\n")
        try FileManager.default.removeItem(atPath: FileOutput.path(directory, "b.csv"))
        try FileManager.default.createDirectory(atPath: FileOutput.path(directory, "b.csv"), withIntermediateDirectories: false)
        let refusal = #expect(throws: FileOutput.Failure.self) { try commitSet(["a.csv", "b.csv"], content: "new\n", force: true) }
        #expect(refusal?.description == "\(FileOutput.path(directory, "b.csv")): is in the way: it is not a regular file; move it away or choose another --out")
        #expect(text("a.csv") == "old\n")
    }

    @Test func unwritableTargetIsAClearError() {
        #expect(throws: FileOutput.Failure.self) { try FileOutput.write("x", to: "/proc/hpmc-cannot-write/a.csv") }
        #expect(throws: FileOutput.Failure.self) { try OutputSet(directory: "/proc/hpmc-cannot-create", name: "test", files: [], force: false) }
    }

    @Test func nonFiniteNumbersAreWrittenAsNull() throws {
        let json = try FileOutput.json(["finite": JSONNumber(1.5), "nan": JSONNumber(.nan), "infinite": JSONNumber(-.infinity)], for: "test")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["finite"] as? Double == 1.5 && object["nan"] is NSNull && object["infinite"] is NSNull)
    }
}
