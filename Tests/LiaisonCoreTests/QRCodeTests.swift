import Foundation
import Testing
@testable import LiaisonCore

/// The QR encoder against the standard's worked values, and every version and level read back by a real reader.
@Suite struct QRCodeTests {
    /// ISO/IEC 18004 annex I: "01234567" as a 1-M symbol.
    @Test func theStandardsNumericExampleGivesItsCodewords() throws {
        let payload = QRCode.payloadBits("01234567", mode: .numeric)
        let data = QRCode.dataCodewords(mode: .numeric, characters: 8, payload: payload, version: 1, errorCorrection: .medium)
        #expect(data == [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11])
        let all = QRCode.interleavedWithErrorCorrection(data, version: 1, errorCorrection: .medium)
        #expect(Array(all.suffix(10)) == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
        let symbol = try QRCode("01234567", errorCorrection: .medium)
        #expect(symbol.version == 1 && symbol.size == 21)
    }

    /// "HELLO WORLD" in alphanumeric mode, 1-M, as the usual tutorial works it by hand.
    @Test func alphanumericTextGivesItsCodewords() {
        let payload = QRCode.payloadBits("HELLO WORLD", mode: .alphanumeric)
        let data = QRCode.dataCodewords(mode: .alphanumeric, characters: 11, payload: payload, version: 1, errorCorrection: .medium)
        #expect(data == [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17])
        let all = QRCode.interleavedWithErrorCorrection(data, version: 1, errorCorrection: .medium)
        #expect(Array(all.suffix(10)) == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    @Test func modesAreChosenByTheCharacters() {
        #expect(QRCode.mode(for: "0123") == .numeric)
        #expect(QRCode.mode(for: "HELLO WORLD $%*+-./:") == .alphanumeric)
        #expect(QRCode.mode(for: "otpauth://totp/x") == .byte)
        #expect(QRCode.mode(for: "") == .byte)
        #expect(QRCode.mode(for: "١٢٣") == .byte, "digits of other scripts are not QR digits")
    }

    /// Table C.1 and D.1 of the standard.
    @Test func formatAndVersionInformationMatchTheStandardsTables() {
        #expect(QRCode.formatBits(.low, mask: 0) == 0b111011111000100)
        #expect(QRCode.formatBits(.low, mask: 4) == 0b110011000101111)
        #expect(QRCode.formatBits(.medium, mask: 0) == 0b101010000010010)
        #expect(QRCode.formatBits(.quartile, mask: 0) == 0b011010101011111)
        #expect(QRCode.formatBits(.high, mask: 0) == 0b001011010001001)
        #expect(QRCode.versionBits(7) == 0b000111110010010100)
        #expect(QRCode.versionBits(8) == 0b001000010110111100)
        #expect(QRCode.versionBits(40) == 0b101000110001101001)
    }

    @Test func alignmentPatternsSitWhereTableEPutsThem() {
        #expect(QRCode.alignmentPositions(version: 1) == [])
        #expect(QRCode.alignmentPositions(version: 2) == [6, 18])
        #expect(QRCode.alignmentPositions(version: 7) == [6, 22, 38])
        #expect(QRCode.alignmentPositions(version: 32) == [6, 34, 60, 86, 112, 138])
        #expect(QRCode.alignmentPositions(version: 40) == [6, 30, 58, 86, 114, 142, 170])
    }

    /// Table 7's capacities at the extremes: what fits exactly, and one more that does not.
    @Test func capacitiesAreTheStandards() throws {
        for (text, version, level) in [(String(repeating: "7", count: 41), 1, QRCode.ErrorCorrection.low),
                                       (String(repeating: "A", count: 25), 1, .low),
                                       (String(repeating: "a", count: 17), 1, .low),
                                       (String(repeating: "a", count: 7), 1, .high),
                                       (String(repeating: "a", count: 271), 10, .low),
                                       (String(repeating: "7", count: 7089), 40, .low),
                                       (String(repeating: "A", count: 4296), 40, .low),
                                       (String(repeating: "a", count: 2953), 40, .low),
                                       (String(repeating: "a", count: 1273), 40, .high)] {
            let fits = try QRCode(text, errorCorrection: level)
            #expect(fits.version == version, "\(text.count) × \(text.first!) at \(level)")
            if version < 40 {
                #expect(try QRCode(text + String(text.first!), errorCorrection: level).version == version + 1)
            } else {
                #expect(throws: QRCode.TooLong.self) { try QRCode(text + String(text.first!), errorCorrection: level) }
            }
        }
    }

