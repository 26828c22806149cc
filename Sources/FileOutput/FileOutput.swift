import Foundation

/// Output files are written whole or not at all: to a temporary file beside the target, then
/// renamed over it, so a crash at any moment leaves the old file or the new one.
public enum FileOutput {
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
        public var description: String { "\(path): \(reason)" }
    }

    /// `text` with its control characters and line breaks written as escapes (`\n`, `\u{1B}`), so that a
    /// message stays on its line, shows them, and a terminal does not act on them.
    public static func visible(_ text: String) -> String {
        String(text.unicodeScalars.map { isControl($0) ? $0.escaped(asASCII: true) : String($0) }.joined())
    }

    /// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional
    /// embeddings, overrides and isolates (which reorder what a terminal shows after them).
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || (0x2028...0x202E).contains(scalar.value)
            || (0x2066...0x2069).contains(scalar.value)
    }

    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: some ContiguousBytes, to path: String) throws(Failure) {
        let url = URL(fileURLWithPath: path)
        let temporary = URL(fileURLWithPath: temporaryPath(for: path))
        do {
            // Written from where they are: a copy of a large state's bytes would hold its memory twice.
            try bytes.withUnsafeBytes { raw in
                guard let start = raw.baseAddress else { return try Data().write(to: temporary) }
                try Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: start), count: raw.count, deallocator: .none).write(to: temporary)
            }
        } catch {
            // A part-written file (a full disk) would keep its space, and a checkpoint's is beside the results, never cleared.
            try? FileManager.default.removeItem(at: temporary)
            throw Failure(path: path, reason: "cannot write (\(FileOutput.reason(error)))")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw Failure(path: path, reason: "cannot move the finished file into place (\(reason))")
        }
    }

    public static func write(_ text: String, to path: String) throws(Failure) {
        try write(Data(text.utf8), to: path)
    }

    /// What went wrong, in the system's words where Foundation wraps them ("File too large", not
    /// "NSCocoaErrorDomain error 512").
    static func reason(_ error: Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? any Error, (underlying as NSError).domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(truncatingIfNeeded: (underlying as NSError).code)))
        }
        return error.localizedDescription
    }

    /// A path's directory ("." for none, "/" for the root) and its last component ("" after a trailing
    /// '/'). Foundation's `deletingLastPathComponent` traps on a one-character path (`--out a`).
    public static func split(_ path: String) -> (directory: String, file: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = slash == path.startIndex ? "/" : String(path[..<slash])
        return (directory, String(path[path.index(after: slash)...]))
    }

    public static func path(_ directory: String, _ file: String) -> String {
        (directory as NSString).appendingPathComponent(file)
    }

    /// Where this process writes `path` before renaming it into place: `.FILE.PID.tmp` beside it.
    static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(temporaryName(of: url.lastPathComponent, pid: getpid())).path
    }

    static func temporaryName(of file: String, pid: Int32) -> String { ".\(file).\(pid).tmp" }

    /// True for a directory entry that is some process's temporary of `file` (`temporaryName`).
    static func isTemporary(_ entry: String, of file: String) -> Bool {
        let parts = entry.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 4 && Int32(parts[parts.count - 2]).map { entry == temporaryName(of: file, pid: $0) } ?? false
    }
}

/// Writes all of `bytes` to `descriptor`, again after a signal or a short write; the system's error
/// number when it cannot (EIO for a write that writes nothing, which would otherwise never end).
public func writeFully(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
    var offset = 0
    while offset < bytes.count {
        let count = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return count < 0 ? errno : EIO }
        offset += count
    }
    return nil
}

/// A file written piece by piece into a temporary file beside its target and renamed into place
/// by `commit()`: readers never see a partial file, and an abandoned one leaves the target untouched.
public final class StreamingFile: @unchecked Sendable {
    private let handle: FileHandle
    private let temporary: String
    public let path: String
    /// What errors call the file: where it ends up (an output set's file, not its staged copy).
    private let name: String

