/// A QR Code symbol (ISO/IEC 18004:2015, model 2), drawn from one segment of text.
///
/// No package in the set draws QR codes, and the second-factor page needs one for the authenticator's
/// `otpauth://` address, so this is a small encoder: the numeric, alphanumeric and byte (UTF-8) modes,
/// versions 1–40, the four error-correction levels, and the mask the standard's penalty rules choose.
/// Its parts are checked against the standard's worked example and decoded by a real reader (zbar) in the tests.
public struct QRCode: Sendable, Equatable {
    public enum ErrorCorrection: Int, Sendable, CaseIterable {
        /// Recovers about 7 %, 15 %, 25 % and 30 % of the codewords.
        case low, medium, quartile, high

        /// The two bits the format information carries (L = 01, M = 00, Q = 11, H = 10).
        var formatBits: Int { [1, 0, 3, 2][rawValue] }
    }

    public enum Mode: Sendable, Equatable {
        case numeric, alphanumeric, byte

        var indicator: Int {
            switch self { case .numeric: 0b0001; case .alphanumeric: 0b0010; case .byte: 0b0100 }
        }

        func countBits(version: Int) -> Int {
            let band = version <= 9 ? 0 : version <= 26 ? 1 : 2
            switch self {
            case .numeric: return [10, 12, 14][band]
            case .alphanumeric: return [9, 11, 13][band]
            case .byte: return [8, 16, 16][band]
            }
        }
    }

    /// The text does not fit in a version 40 symbol at the level asked for.
    public struct TooLong: Error, Sendable, CustomStringConvertible {
        public let length: Int
        public var description: String { "\(length) characters do not fit in a QR code" }
    }

    public let version: Int
    public let errorCorrection: ErrorCorrection
    public let mask: Int
    /// Modules per side: 17 + 4 × version.
    public let size: Int
    private let modules: [Bool]

    /// Whether the module in column `x`, row `y` is dark (the quiet zone is not included).
    public subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// The smallest symbol at `errorCorrection` (or above `minimumVersion`) that holds `text`.
    /// `mask` forces one of the eight masks; otherwise the one with the lowest penalty is used.
    public init(_ text: String, errorCorrection: ErrorCorrection = .medium, minimumVersion: Int = 1,
                mask forcedMask: Int? = nil) throws(TooLong) {
        let mode = Self.mode(for: text)
        let payload = Self.payloadBits(text, mode: mode)
        let characters = mode == .byte ? text.utf8.count : text.unicodeScalars.count
        guard let version = (max(1, minimumVersion)...40).first(where: { version in
            let capacity = Self.dataCodewordCount(version: version, errorCorrection: errorCorrection) * 8
            return characters < 1 << mode.countBits(version: version)
                && 4 + mode.countBits(version: version) + payload.count <= capacity
        }) else { throw TooLong(length: characters) }

        let data = Self.dataCodewords(mode: mode, characters: characters, payload: payload, version: version,
                                      errorCorrection: errorCorrection)
        let codewords = Self.interleavedWithErrorCorrection(data, version: version, errorCorrection: errorCorrection)
        var matrix = Matrix(version: version)
        matrix.place(codewords)
        let candidates = forcedMask.map { [min(max($0, 0), 7)] } ?? Array(0..<8)
        let (chosen, final) = candidates.map { ($0, matrix.masked($0, errorCorrection)) }
            .min { $0.1.penalty < $1.1.penalty }!
        self.version = version
        self.errorCorrection = errorCorrection
        self.mask = chosen
        self.size = final.size
        self.modules = final.dark
    }

    // MARK: Segments

    static let alphanumericCharacters = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".unicodeScalars)

    static func mode(for text: String) -> Mode {
        let scalars = text.unicodeScalars
        if !scalars.isEmpty, scalars.allSatisfy({ ("0"..."9").contains($0) }) { return .numeric }
        if !scalars.isEmpty, scalars.allSatisfy(alphanumericCharacters.contains) { return .alphanumeric }
        return .byte
    }

