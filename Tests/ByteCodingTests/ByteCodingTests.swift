import Testing
import ByteCoding

struct Failure: Error, Equatable {
    var problem: String
}

@Suite struct ByteCodingTests {
    /// Unsigned LEB128: 624485 is E5 8E 26 (the worked example of the LEB128 article on Wikipedia).
    @Test func varintsMatchTheReferenceEncoding() {
        var writer = ByteWriter()
        writer.writeVarint(624_485)
        #expect(writer.bytes == [0xE5, 0x8E, 0x26])
        #expect(varintLength(624_485) == 3)
        for (value, length) in [(UInt64(0), 1), (127, 1), (128, 2), (16_383, 2), (16_384, 3), (.max, 10)] {
            #expect(varintLength(value) == length, "\(value)")
        }
    }

    @Test func integersAreLittleEndian() {
        var writer = ByteWriter([0xAA])
        writer.write(UInt32(0x0102_0304))
        writer.write(Int128(-2))
        #expect(writer.bytes == [0xAA, 4, 3, 2, 1] + [0xFE] + [UInt8](repeating: 0xFF, count: 15))
    }

    @Test func whatIsWrittenReadsBack() throws {
        let values: [UInt64] = [0, 1, 127, 128, 300, 1 << 35, .max]
        var writer = ByteWriter()
        writer.write(UInt16(0xBEEF))
        writer.write(-0.0)
        writer.write(Int128.min)
        for value in values { writer.writeVarint(value) }
        let read = writer.bytes.withUnsafeBytes { raw -> Result<(UInt16, Double, Int128, [UInt64], Bool), Failure> in
            var reader = ByteReader(raw) { Failure(problem: $0) }
            do throws(Failure) {
                let short = try reader.read(UInt16.self), double = try reader.readDouble(), wide = try reader.readInt128()
                var varints: [UInt64] = []
                for _ in values { varints.append(try reader.readVarint()) }
                return .success((short, double, wide, varints, reader.isAtEnd))
            } catch {
                return .failure(error)
            }
        }
        let (short, double, wide, varints, atEnd) = try read.get()
        #expect(short == 0xBEEF)
        #expect(double.bitPattern == (-0.0).bitPattern)
        #expect(wide == .min)
        #expect(varints == values)
        #expect(atEnd)
    }

    @Test func readsPastTheEndThrowTheCallersError() {
        func failure(of bytes: [UInt8], _ read: (inout ByteReader<Failure>) throws(Failure) -> Void) -> String? {
            bytes.withUnsafeBytes { raw in
                var reader = ByteReader(raw) { Failure(problem: $0) }
                do throws(Failure) { try read(&reader) } catch { return error.problem }
                return nil
            }
        }
        #expect(failure(of: [1, 2, 3]) { reader throws(Failure) in _ = try reader.read(UInt32.self) } == "ends inside a field")
        #expect(failure(of: [0x80, 0x80]) { reader throws(Failure) in _ = try reader.readVarint() } == "ends inside a varint")
        #expect(failure(of: [UInt8](repeating: 0xFF, count: 9) + [0x02]) { reader throws(Failure) in _ = try reader.readVarint() }
                == "varint exceeds 64 bits")
        // 0 and 1 written in two bytes: a saved spill run is kept as its bytes, which must be the writer's.
        #expect(failure(of: [0x80, 0x00]) { reader throws(Failure) in _ = try reader.readVarint() } == "varint not in its shortest form")
        #expect(failure(of: [0x81, 0x00]) { reader throws(Failure) in _ = try reader.readVarint() } == "varint not in its shortest form")
        #expect(failure(of: [1, 2]) { reader throws(Failure) in try reader.skip(3) } == "a section runs past the end")
        #expect(failure(of: [1, 2]) { reader throws(Failure) in try reader.skip(2) } == nil)
    }
}