    public init(path: String, reportedAs name: String? = nil) throws {
        self.path = path
        self.name = name ?? path
        temporary = FileOutput.temporaryPath(for: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw FileOutput.Failure(path: self.name, reason: "cannot create the file (\(String(cString: strerror(errno))))") }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// The first failed write (a full disk): later appends are dropped and `commit()` throws it.
    private var failure: Error?

    public func append(_ text: String) {
        guard failure == nil else { return }
        do {
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            failure = error
        }
    }

    public func commit() throws {
        try handle.close()
        if let failure {
            try? FileManager.default.removeItem(atPath: temporary)
            throw FileOutput.Failure(path: name, reason: "cannot write (\(FileOutput.reason(failure)))")
        }
        guard rename(temporary, path) == 0 else {
            throw FileOutput.Failure(path: name, reason: "cannot move the finished file into place (\(String(cString: strerror(errno))))")
        }
    }
}

/// One command's set of output files in a directory, replaced all or nothing.
///
/// Opening takes an exclusive lock (`flock` on `.hpmc-NAME.lock`, holding the pid) that the process
/// keeps until it exits, so a second writer of the same set stops at once instead of mixing two
/// runs' files. Files are written into the staging directory `.hpmc-NAME.staging` and `commit()`
/// moves them into place: it first writes a journal (what to install, what to remove) into the
/// staging directory, then renames. A crash before the journal leaves the old set; a crash after it
/// is rolled forward by the next writer of the set, which finishes the journal before anything else.
/// The set's file names are recorded in `.hpmc-NAME.files`, so that `--force` also removes files of
/// the previous set that the new one does not write (a `samples.csv`, a chart of a market no longer
/// there), and never other commands' files. A journal names only files of its set (`setFiles`).
public final class OutputSet {
    public let directory: String
    public let name: String
    /// Open for the object's (in practice the process's) lifetime: closing it releases the lock.
    private let lock: Int32
    private let staging: String
    /// Files of the previous set and other files this set may write: removed at the commit unless rewritten.
    private let replaced: Set<String>
    /// `files`, `otherFiles` and `scratchFiles`: with the set's records, the files a journal may name.
    private let declared: Set<String>
    private let scratchFiles: Set<String>
    private var written: [String] = []

    static let journalName = "journal"

    /// Locks the set, completes or discards an interrupted commit, and checks that the set's files may
    /// be written: without `force`, none of `files`, `otherFiles` or the previous set's files may
    /// exist; with it, none may be a directory. Creates `directory` if needed (call it once every
    /// option has been checked, so a refused command leaves nothing behind). `scratchFiles`: files a
    /// writer of the set keeps beside it while it works (a run's checkpoint), never in the way of the
    /// set, which a commit may remove (`commit(removingScratch:)`); every writer of the set declares
    /// them, so that it can complete another's commit that removes one.
    public init(directory: String, name: String, files: [String], otherFiles: [String] = [], scratchFiles: [String] = [],
                force: Bool) throws(FileOutput.Failure) {
        self.directory = directory
        self.name = name
        self.scratchFiles = Set(scratchFiles)
        declared = Set(files + otherFiles + scratchFiles)
        // Refused before the lock file is made, so that a refused command leaves nothing behind;
        // checked again under the lock, where another writer cannot change the answer, and after
        // completing an interrupted commit (its staging directory), which only the lock's holder may.
        try Self.checkBeforeWork(directory: directory, name: name, files: files, otherFiles: otherFiles, force: force)
        // A journal may not name such a file (`isPlainName`): a commit of it could never be completed.
        if let file = declared.sorted().first(where: { $0.hasPrefix(".hpmc-") }) {
            throw FileOutput.Failure(path: FileOutput.path(directory, file), reason: "begins .hpmc-, as hpmc's own entries (locks, staging directories) do; choose another --out")
        }
        let manager = FileManager.default
        if !manager.fileExists(atPath: directory) {
            do {
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw FileOutput.Failure(path: directory, reason: "cannot create the directory (\(FileOutput.reason(error)))")
            }
        }
        let staging = FileOutput.path(directory, Self.stagingName(name))
        let descriptor = try Self.acquireLock(FileOutput.path(directory, Self.lockName(name)), directory: directory)
        do {
            replaced = try Self.prepare(staging: staging, directory: directory, name: name, files: Set(files + otherFiles), declared: declared, force: force)
        } catch {
            close(descriptor)
            throw error
        }
        self.staging = staging
        lock = descriptor
    }

