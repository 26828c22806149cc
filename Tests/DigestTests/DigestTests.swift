import Testing
import Digest

/// Known answers from FIPS 180-4's examples (NIST CSRC "SHA-256" example values).
struct SHA256Tests {
    @Test func emptyMessage() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func abc() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func twoBlockMessage() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(SHA256.hex(Array(message.utf8)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func millionAs() {
        var hasher = SHA256()
        for _ in 0..<1000 { hasher.update([UInt8](repeating: UInt8(ascii: "a"), count: 1000)) }
        let digest = hasher.finalizeHex()
        #expect(digest == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

/// Known answers of the reference implementation (xxHash's sanity checks, as republished by
/// ClickHouse's and .NET System.IO.Hashing's test suites), covering the short path, the 4- and
/// 8-byte tails and the 32-byte stripes.
struct XXH64Tests {
    @Test(arguments: [
        ("", UInt64(0), UInt64(0xEF46_DB37_51D8_E999)),
        ("", 1, 0xD5AF_BA13_36A3_BE4B),
        ("a", 0, 0xD24E_C4F1_A98C_6E5B),
        ("abc", 0, 0x44BC_2CF5_AD77_0999),
        ("ABC", 0, 0xE66A_E735_4FCF_EE98),
        ("xxhash", 0, 0x32DD_3895_2C4B_C720),
        ("abcdefghijklmnopqrstuvwxyz12345", 0, 0x4676_0590_1B01_D6F6),
        ("12345678901234567890123456789012", 0, 0x40FD_1AA5_2D98_274C),
        ("The quick brown fox jumps over the lazy dog", 0, 0x0B24_2D36_1FDA_71BC),
        ("Nobody inspects the spammish repetition", 123, 0xA8BA_4555_1F24_B7AE),
    ])
    func knownAnswers(text: String, seed: UInt64, expected: UInt64) {
        #expect(XXH64.digest(Array(text.utf8), seed: seed) == expected)
    }

    @Test func sliceMatchesArray() {
        let bytes = Array("..The quick brown fox jumps over the lazy dog".utf8)
        #expect(XXH64.digest(bytes[2...]) == 0x0B24_2D36_1FDA_71BC)
    }
}
