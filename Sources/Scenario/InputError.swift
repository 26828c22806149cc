/// An input problem the user can fix: it names the file, the place in it and what is allowed.
/// Every loader and validator in hpmc reports through this one type so the CLI can map it to exit 2.
public struct InputError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    /// Dotted key path inside the file (`markets[0].cop[1].value`), empty for the whole file.
    public var keyPath: String
    /// 1-based line, when the parser knows it.
    public var line: Int?
    public var message: String

    public init(file: String, keyPath: String = "", line: Int? = nil, message: String) {
        self.file = file
        self.keyPath = keyPath
        self.line = line
        self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if !keyPath.isEmpty { place += ": \(keyPath)" }
        return "\(place): \(message)"
    }
}