    /// What `init` checks before it creates or locks anything, for a command to check before its work
    /// (an analysis of minutes refused at its end for want of --force): `directory` is absent, or a
    /// writable directory that, without `force`, holds none of the set's files (unless a commit of
    /// the set is to be completed first, which only the set's writer may). `init` checks them again.
    public static func checkBeforeWork(directory: String, name: String, files: [String], otherFiles: [String] = [],
                                       force: Bool) throws(FileOutput.Failure) {
        // An empty path names no directory; the message would otherwise start with ": ".
        guard !directory.isEmpty else { throw FileOutput.Failure(path: "--out", reason: "is empty; give a directory") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw FileOutput.Failure(path: directory, reason: "exists and is not a directory") }
        guard access(directory, W_OK) == 0 else { throw FileOutput.Failure(path: directory, reason: "is not writable (\(String(cString: strerror(errno))))") }
        // A commit to complete first (a journal) may change the files there; a staging directory
        // without one is discarded.
        if !FileManager.default.fileExists(atPath: FileOutput.path(FileOutput.path(directory, stagingName(name)), journalName)) {
            _ = try replacedFiles(directory: directory, name: name, files: Set(files + otherFiles), force: force)
        }
    }

    /// Completes the set's commit that a crash cut short after its journal, under the set's lock, and
    /// writes nothing else; returns whether the set had one. The lists are the set's, as its writers
    /// declare them (`init`). `run --resume` finishes so a run whose final commit was cut short.
    public static func completeInterruptedCommit(directory: String, name: String, files: [String], otherFiles: [String] = [],
                                                 scratchFiles: [String] = []) throws(FileOutput.Failure) -> Bool {
        let staging = FileOutput.path(directory, stagingName(name))
        guard FileManager.default.fileExists(atPath: FileOutput.path(staging, journalName)) else { return false }
        let descriptor = try acquireLock(FileOutput.path(directory, lockName(name)), directory: directory)
        defer { close(descriptor) }
        // Another writer may have completed it meanwhile, before this one held the lock.
        return try recover(staging: staging, directory: directory, name: name, declared: Set(files + otherFiles + scratchFiles))
    }

    /// The set of the one file at `path` (a command's `--out FILE`), named `name-FILE`; its lock and
    /// staging directory are beside the file. Returns the set and the file's name within it.
    public static func single(_ path: String, name: String, force: Bool) throws(FileOutput.Failure) -> (set: OutputSet, file: String) {
        let (directory, file) = FileOutput.split(path)
        guard !file.isEmpty, file != ".", file != ".." else { throw FileOutput.Failure(path: "--out", reason: "'\(path)' names no file; give a file name") }
        // Even --force may not replace a file another set records (a run's bands.csv): that set would
        // then list a file that is no longer its own.
        let own = "\(name)-\(file)"
        for record in ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted() {
            if let set = setName(ofEntry: record, suffix: ".files"), set != own, recordedFiles(FileOutput.path(directory, record), set: set).contains(file) {
                throw FileOutput.Failure(path: path, reason: "is a file of the \(set) set hpmc wrote there; choose another --out")
            }
        }
        // Named as given (the set's own refusal names the directory: ".: already holds cal.yaml"); a
        // directory or link there is in the way, which --force would not change.
        try checkTarget(path)
        if !force && FileManager.default.fileExists(atPath: path) {
            throw FileOutput.Failure(path: path, reason: "exists; pass --force to overwrite, or choose another --out")
        }
        return (try OutputSet(directory: directory, name: own, files: [file], force: force), file)
    }

    /// Under the lock: recovers an interrupted commit, checks the targets, makes an empty staging
    /// directory; returns the files the commit replaces.
    private static func prepare(staging: String, directory: String, name: String, files: Set<String>, declared: Set<String>,
                                force: Bool) throws(FileOutput.Failure) -> Set<String> {
        let manager = FileManager.default
        let completed = try recover(staging: staging, directory: directory, name: name, declared: declared)
        let replaced = try replacedFiles(directory: directory, name: name, files: files, force: force, completedJustNow: completed)
        do {
            try manager.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw FileOutput.Failure(path: staging, reason: "cannot create the staging directory (\(FileOutput.reason(error)))")
        }
        return replaced
    }