    /// The segment's data bits, without mode indicator and count.
    static func payloadBits(_ text: String, mode: Mode) -> BitBuffer {
        var bits = BitBuffer()
        switch mode {
        case .numeric:
            let digits = text.unicodeScalars.map { Int($0.value) - 48 }
            for start in stride(from: 0, to: digits.count, by: 3) {
                let group = digits[start..<min(start + 3, digits.count)]
                bits.append(group.reduce(0) { $0 * 10 + $1 }, count: group.count * 3 + 1)
            }
        case .alphanumeric:
            let values = text.unicodeScalars.map { alphanumericCharacters.firstIndex(of: $0)! }
            for start in stride(from: 0, to: values.count, by: 2) {
                if start + 1 < values.count {
                    bits.append(values[start] * 45 + values[start + 1], count: 11)
                } else {
                    bits.append(values[start], count: 6)
                }
            }
        case .byte:
            for byte in text.utf8 { bits.append(Int(byte), count: 8) }
        }
        return bits
    }

    /// Mode, count and data, the terminator, then padding to the version's data capacity (§7.4.10).
    static func dataCodewords(mode: Mode, characters: Int, payload: BitBuffer, version: Int,
                              errorCorrection: ErrorCorrection) -> [UInt8] {
        let capacity = dataCodewordCount(version: version, errorCorrection: errorCorrection) * 8
        var bits = BitBuffer()
        bits.append(mode.indicator, count: 4)
        bits.append(characters, count: mode.countBits(version: version))
        bits.append(contentsOf: payload)
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var bytes = bits.bytes
        var pad: UInt8 = 0xEC
        while bytes.count * 8 < capacity {
            bytes.append(pad)
            pad ^= 0xEC ^ 0x11
        }
        return bytes
    }

    // MARK: Error correction

    /// Splits the data into the version's blocks, adds each block's Reed–Solomon codewords and interleaves them (§7.6).
    static func interleavedWithErrorCorrection(_ data: [UInt8], version: Int, errorCorrection: ErrorCorrection) -> [UInt8] {
        let blockCount = errorCorrectionBlocks[errorCorrection.rawValue][version]
        let eccLength = eccCodewordsPerBlock[errorCorrection.rawValue][version]
        let total = rawDataModules(version: version) / 8
        let shortBlocks = blockCount - total % blockCount
        let shortLength = total / blockCount
        let divisor = reedSolomonDivisor(degree: eccLength)

        var blocks: [(data: [UInt8], ecc: [UInt8])] = []
        var offset = 0
        for index in 0..<blockCount {
            let length = shortLength - eccLength + (index < shortBlocks ? 0 : 1)
            let block = Array(data[offset..<offset + length])
            offset += length
            blocks.append((block, reedSolomonRemainder(block, divisor: divisor)))
        }
        var result: [UInt8] = []
        result.reserveCapacity(total)
        for column in 0...(shortLength - eccLength) {
            for block in blocks where column < block.data.count { result.append(block.data[column]) }
        }
        for column in 0..<eccLength {
            for block in blocks { result.append(block.ecc[column]) }
        }
        return result
    }