    @Test func functionPatternsAreDrawn() throws {
        let symbol = try QRCode("otpauth://totp/Liaison:someone", errorCorrection: .medium, minimumVersion: 7)
        #expect(symbol.size == 45)
        // Finder: dark ring, light ring, dark 3 × 3 core; its separator is light.
        #expect((0..<7).allSatisfy { symbol[$0, 0] && symbol[0, $0] && symbol[$0, 6] })
        #expect((1..<6).allSatisfy { !symbol[$0, 1] } && symbol[3, 3] && !symbol[7, 3])
        // Timing, the dark module, an alignment centre.
        #expect((8..<37).allSatisfy { symbol[$0, 6] == ($0 % 2 == 0) && symbol[6, $0] == ($0 % 2 == 0) })
        #expect(symbol[8, 45 - 8])
        #expect(symbol[22, 22] && !symbol[21, 22] && symbol[20, 22])
    }

    @Test func theSVGPathDrawsExactlyTheDarkModules() throws {
        let symbol = try QRCode("HELLO WORLD", errorCorrection: .quartile)
        #expect(symbol.drawingSide == 29)
        var drawn = Set<[Int]>()
        for run in symbol.svgPath.split(separator: "z") {
            let numbers = run.split(whereSeparator: { "Mhv -".contains($0) }).compactMap { Int($0) }
            try #require(numbers.count == 5 && numbers[2] == numbers[4] && numbers[3] == 1)
            for x in numbers[0]..<(numbers[0] + numbers[2]) { drawn.insert([x - 4, numbers[1] - 4]) }
        }
        let dark = (0..<21).flatMap { y in (0..<21).filter { symbol[$0, y] }.map { [$0, y] } }
        #expect(drawn == Set(dark) && !dark.isEmpty)
    }

    /// Every version and level, every mask, and UTF-8 text, read back by zbar's `zbarimg`.
    @Test func aRealReaderDecodesEveryVersionLevelAndMask() throws {
        guard let reader = Self.zbarimg else {
            #expect(ProcessInfo.processInfo.environment["CI"] != "true", "CI=true but zbarimg (Debian's zbar-tools) is missing")
            return
        }
        var cases: [(String, QRCode.ErrorCorrection, Int, Int?)] = []
        // Each version filled to its last byte, so every data module carries text.
        let phrase = Array("otpauth://totp/Liaison:someone@example.org?secret=JBSWY3DPEHPK3PXP&issuer=Liaison ".utf8)
        for version in 1...40 {
            let level = QRCode.ErrorCorrection.allCases[version % 4]
            let capacity = (QRCode.dataCodewordCount(version: version, errorCorrection: level) * 8 - 4
                            - QRCode.Mode.byte.countBits(version: version)) / 8
            cases.append((String(decoding: (0..<capacity).map { phrase[$0 % phrase.count] }, as: UTF8.self), level, version, nil))
        }
        for level in QRCode.ErrorCorrection.allCases {
            for version in [1, 6, 7, 21, 40] { cases.append(("LEVEL \(level.rawValue) V\(version)", level, version, nil)) }
        }
        for mask in 0..<8 { cases.append(("0123456789012345678901234567890\(mask)", .medium, 2, mask)) }
        cases.append(("réseau judiciaire européen – “Liaison”", .medium, 4, nil))

        for (text, level, version, mask) in cases {
            let symbol = try QRCode(text, errorCorrection: level, minimumVersion: version, mask: mask)
            #expect(symbol.version == version && symbol.errorCorrection == level && (mask == nil || symbol.mask == mask))
            #expect(try Self.decode(symbol, with: reader) == text, "version \(version), \(level), mask \(symbol.mask)")
        }
    }

    static let zbarimg: URL? = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"].map(URL.init(fileURLWithPath:))
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }

    /// Writes the symbol as a PBM image (3 pixels a module, quiet zone included) and reads it back.
    static func decode(_ symbol: QRCode, with reader: URL) throws -> String {
        let scale = 3
        let side = (symbol.size + 8) * scale
        var image = "P1\n\(side) \(side)\n"
        for row in 0..<side {
            let y = row / scale - 4
            image += (0..<side).map { column -> String in
                let x = column / scale - 4
                return (0..<symbol.size).contains(x) && (0..<symbol.size).contains(y) && symbol[x, y] ? "1" : "0"
            }.joined(separator: " ") + "\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).pbm")
        try image.write(to: file, atomically: true, encoding: .ascii)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = reader
        process.arguments = ["--raw", "-q", "-Sbinary", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
    }
}