    /// The files a commit of the set replaces, once each is checked to be a replaceable file and,
    /// without `force`, absent. `completedJustNow`: they are there because an earlier writer's
    /// interrupted commit was just completed, which the refusal says.
    private static func replacedFiles(directory: String, name: String, files: Set<String>, force: Bool,
                                      completedJustNow: Bool = false) throws(FileOutput.Failure) -> Set<String> {
        let replaced = files.union(recordedFiles(FileOutput.path(directory, recordName(name)), set: name))
        for file in replaced.sorted() { try checkTarget(FileOutput.path(directory, file)) }
        let existing = replaced.sorted().filter { FileManager.default.fileExists(atPath: FileOutput.path(directory, $0)) }
        if !existing.isEmpty && !force {
            let completed = completedJustNow ? " (a finished set whose commit had been cut short, now completed)" : ""
            throw FileOutput.Failure(path: directory, reason: "already holds \(existing.joined(separator: ", "))\(completed); pass --force to overwrite, or choose another --out")
        }
        return replaced
    }

    deinit {
        // A set never committed (an error on the way) leaves no staged files: they would hold the space
        // of a disk that ran full until the next writer discarded them. With a journal, a commit was
        // under way and the next writer completes it.
        if !FileManager.default.fileExists(atPath: FileOutput.path(staging, Self.journalName)) {
            try? FileManager.default.removeItem(atPath: staging)
        }
        close(lock)
    }

    static func recordName(_ name: String) -> String { ".hpmc-\(name).files" }
    static func lockName(_ name: String) -> String { ".hpmc-\(name).lock" }
    static func stagingName(_ name: String) -> String { ".hpmc-\(name).staging" }

    /// The set whose record (`recordName`) or staging directory (`stagingName`) `entry` is, by its
    /// suffix `.files` or `.staging`; nil for any other entry.
    static func setName(ofEntry entry: String, suffix: String) -> String? {
        guard entry.hasPrefix(".hpmc-"), entry.hasSuffix(suffix), entry.count > ".hpmc-".count + suffix.count else { return nil }
        return String(entry.dropFirst(".hpmc-".count).dropLast(suffix.count))
    }

    /// The sets of `directory` whose commit a crash cut short after the journal: until their next
    /// writer finishes it, the directory holds part of the new set beside part of the old, so a
    /// reader must not take its files for one command's results.
    public static func interruptedSets(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().compactMap { entry in
            guard let set = setName(ofEntry: entry, suffix: ".staging"),
                  FileManager.default.fileExists(atPath: FileOutput.path(FileOutput.path(directory, entry), journalName)) else { return nil }
            return set
        }
    }

    /// Where `file` is written until the commit, which installs it with the rest of the set: it must
    /// be there by then.
    public func stagingPath(_ file: String) -> String {
        if !written.contains(file) { written.append(file) }
        return FileOutput.path(staging, file)
    }

    public func write(_ bytes: [UInt8], to file: String) throws(FileOutput.Failure) {
        try writer(for: file)(bytes)
    }

    /// `file` written piece by piece into the staging directory (committed before the set is).
    public func streamingFile(_ file: String) throws -> StreamingFile {
        try StreamingFile(path: stagingPath(file), reportedAs: FileOutput.path(directory, file))
    }

    /// Writes `file` into the staging directory when called, on any thread: for files made side by side.
    public func writer(for file: String) -> @Sendable ([UInt8]) throws(FileOutput.Failure) -> Void {
        let path = stagingPath(file), target = FileOutput.path(directory, file)
        return { bytes throws(FileOutput.Failure) in
            if let failure = Self.writeStartingWriteback(bytes, to: path) {
                // A part-written file would hold a full disk's space until the set is let go.
                unlink(path)
                throw FileOutput.Failure(path: target, reason: "cannot write (\(failure))")
            }
        }
    }

    /// Writes `bytes` to a new file at `path` and starts writing it to the disk without waiting: the
    /// commit waits for it (`syncStaged`), by when most is written, so that making the next file is
    /// not held up by the disk. Returns the system's reason for a failure.
    private static func writeStartingWriteback(_ bytes: [UInt8], to path: String) -> String? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        var failure = bytes.withUnsafeBytes { writeFully(descriptor, $0) }
        if failure == nil { _ = startWriteback?(descriptor, 0, 0, syncFileRangeWrite) }
        // Some file systems (NFS) report a failed write only when the file is closed.
        if close(descriptor) != 0 && failure == nil { failure = errno }
        return failure.map { String(cString: strerror($0)) }
    }

