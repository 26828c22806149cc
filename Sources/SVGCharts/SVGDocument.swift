/// Wraps chart content in an accessible `<svg>` root.
enum SVGDocument {
    /// A complete `<svg>` element: `role="img"`, `aria-labelledby` pointing at its `<title>` and `<desc>`,
    /// a white background (for print and dark pages), and the XML prolog only when `standalone`.
    static func render(
        width: Double, height: Double, standalone: Bool, idPrefix: String, title: String, description: String, body: SVGWriter
    ) -> String {
        let titleID = idPrefix + "-title"
        let descriptionID = idPrefix + "-desc"
        let w = NumberText.coordinate(width)
        let h = NumberText.coordinate(height)
        var svg = SVGWriter()
        svg.open("svg", [
            ("xmlns", SVGVocabulary.namespace), ("width", w), ("height", h), ("viewBox", "0 0 \(w) \(h)"),
            ("role", "img"), ("aria-labelledby", titleID + " " + descriptionID),
            ("font-family", Style.fontFamily), ("font-size", NumberText.coordinate(Style.tickSize)), ("fill", Style.text),
        ])
        svg.element("title", [("id", titleID)], content: title)
        svg.element("desc", [("id", descriptionID)], content: description)
        svg.empty("rect", [("x", "0"), ("y", "0"), ("width", w), ("height", h), ("fill", Style.background)])
        svg.append(body)
        svg.close("svg")
        let prolog = standalone ? SVGVocabulary.prolog + "\n" : ""
        return prolog + svg.text
    }

    /// `requested` reduced to a valid XML id (letters, digits, `-`, `_`, starting with a letter), or,
    /// when nil, one derived from `seed` so that several charts inlined in one page keep distinct ids.
    static func idPrefix(requested: String?, seed: String) -> String {
        if let requested {
            let kept = String(requested.unicodeScalars.filter { isIDCharacter($0) }.map(Character.init))
            if let first = kept.unicodeScalars.first, isLetter(first) { return kept }
            return "chart-" + kept
        }
        return "chart-" + fnv1aHex(seed)
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func isIDCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isLetter(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
    }

    /// 32-bit FNV-1a (offset basis 2166136261, prime 16777619, per Fowler–Noll–Vo): stable across runs,
    /// unlike Swift's seeded `Hasher`.
    private static func fnv1aHex(_ text: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
