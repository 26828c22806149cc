import Testing
@testable import SVGCharts

@Suite("Colours")
struct ColourTests {
    @Test func hexRoundTrips() {
        #expect(Colour(hex: 0x0072B2).hex == "#0072b2")
        #expect(Colour(red: 255, green: 0, blue: 10).hex == "#ff000a")
    }

    @Test func okabeItoValues() {
        // Okabe & Ito (2008): orange 230,159,0; sky blue 86,180,233; vermillion 213,94,0.
        #expect(Palette.orange == Colour(red: 230, green: 159, blue: 0))
        #expect(Palette.skyBlue == Colour(red: 86, green: 180, blue: 233))
        #expect(Palette.vermillion == Colour(red: 213, green: 94, blue: 0))
        #expect(Palette.categorical(Palette.categorical.count) == Palette.categorical(0))
        #expect(Set(Palette.categorical).count == Palette.categorical.count)
    }

    @Test func luminanceMatchesWCAG() {
        // WCAG 2.1 relative luminance: white 1, black 0, pure green 0.7152.
        #expect(Colour(hex: 0xFFFFFF).relativeLuminance == 1)
        #expect(Colour(hex: 0x000000).relativeLuminance == 0)
        #expect(abs(Colour(hex: 0x00FF00).relativeLuminance - 0.7152) < 1e-12)
    }

    @Test func viridisRunsFromDarkToLight() {
        let ramp = SequentialScale.viridis
        #expect(ramp.colour(at: 0) == Colour(hex: 0x440154))
        #expect(ramp.colour(at: 1) == Colour(hex: 0xFDE725))
        #expect(ramp.colour(at: 0.5) == Colour(hex: 0x21918C))
        #expect(ramp.colour(at: -3) == ramp.colour(at: 0))
        #expect(ramp.colour(at: .nan) == ramp.colour(at: 0))
        let luminances = stride(from: 0.0, through: 1.0, by: 0.05).map { ramp.colour(at: $0).relativeLuminance }
        #expect(zip(luminances, luminances.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func mixingInterpolatesChannels() {
        let mid = Colour(hex: 0x000000).mixed(with: Colour(hex: 0xFF6400), fraction: 0.5)
        #expect(mid == Colour(red: 128, green: 50, blue: 0))
    }
}
