/// Colour-blind-safe categorical colours.
///
/// Hex values from Okabe & Ito, "Color Universal Design" (2008), the palette recommended by
/// Wong, "Points of view: Color blindness", Nature Methods 8, 441 (2011).
public enum Palette {
    public static let black = Colour(hex: 0x000000)
    public static let orange = Colour(hex: 0xE69F00)
    public static let skyBlue = Colour(hex: 0x56B4E9)
    public static let bluishGreen = Colour(hex: 0x009E73)
    public static let yellow = Colour(hex: 0xF0E442)
    public static let blue = Colour(hex: 0x0072B2)
    public static let vermillion = Colour(hex: 0xD55E00)
    public static let reddishPurple = Colour(hex: 0xCC79A7)

    /// Series colours in the order charts hand them out; yellow comes late because it is faint on white.
    public static let categorical: [Colour] = [blue, orange, bluishGreen, vermillion, reddishPurple, skyBlue, black, yellow]

    /// The `index`-th categorical colour, cycling when there are more series than colours.
    public static func categorical(_ index: Int) -> Colour {
        let count = categorical.count
        return categorical[((index % count) + count) % count]
    }
}
