import Testing
import RandomStreams

// Known-answer vectors: Random123 (D. E. Shaw Research), tests/kat_vectors, the three
// "philox4x32 10" lines. Columns there: counter (4 words), key (2 words), expected output (4 words).
@Test(arguments: [
    (SIMD4<UInt32>(0, 0, 0, 0), SIMD2<UInt32>(0, 0),
     SIMD4<UInt32>(0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8)),
    (SIMD4<UInt32>(.max, .max, .max, .max), SIMD2<UInt32>(.max, .max),
     SIMD4<UInt32>(0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD)),
    (SIMD4<UInt32>(0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344), SIMD2<UInt32>(0xA409_3822, 0x299F_31D0),
     SIMD4<UInt32>(0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1)),
])
func philoxMatchesRandom123KnownAnswers(counter: SIMD4<UInt32>, key: SIMD2<UInt32>, expected: SIMD4<UInt32>) {
    #expect(Philox4x32.block(counter: counter, key: key) == expected)
}

// Test vectors of the FNV test suite (L. C. Noll, test_fnv.c; also draft-eastlake-fnv):
// FNV-1a 64 of "", "a" and "foobar".
@Test func streamKeyIsFNV1a64() {
    #expect(streamKey("") == 0xCBF2_9CE4_8422_2325)
    #expect(streamKey("a") == 0xAF63_DC4C_8601_EC8C)
    #expect(streamKey("foobar") == 0x8594_4171_F739_67E8)
}

@Test func streamKeyHashesUTF8Bytes() {
    // "é" precomposed is two UTF-8 bytes; the key must follow the bytes, not the characters.
    #expect(streamKey("\u{E9}") != streamKey("e"))
    #expect(streamKey("heat pump share") != streamKey("heat pump share "))
}