    /// The generator polynomial of the given degree, highest coefficient (always 1) left out.
    static func reedSolomonDivisor(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = galoisMultiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = galoisMultiply(root, 0x02)
        }
        return result
    }

    static func reedSolomonRemainder(_ data: [UInt8], divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for i in result.indices { result[i] ^= galoisMultiply(divisor[i], factor) }
        }
        return result
    }

    /// Multiplication in GF(2⁸) modulo x⁸ + x⁴ + x³ + x² + 1.
    static func galoisMultiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for i in (0..<8).reversed() {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= ((Int(y) >> i) & 1) * Int(x)
        }
        return UInt8(z)
    }

    // MARK: Capacities (ISO/IEC 18004 table 9), indexed by level then version (index 0 unused)

    static let eccCodewordsPerBlock: [[Int]] = [
        [-1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [-1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [-1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    static let errorCorrectionBlocks: [[Int]] = [
        [-1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [-1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [-1, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]

    /// Modules left for codewords (data and error correction, plus remainder bits) once the function patterns are drawn.
    static func rawDataModules(version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    static func dataCodewordCount(version: Int, errorCorrection: ErrorCorrection) -> Int {
        rawDataModules(version: version) / 8
            - eccCodewordsPerBlock[errorCorrection.rawValue][version] * errorCorrectionBlocks[errorCorrection.rawValue][version]
    }

    /// Centre rows (and columns) of the alignment patterns (annex E).
    static func alignmentPositions(version: Int) -> [Int] {
        guard version >= 2 else { return [] }
        let count = version / 7 + 2
        let size = 17 + 4 * version
        let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        return [6] + (1..<count).map { size - 7 - (count - 1 - $0) * step }
    }

    /// The 15 format bits: level and mask with their BCH(15,5) check, XOR 101010000010010 (§7.9).
    static func formatBits(_ errorCorrection: ErrorCorrection, mask: Int) -> Int {
        let data = errorCorrection.formatBits << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// The 18 version bits of versions 7 and above, with their BCH(18,6) check (§7.10).
    static func versionBits(_ version: Int) -> Int {
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        return version << 12 | remainder
    }

    /// The side of the SVG drawing in modules: the symbol and the standard's four-module quiet zone around it.
    public var drawingSide: Int { size + 8 }

    /// An SVG path of the dark modules, one horizontal run at a time, offset by the quiet zone: the page's
    /// template draws it on a white square of `drawingSide`, whatever the page's colours.
    public var svgPath: String {
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard self[x, y] else { x += 1; continue }
                let start = x
                while x < size && self[x, y] { x += 1 }
                path += "M\(start + 4) \(y + 4)h\(x - start)v1h-\(x - start)z"
            }
        }
        return path
    }
}

/// Bits appended most significant first.
struct BitBuffer: Equatable {
    private(set) var bits: [Bool] = []
    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
    }

    mutating func append(contentsOf other: BitBuffer) { bits += other.bits }

    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<min(start + 8, bits.count)].enumerated().reduce(UInt8(0)) { $0 | ($1.element ? 0x80 >> UInt8($1.offset) : 0) }
        }
    }
}

extension QRCode {
    /// The symbol while it is drawn: modules, and which of them belong to function patterns.
    struct Matrix {
        let version: Int
        let size: Int
        var dark: [Bool]
        var function: [Bool]

        init(version: Int) {
            self.version = version
            size = 17 + 4 * version
            dark = Array(repeating: false, count: size * size)
            function = Array(repeating: false, count: size * size)
            for i in 0..<size {
                set(6, i, i % 2 == 0)
                set(i, 6, i % 2 == 0)
            }
            for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] {
                for dy in -4...4 {
                    for dx in -4...4 where (0..<size).contains(x + dx) && (0..<size).contains(y + dy) {
                        let distance = max(abs(dx), abs(dy))
                        set(x + dx, y + dy, distance != 2 && distance != 4)
                    }
                }
            }
            let positions = QRCode.alignmentPositions(version: version)
            for (i, y) in positions.enumerated() {
                for (j, x) in positions.enumerated() {
                    let last = positions.count - 1
                    if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                    for dy in -2...2 {
                        for dx in -2...2 { set(x + dx, y + dy, max(abs(dx), abs(dy)) != 1) }
                    }
                }
            }
            drawFormat(0)
            if version >= 7 {
                let bits = QRCode.versionBits(version)
                for i in 0..<18 {
                    let (a, b) = (size - 11 + i % 3, i / 3)
                    set(a, b, (bits >> i) & 1 == 1)
                    set(b, a, (bits >> i) & 1 == 1)
                }
            }
        }

        private mutating func set(_ x: Int, _ y: Int, _ isDark: Bool) {
            dark[y * size + x] = isDark
            function[y * size + x] = true
        }

        /// Both copies of the format information, and the dark module beside the lower-left finder.
        mutating func drawFormat(_ bits: Int) {
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
            for i in 0...5 { set(8, i, bit(i)) }
            set(8, 7, bit(6))
            set(8, 8, bit(7))
            set(7, 8, bit(8))
            for i in 9..<15 { set(14 - i, 8, bit(i)) }
            for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
            for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
            set(8, size - 8, true)
        }

        /// Codewords in the two-column zigzag from the lower right, skipping the vertical timing pattern (§7.7.3).
        mutating func place(_ codewords: [UInt8]) {
            var index = 0
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                let upward = (right + 1) & 2 == 0
                for vertical in 0..<size {
                    let y = upward ? size - 1 - vertical : vertical
                    for x in [right, right - 1] where !function[y * size + x] && index < codewords.count * 8 {
                        dark[y * size + x] = (codewords[index >> 3] >> (7 - UInt8(index & 7))) & 1 == 1
                        index += 1
                    }
                }
                right -= 2
            }
        }

        /// A copy with `mask` applied to the data modules and its format information drawn.
        func masked(_ mask: Int, _ errorCorrection: ErrorCorrection) -> Matrix {
            var copy = self
            for y in 0..<size {
                for x in 0..<size where !function[y * size + x] && Self.maskCondition(mask, x: x, y: y) {
                    copy.dark[y * size + x].toggle()
                }
            }
            copy.drawFormat(QRCode.formatBits(errorCorrection, mask: mask))
            return copy
        }

        /// The mask patterns of table 10, with `x` the column and `y` the row.
        static func maskCondition(_ mask: Int, x: Int, y: Int) -> Bool {
            switch mask {
            case 0: (x + y) % 2 == 0
            case 1: y % 2 == 0
            case 2: x % 3 == 0
            case 3: (x + y) % 3 == 0
            case 4: (x / 3 + y / 2) % 2 == 0
            case 5: x * y % 2 + x * y % 3 == 0
            case 6: (x * y % 2 + x * y % 3) % 2 == 0
            default: ((x + y) % 2 + x * y % 3) % 2 == 0
            }
        }

        /// The evaluation of §7.8.3: runs, 2 × 2 blocks, finder-like patterns and the balance of dark and light.
        var penalty: Int {
            var result = 0
            let finderLike: [[Bool]] = [
                [true, false, true, true, true, false, true, false, false, false, false],
                [false, false, false, false, true, false, true, true, true, false, true],
            ]
            for horizontal in [true, false] {
                for line in 0..<size {
                    let module = { (i: Int) in horizontal ? dark[line * size + i] : dark[i * size + line] }
                    var run = 1
                    for i in 1..<size {
                        if module(i) == module(i - 1) {
                            run += 1
                        } else {
                            if run >= 5 { result += run - 2 }
                            run = 1
                        }
                    }
                    if run >= 5 { result += run - 2 }
                    for start in 0...(size - 11) {
                        for pattern in finderLike where (0..<11).allSatisfy({ module(start + $0) == pattern[$0] }) { result += 40 }
                    }
                }
            }
            for y in 0..<(size - 1) {
                for x in 0..<(size - 1) {
                    let colour = dark[y * size + x]
                    if dark[y * size + x + 1] == colour, dark[(y + 1) * size + x] == colour, dark[(y + 1) * size + x + 1] == colour {
                        result += 3
                    }
                }
            }
            let darkCount = dark.lazy.filter { $0 }.count
            result += abs(darkCount * 100 / dark.count - 50) / 5 * 10
            return result
        }
    }
}
