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

    /// Writes `data` to `path` atomically.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            throw Failure(path: path, reason: "cannot write (\(error.localizedDescription))")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw Failure(path: path, reason: "cannot move the finished file into place (\(reason))")
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Makes sure `directory` exists and is writable. When it already holds any of `files` and
    /// `force` is false, refuses: results are never overwritten by accident.
    public static func prepareDirectory(_ directory: String, for files: [String], force: Bool) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw Failure(path: directory, reason: "exists and is not a directory") }
            let existing = files.filter { manager.fileExists(atPath: (directory as NSString).appendingPathComponent($0)) }
            if !existing.isEmpty && !force {
                throw Failure(path: directory, reason: "already holds \(existing.joined(separator: ", ")); pass --force to overwrite, or choose another --out")
            }
        } else {
            do {
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw Failure(path: directory, reason: "cannot create the directory (\(error.localizedDescription))")
            }
        }
        guard manager.isWritableFile(atPath: directory) else { throw Failure(path: directory, reason: "is not writable") }
    }

    public static func path(_ directory: String, _ file: String) -> String {
        (directory as NSString).appendingPathComponent(file)
    }
}

/// A file written piece by piece into a temporary file beside its target and renamed into place
/// by `commit()`: readers never see a partial file, and an abandoned one leaves the target untouched.
public final class StreamingFile: @unchecked Sendable {
    private let handle: FileHandle
    private let temporary: String
    public let path: String

    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp").path
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw FileOutput.Failure(path: path, reason: "cannot create the file")
        }
        self.handle = handle
    }

    public func append(_ text: String) { handle.write(Data(text.utf8)) }

    public func commit() throws {
        try handle.close()
        guard rename(temporary, path) == 0 else {
            throw FileOutput.Failure(path: path, reason: "cannot move the finished file into place (\(String(cString: strerror(errno))))")
        }
    }
}
