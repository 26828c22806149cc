/// Shared sizes (in SVG user units, i.e. pixels at 100 %) and neutral colours of every chart.
enum Style {
    static let fontFamily = "DejaVu Sans, Arial, sans-serif"
    static let padding = 16.0
    static let titleSize = 16.0
    static let titleLineHeight = 21.0
    static let axisLabelSize = 13.0
    static let tickSize = 11.0
    static let legendSize = 12.0
    static let text = "#222222"
    static let axis = "#4d4d4d"
    static let grid = "#dddddd"
    static let background = "#ffffff"
    static let missing = Colour(hex: 0xD9D9D9)
}
