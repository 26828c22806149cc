import Testing
@testable import SVGCharts

/// The allowlist `hpmc report` holds chart files to is exactly what the charts write: a name it
/// lacks refuses real charts, a name no chart writes lets an edited file carry it for no reason.
@Suite("SVG vocabulary")
struct SVGVocabularyTests {
    /// Charts that between them draw every element and attribute: a fan with a dashed line, a lone
    /// point (a dot) and markers of every shape; annotated heat-map cells; intervals; a tornado's baseline.
    static func charts() -> [String] {
        var fan = FanChartTests.sample()
        fan.lines[0].values[3] = .nan
        fan.lines[0].values[5] = .nan
        fan.points = [MarkerShape.diamond, .square, .triangle, .circle].enumerated().map { index, shape in
            .init(x: 2026 + Double(index), y: 3, label: "\(shape)", shape: shape)
        }
        var map = HeatMapTests.sample()
        map.cellValueDecimals = 2
        return [fan.svg(), map.svg(), BarChartTests.sample().svg(), TornadoChartTests.sample().svg()]
    }

    @Test func listsExactlyWhatTheChartsWrite() throws {
        var written: [String: Set<String>] = [:]
        for svg in Self.charts() {
            #expect(SVGVocabulary.firstUnwritten(in: svg) == nil)
            for tag in svg.matches(of: /<([A-Za-z]+)([^>]*)>/) {
                written[String(tag.1), default: []].formUnion(tag.2.matches(of: /\s([A-Za-z0-9-]+)="/).map { String($0.1) })
            }
        }
        #expect(written == SVGVocabulary.attributes)
    }

    /// Each way out of the written subset is named; the first thing found is reported.
    @Test(arguments: [
        ("", "an empty document"),
        ("<?xml version=\"1.0\"?><svg/>", "a <?…?> processing instruction"),
        ("<svg/><svg/>", "the element <svg> outside <svg>"),
        ("<g/>", "the element <g> outside <svg>"),
        ("<svg/>x", "text outside <svg>"),
        ("<svg>", "an unclosed <svg>"),
        ("<svg><g></svg>", "the closing tag </svg> inside <g>"),
        ("<svg/></svg>", "the closing tag </svg> outside <svg>"),
        ("<svg><!-- x --></svg>", "a comment"),
        ("<svg><![CDATA[x]]></svg>", "a <!…> declaration"),
        ("<svg>a < b</svg>", "a malformed tag"),
        ("<svg><rect\tx=\"1\"/></svg>", "a malformed <rect> tag"),
        ("<svg><rect x='1'/></svg>", "a malformed <rect> tag"),
        ("<svg><rect x=\"1/></svg>", "a malformed <rect> tag"),
        ("<svg><Rect/></svg>", "the element <Rect>"),
        ("<svg><rect X=\"1\"/></svg>", "the attribute X on <rect>"),
        ("<svg xmlns=\"http://www.w3.org/1999/xhtml\"/>", "the value of xmlns on <svg>"),
        ("<svg><rect fill=\"url(x.svg#a)\"/></svg>", "'(' in the value of fill on <rect>"),
        ("<svg><rect fill=\"url(#a) url(//x)\"/></svg>", "'(' in the value of fill on <rect>"),
        ("<svg><text transform=\"translate(url(x))\"/></svg>", "'(' in the value of transform on <text>"),
        ("<svg><rect x=\"&#49;\"/></svg>", "'&' in the value of x on <rect>"),
        ("<svg><g class=\"a\nb\"/></svg>", "U+000A in the value of class on <g>"),
        ("<svg><text>&#x6a;avascript</text></svg>", "the reference &#x6a;"),
        ("<svg><text>&amp</text></svg>", "the reference &amp"),
        ("<svg><text>a & b</text></svg>", "a bare '&'"),
    ])
    func namesWhatTheWriterNeverWrites(svg: String, found: String) {
        #expect(SVGVocabulary.firstUnwritten(in: svg) == found)
    }

    @Test func acceptsTheWritersShapes() {
        let svg = SVGVocabulary.prolog + "\n<svg xmlns=\"http://www.w3.org/2000/svg\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n"
            + "<text transform=\"translate(29,182.5) rotate(-90)\">&lt;S1&gt; &amp; &quot;ST&quot; &apos;x&apos;: 1 ≥ −2</text>\n"
            + "<rect fill=\"url(#chart-1a-ramp)\" x=\"-1.5e+20\"/>\n<g class=\"legend colour-scale\"></g>\n</svg>\n"
        #expect(SVGVocabulary.firstUnwritten(in: svg) == nil)
    }
}
