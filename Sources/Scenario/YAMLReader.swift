import CSV
import Yams

/// A cursor on one YAML node that knows its key path, so every complaint names the place.
/// Reading a mapping through `MappingReader` marks the keys it consumed; `finish()` then
/// rejects the keys nobody asked for (typos must not be silently ignored).
struct YAMLNode {
    let node: Node
    let path: String
    let file: String

    var line: Int? { node.mark?.line }
    var column: Int? { node.mark?.column }

    func error(_ message: String) -> InputError {
        InputError(file: file, keyPath: path, line: line, message: message)
    }

    func mapping() throws -> MappingReader {
        guard case .mapping(let m) = node else { throw error("expected a mapping (key: value pairs), found \(kind)") }
        return MappingReader(mapping: m, path: path, file: file)
    }

    func sequence() throws -> [YAMLNode] {
        guard case .sequence(let s) = node else { throw error("expected a list, found \(kind)") }
        return s.enumerated().map { YAMLNode(node: $1, path: "\(path)[\($0)]", file: file) }
    }

    func string() throws -> String { try scalar().string }

    private func scalar() throws -> Node.Scalar {
        guard case .scalar(let s) = node else { throw error("expected a text value, found \(kind)") }
        return s
    }

    /// The text of a number or flag: a quoted scalar, or one tagged `!!str`, is text by YAML's rules,
    /// and a modeller who writes one so may mean text, so it is refused rather than read as a value.
    /// So is one tagged as another type than the value's (`!!int 15.5`, `!!null 15`; `! 15` is text):
    /// such a tag was ignored and the value read as untagged. `types`: the tags the value may carry.
    private func plainText(_ allowed: String, types: (String) -> [Tag.Name]) throws -> String {
        let s = try scalar()
        let text = s.string.trimmingCharacters(in: .whitespaces)
        if s.style != .plain && s.style != .any {
            throw error("'\(text)' is quoted, so it is text; allowed: \(allowed), written without quotes")
        }
        let tag = s.tag.rawValue
        if tag == Tag.Name.str.rawValue {
            throw error("'\(text)' is tagged !!str, so it is text; allowed: \(allowed), written without the tag")
        }
        if !tag.isEmpty && !types(text).contains(where: { $0.rawValue == tag }) {
            throw error("'\(text)' is tagged \(tag.replacingOccurrences(of: "tag:yaml.org,2002:", with: "!!")); allowed: \(allowed), written without the tag")
        }
        return text
    }

    /// A finite number; `allowed` describes the range in the message when `check` fails.
    func double(_ allowed: String = "a finite number", where check: (Double) -> Bool = { _ in true }) throws -> Double {
        let text = try plainText(allowed) { Int($0) == nil ? [.float] : [.float, .int] }
        let value: Double
        do { value = try DecimalNumber.parse(text) } catch { throw self.error("\(error); allowed: \(allowed)") }
        guard check(value) else { throw error("\(text) is out of range; allowed: \(allowed)") }
        return value
    }

    /// A number in `range`, which the message names.
    func double(in range: ValidRange) throws -> Double {
        try double(range.allowed, where: range.contains)
    }

    func integer(_ allowed: String, where check: (Int) -> Bool = { _ in true }) throws -> Int {
        let text = try plainText(allowed) { _ in [.int, .float] }
        guard let value = Int(text) else { throw error("'\(text)' is not a whole number; allowed: \(allowed)") }
        guard check(value) else { throw error("\(value) is out of range; allowed: \(allowed)") }
        return value
    }

