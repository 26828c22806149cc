/// Rough text extents for layout, without access to real font metrics.
///
/// 0.6 em per character is about the mean advance of DejaVu Sans (the widest font in the stack),
/// so estimates err on the side of more room.
enum TextMetrics {
    static func width(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.6
    }

    /// `text`, shortened with an ellipsis when wider than `maxWidth`.
    static func truncated(_ text: String, maxWidth: Double, fontSize: Double) -> String {
        guard width(text, fontSize: fontSize) > maxWidth else { return text }
        let keep = max(1, Int(maxWidth / (fontSize * 0.6)) - 1)
        return String(text.prefix(keep)) + "\u{2026}"
    }

    /// `text` broken at spaces into lines no wider than `maxWidth` (a single long word stays whole).
    static func wrapped(_ text: String, maxWidth: Double, fontSize: Double) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if current.isEmpty || width(candidate, fontSize: fontSize) <= maxWidth {
                current = candidate
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