    /// Linux's `sync_file_range`, which Glibc's module leaves undeclared (it needs `_GNU_SOURCE`).
    /// Nil elsewhere: the commit's `fsync` then does all the waiting.
    private static let startWriteback: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32)? = {
        #if os(Linux)
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sync_file_range") else { return nil }
        return unsafeBitCast(address, to: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// `SYNC_FILE_RANGE_WRITE` (linux/fs.h): start writing the range's dirty pages, wait for none.
    private static let syncFileRangeWrite: UInt32 = 2

    /// Waits until every staged file, and the staging directory's entries for them, are on the disk:
    /// the journal may name only files that a crash cannot lose.
    private func syncStaged() throws(FileOutput.Failure) {
        for file in written { try Self.sync(FileOutput.path(staging, file), reportedAs: FileOutput.path(directory, file)) }
        try Self.sync(staging, reportedAs: staging)
    }

    /// `fsync` of a file or directory; `reportedAs` names it in the error.
    static func sync(_ path: String, reportedAs name: String) throws(FileOutput.Failure) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileOutput.Failure(path: name, reason: "cannot write (\(String(cString: strerror(errno))))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw FileOutput.Failure(path: name, reason: "cannot write to the disk (\(String(cString: strerror(errno))))") }
    }

    public func write(_ text: String, to file: String) throws(FileOutput.Failure) { try write(Array(text.utf8), to: file) }

    /// Moves every written file into place and removes the previous set's files not rewritten and,
    /// with `removingScratch`, the scratch files (a checkpoint the finished set supersedes).
    public func commit(removingScratch: Bool = false) throws(FileOutput.Failure) {
        let record = Self.recordName(name)
        try write(written.map { $0 + "\n" }.joined(), to: record)
        try syncStaged()
        let install = written
        for file in install { try Self.checkTarget(FileOutput.path(directory, file)) }
        let removing = removingScratch ? scratchFiles.sorted() : []
        let remove = (replaced.subtracting(install).sorted() + removing).filter { !install.contains($0) }
        try FileOutput.write(Self.journal(install: install, remove: remove, record: record), to: FileOutput.path(staging, Self.journalName))
        // The journal's name on the disk before the first move it would redo.
        try Self.sync(staging, reportedAs: staging)
        try Self.rollForward(staging: staging, directory: directory, name: name, declared: declared)
        // A removed file's temporaries left by a process killed while writing it: under the lock, no
        // writer of this set is alive.
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for file in removing {
            for entry in entries where FileOutput.isTemporary(entry, of: file) {
                try? FileManager.default.removeItem(atPath: FileOutput.path(directory, entry))
            }
        }
    }

    /// The journal of a commit. The record moves last: until then the directory's record names the
    /// previous set's files that the journal removes, so a writer completing it knows them for the set's.
    static func journal(install: [String], remove: [String], record: String) -> String {
        install.filter { $0 != record }.map { "install \($0)\n" }.joined() + remove.map { "remove \($0)\n" }.joined() + "install \(record)\n"
    }

    // MARK: Locking and recovery

    static func acquireLock(_ path: String, directory: String) throws(FileOutput.Failure) -> Int32 {
        // Not through a symbolic link: the pid written into it would overwrite the link's target.
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else {
            let reason = errno == ELOOP ? "a symbolic link" : String(cString: strerror(errno))
            throw FileOutput.Failure(path: path, reason: "cannot open the lock file (\(reason)); remove it, or choose another --out")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw FileOutput.Failure(path: path, reason: "is in the way: the lock file is not a regular file; remove it, or choose another --out")
        }
        // A lock this process let go may still be held for a moment by a child it is starting (the
        // descriptor is shared until the child's exec closes it): this process's own pid is waited out briefly.
        var attempts = 0
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK && attempts < 100 && lockHolder(descriptor) == getpid() {
            attempts += 1
            usleep(2_000)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let failure = errno
            let holder = failure == EWOULDBLOCK ? lockHolder(descriptor) : nil
            close(descriptor)
            guard failure == EWOULDBLOCK else {
                throw FileOutput.Failure(path: path, reason: "cannot lock the output set (\(String(cString: strerror(failure))))")
            }
            throw FileOutput.Failure(path: directory, reason: "is being written by hpmc \(holder.map { "pid \($0)" } ?? "(another process)"); wait for it to finish, or choose another --out")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = pid.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        return descriptor
    }

    /// The pid the lock's holder wrote. It writes it just after locking, so until then the file is
    /// empty or holds an earlier holder's pid, which no process has any more: read again briefly.
    static func lockHolder(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        for _ in 0..<50 {
            let count = pread(descriptor, &buffer, buffer.count, 0)
            if count > 0, let pid = Int32(String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
               pid > 0, kill(pid, 0) == 0 || errno != ESRCH {
                return pid
            }
            usleep(10_000)
        }
        return nil
    }

    /// An interrupted commit: finished if its journal was written, else discarded (the old set stands).
    /// Returns whether one was finished.
    static func recover(staging: String, directory: String, name: String, declared: Set<String>) throws(FileOutput.Failure) -> Bool {
        guard FileManager.default.fileExists(atPath: staging) else { return false }
        guard FileManager.default.fileExists(atPath: FileOutput.path(staging, journalName)) else {
            try? FileManager.default.removeItem(atPath: staging)
            return false
        }
        try rollForward(staging: staging, directory: directory, name: name, declared: declared)
        return true
    }

    /// The files of set `name` that a journal may name: those its record lists (the previous set's,
    /// or once moved the new one's), those its staged record lists (the new set's), the record itself
    /// and `declared` (what its writer writes, may write or removes).
    static func setFiles(staging: String, directory: String, name: String, declared: Set<String>) -> Set<String> {
        let record = recordName(name)
        return declared.union(recordedFiles(FileOutput.path(directory, record), set: name))
            .union(recordedFiles(FileOutput.path(staging, record), set: name)).union([record])
    }

    /// Whether `file` can name a file of set `name` in its directory: a plain name, neither the
    /// directory itself nor another of hpmc's entries (a lock, a staging directory, another set's record).
    static func isPlainName(_ file: String, set name: String) -> Bool {
        // No control characters: hpmc names no file so, and a journal with CRLF line ends would otherwise name files that are not there.
        !file.isEmpty && !file.contains("/") && !file.unicodeScalars.contains { $0.value < 0x20 } && file != "." && file != ".."
            && (!file.hasPrefix(".hpmc-") || file == recordName(name))
    }

    /// More than the journal of any set hpmc writes (a few dozen file names).
    static let largestJournal = 1 << 20

    /// Whether `path` is a regular file (not a directory, a link, …); nil when there is nothing there.
    private static func isRegularFile(_ path: String) -> Bool? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return status.st_mode & S_IFMT == S_IFREG
    }

    /// Carries out the journal in `staging`. Idempotent: a file already moved is no longer staged, one
    /// removed is gone. Nothing is done unless every line is one a commit writes: `install` of a file
    /// of the set (`setFiles`) staged as a regular file, or `remove` of one (not its record), each file
    /// named once; any other
    /// line (a hand-edited journal naming the staging directory or another command's file) is
    /// malformed, and a target that is not a regular file is in the way (`checkTarget`).
    static func rollForward(staging: String, directory: String, name: String, declared: Set<String>) throws(FileOutput.Failure) {
        let journalPath = FileOutput.path(staging, journalName)
        // A journal names a set's files, a few lines: one larger is not hpmc's, and is not read whole.
        var status = stat()
        if lstat(journalPath, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFREG else { throw FileOutput.Failure(path: journalPath, reason: "is not a regular file, as a journal hpmc writes is") }
            guard status.st_size <= Self.largestJournal else {
                throw FileOutput.Failure(path: journalPath, reason: "is \(status.st_size) bytes, more than a journal hpmc writes (\(Self.largestJournal) at most); "
                                             + "remove the staging directory, then run the command again with --force")
            }
        }
        guard let text = try? String(contentsOfFile: journalPath, encoding: .utf8) else {
            throw FileOutput.Failure(path: journalPath, reason: "cannot read the journal of an interrupted commit")
        }
        guard !text.isEmpty else { throw FileOutput.Failure(path: journalPath, reason: "is empty: a journal names the files of its commit") }
        let files = setFiles(staging: staging, directory: directory, name: name, declared: declared)
        var steps: [(install: Bool, source: String, target: String)] = []
        var named: Set<String> = []
        // By scalars: as Characters, a CRLF line end is one, not a line break.
        let lines = text.unicodeScalars.split(separator: "\n").map(String.init)
        guard !lines.isEmpty else { throw FileOutput.Failure(path: journalPath, reason: "names no file: a journal names the files of its commit") }
        // Every line is checked before the first move: a journal that cannot be carried out whole is not begun.
        for (index, line) in lines.enumerated() {
            let malformed = FileOutput.Failure(path: journalPath, reason: "malformed line \(index + 1), '\(FileOutput.visible(line))' "
                                                   + "(a line is 'install FILE' or 'remove FILE', a file of the set once)")
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, ["install", "remove"].contains(parts[0]), isPlainName(parts[1], set: name),
                  named.insert(parts[1]).inserted else { throw malformed }
            let install = parts[0] == "install", target = FileOutput.path(directory, parts[1])
            let source = install ? FileOutput.path(staging, parts[1]) : target
            guard let regular = isRegularFile(source) else {
                // A file already moved in or removed is done (a removed one may be in no record any
                // more); one of the set neither staged nor in place was taken away.
                guard install && isRegularFile(target) == nil else { continue }
                guard files.contains(parts[1]) else { throw malformed }
                throw FileOutput.Failure(path: source, reason: "is missing: the interrupted commit's journal installs it; "
                                             + "remove the staging directory, then run the command again with --force")
            }
            guard files.contains(parts[1]) else { throw malformed }
            guard install ? regular : parts[1] != recordName(name) else {
                throw install ? FileOutput.Failure(path: source, reason: "is not a regular file; the interrupted commit cannot install it")
                    : malformed
            }
            try checkTarget(target)
            steps.append((install, source, target))
        }
        for step in steps {
            if step.install {
                guard rename(step.source, step.target) == 0 else {
                    throw FileOutput.Failure(path: step.target, reason: "cannot move the finished file into place (\(String(cString: strerror(errno)))); "
                        + "the next hpmc writing this set completes the commit")
                }
            } else {
                guard unlink(step.target) == 0 || errno == ENOENT else {
                    throw FileOutput.Failure(path: step.target, reason: "cannot remove a file of the previous set (\(String(cString: strerror(errno)))); "
                        + "the next hpmc writing this set completes the commit")
                }
            }
        }
        // The moves on the disk before the journal that would redo them goes.
        do {
            try sync(directory, reportedAs: directory)
        } catch {
            throw FileOutput.Failure(path: error.path, reason: error.reason + "; the next hpmc writing this set completes the commit")
        }
        try? FileManager.default.removeItem(atPath: journalPath)
        try? FileManager.default.removeItem(atPath: staging)
    }

    /// The file names a committed set `name` recorded (at `path`); none when it has no record.
    static func recordedFiles(_ path: String, set name: String) -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init).filter { isPlainName($0, set: name) }
    }

    /// A target must be absent or a regular file: a directory in the way would stop the commit half-way.
    static func checkTarget(_ path: String) throws(FileOutput.Failure) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw FileOutput.Failure(path: path, reason: "is in the way: it is not a regular file; move it away or choose another --out")
        }
    }
}

/// A number in JSON output. JSON has no NaN or infinity, so a non-finite value (a statistic that
/// could not be computed) is written as null, and encoding can never fail on a number.
public struct JSONNumber: Encodable, Sendable, Equatable {
    public var value: Double
    public init(_ value: Double) { self.value = value }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if value.isFinite { try container.encode(value) } else { try container.encodeNil() }
    }
}

extension FileOutput {
    /// Pretty, key-sorted JSON so outputs diff cleanly; `destination` names the output in errors.
    public static func json<T: Encodable>(_ value: T, for destination: String) throws(Failure) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw Failure(path: destination, reason: "cannot encode as JSON (\(error))")
        }
    }
}