    /// YAML 1.2's true or false, unquoted: a quoted one is text, as a quoted number is, and YAML 1.1's
    /// yes/no/on/off are not (accepting two of them but not the others read as arbitrary).
    func bool() throws -> Bool {
        let text = try plainText("true or false") { _ in [.bool] }
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: throw error("'\(text)' is not true or false")
        }
    }

    private var kind: String {
        switch node {
        case .scalar(let s): return "'\(s.string.prefix(40))'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

/// Reads the keys of one mapping; unknown keys are an error at `finish()`.
final class MappingReader {
    private let entries: [(key: String, node: Node)]
    private var used: Set<String> = []
    let path: String
    let file: String
    let line: Int?

    init(mapping: Node.Mapping, path: String, file: String) {
        entries = mapping.map { (key: $0.key.string ?? "\($0.key)", node: $0.value) }
        self.path = path
        self.file = file
        line = mapping.mark?.line
    }

    private func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ message: String) -> InputError {
        InputError(file: file, keyPath: path, line: line, message: message)
    }

    func optional(_ key: String) -> YAMLNode? {
        used.insert(key)
        guard let entry = entries.first(where: { $0.key == key }) else { return nil }
        return YAMLNode(node: entry.node, path: child(key), file: file)
    }

    func required(_ key: String) throws -> YAMLNode {
        guard let node = optional(key) else {
            throw InputError(file: file, keyPath: child(key), line: line, message: "missing required field '\(key)'")
        }
        return node
    }

    func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// Rejects keys nobody read, and duplicates.
    func finish() throws {
        var seen: Set<String> = []
        for entry in entries {
            guard seen.insert(entry.key).inserted else {
                throw InputError(file: file, keyPath: child(entry.key), line: entry.node.mark?.line, message: "duplicate key '\(entry.key)'")
            }
            if !used.contains(entry.key) {
                let known = used.sorted().joined(separator: ", ")
                throw InputError(file: file, keyPath: child(entry.key), line: entry.node.mark?.line,
                                 message: "unknown key '\(entry.key)'; allowed here: \(known)")
            }
        }
    }
}

/// Parses YAML text into a root node, turning every parser failure into an `InputError`.
func parseYAML(_ text: String, file: String) throws -> YAMLNode {
    let root: Node?
    do {
        // The reader takes every scalar as text and reads numbers and flags itself, so no tag is
        // resolved by value: Yams's default resolver compiles seven regular expressions (about 2 ms
        // of every command's start) and runs them on every mapping key to find duplicates.
        root = try Yams.compose(yaml: text, .basic)
    } catch let error as YamlError {
        // libyaml's message names where it stopped, not a tab in that line's indentation, the commonest cause.
        let problem = yamlProblem(error)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let tabbed = Int(problem.prefix { $0.isNumber }).flatMap { line in
            lines.indices.contains(line - 1) && lines[line - 1].prefix { $0 == " " || $0 == "\t" }.contains("\t") ? line : nil
        }
        let hint = tabbed.map { "; line \($0) is indented with a tab, which YAML does not allow: indent with spaces" } ?? ""
        throw InputError(file: file, message: "not valid YAML: \(problem)\(hint)")
    } catch {
        throw InputError(file: file, message: "not valid YAML: \(error)")
    }
    guard let root else { throw InputError(file: file, message: "the file is empty") }
    var checkedCollections: Set<String> = []
    try refuseTags(root, file: file, checkedCollections: &checkedCollections)
    return YAMLNode(node: root, path: "", file: file)
}

/// Refuses a node with a tag of its own (`!foo CNS`): no field of a scenario reads one, so it would
/// be ignored silently and the value read as if untagged. YAML's standard tags (`!!str`, which the
/// parser also gives every untagged node it resolves) are kept.
private func refuseTags(_ node: Node, file: String, checkedCollections: inout Set<String>) throws {
    // An alias repeats its anchored node, which its place in the file names (no two collections start
    // at one place): each collection is checked once, so that nested aliases (a "billion laughs"
    // file) cost the text's size, not the expansion's.
    if case .scalar = node {} else if let mark = node.mark, !checkedCollections.insert("\(mark.line):\(mark.column)").inserted { return }
    // The stored tag: Node.tag would resolve an untagged node's first.
    let tag: String
    var children: [Node] = []
    switch node {
    case .scalar(let scalar): tag = scalar.tag.rawValue
    case .alias(let alias): tag = alias.tag.rawValue
    case .mapping(let mapping):
        tag = mapping.tag.rawValue
        children = mapping.flatMap { [$0.key, $0.value] }
        // Yams composes a merge key as a plain key: the fields it would merge read as missing.
        if let merge = mapping.keys.first(where: { $0.string == "<<" && $0.scalar?.style == .plain }) {
            throw InputError(file: file, line: merge.mark?.line, message: "merge keys (<<) are not read in a scenario file; write the fields out")
        }
    case .sequence(let sequence):
        tag = sequence.tag.rawValue
        children = Array(sequence)
    }
    guard tag.isEmpty || tag == "!" || tag.hasPrefix("tag:yaml.org,2002:") else {
        throw InputError(file: file, line: node.mark?.line, message: "unknown tag '\(tag.prefix(40))': a scenario file uses none; remove it")
    }
    for child in children { try refuseTags(child, file: file, checkedCollections: &checkedCollections) }
}

private func yamlProblem(_ error: YamlError) -> String {
    // YamlError's description repeats the whole offending line; keep the first line only.
    String(describing: error).split(separator: "\n").first.map(String.init) ?? "parse error"
}
