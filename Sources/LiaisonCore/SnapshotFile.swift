import Foundation

/// The catalogue written to one file, so that a start reads it back without SQL (a whole load of 100,000 networks from
/// the database took 7–9 s). The file says which state of the database it holds (`Key`), and is checked whole before
/// anything in it is used: a file that is not one, of another format version, cut short, or whose checksum does not
/// match is refused with the reason, and the caller loads from the database instead.
///
/// Layout (integers little-endian): the 16-byte magic, the format version (4 bytes), the length of what follows the
/// checksum (8), the checksum of it (8); then the key (revision, 8 bytes, and its tag as a text) and the catalogue. A
/// text is its UTF-8 length (LEB128) and bytes; a vocabulary value is written as its text, so a reordered enumeration
/// cannot shift meanings.
public enum SnapshotFile {
    public static let magic = Array("LIAISON SNAPSHOT".utf8)
    /// Raised whenever what the file holds, or how, changes: a file of another version is not read.
    public static let formatVersion: UInt32 = 1
    /// Bytes before the key: magic, version, length, checksum.
    static let headerSize = 16 + 4 + 8 + 8

    /// Which state of the database a file holds: the last revision's number and a tag of it (its date and what it
    /// changed), so that a database restored to an earlier state and written again up to the same number does not
    /// match a file of the state it left.
    public struct Key: Hashable, Sendable, CustomStringConvertible {
        public let revision: Int64
        public let tag: String

        public init(revision: Int64, tag: String) {
            self.revision = revision
            self.tag = tag
        }

        public var description: String { "revision \(revision) (\(tag))" }
    }

    public struct Contents: Sendable {
        public let key: Key
        /// Networks in the order they were written (a snapshot's name order).
        public let networks: [Network]
        public let lastChanged: [String: Date]
        /// The search index's words and postings over `networks`, when the file has them and they were made by the
        /// indexing rules of this build (`SearchIndex.rulesFingerprint`); nil: the index is built again.
        package let search: SearchIndex.Stored?
    }

    /// Why a file was not read.
    public struct Unreadable: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { "the snapshot file is not usable: \(reason)" }
    }

    // MARK: Writing

    /// The file's bytes at once (for tests and small catalogues; `write(to:)` streams them).
    public static func encode(key: Key, networks: [Network], lastChanged: [String: Date], search: SearchIndex? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        try! write(key: key, networks: networks, lastChanged: lastChanged, search: search) { bytes.append(contentsOf: $0) } header: { header in
            bytes.replaceSubrange(0..<header.count, with: header)
        }
        return bytes
    }

    /// Writes a file to an open handle, a megabyte at a time (a snapshot of 100,000 networks is hundreds of megabytes,
    /// not to be held twice): the header is written last, over the room kept for it at the start.
    /// `between` runs before each megabyte is written: what it throws stops the writing.
    public static func write(key: Key, networks: [Network], lastChanged: [String: Date], search: SearchIndex?, to file: FileHandle,
                             between: () throws -> Void = {}) throws {
        try write(key: key, networks: networks, lastChanged: lastChanged, search: search) { chunk in
            try between()
            try file.write(contentsOf: chunk)
        } header: { header in
            try file.seek(toOffset: 0)
            try file.write(contentsOf: header)
        }
    }

    private static func write(key: Key, networks: [Network], lastChanged: [String: Date], search: SearchIndex?, chunk: ([UInt8]) throws -> Void,
                              header: ([UInt8]) throws -> Void) throws {
        try chunk([UInt8](repeating: 0, count: headerSize))
        var sum = Checksum()
        var length: UInt64 = 0
        var body = ByteWriter()
        func flush(at least: Int) throws {
            guard body.bytes.count >= least else { return }
            sum.add(body.bytes)
            length += UInt64(body.bytes.count)
            try chunk(body.bytes)
            body.bytes.removeAll(keepingCapacity: true)
        }
        body.integer(UInt64(bitPattern: key.revision))
        body.text(key.tag)
        body.number(UInt64(networks.count))
        for network in networks {
            write(network, into: &body)
            try flush(at: 1 << 20)
        }
        body.number(UInt64(lastChanged.count))
        for (slug, date) in lastChanged.sorted(by: { $0.key < $1.key }) {
            body.text(slug)
            body.integer(date.timeIntervalSinceReferenceDate.bitPattern)
        }
        // The search index over these networks (most of a start's work when built again), with the fingerprint of the
        // rules that made it.
        body.flag(search != nil)
        if let search, search.networkCount == networks.count {
            let (words, postings) = search.stored
            body.integer(SearchIndex.rulesFingerprint)
            body.number(UInt64(words.count))
            for (word, list) in zip(words, postings) {
                body.text(word)
                body.number(UInt64(list.count))
                for posting in list { body.integer(posting.packedValue) }
                try flush(at: 1 << 20)
            }
        }
        try flush(at: 0)
        var start = ByteWriter()
        start.bytes = magic
        start.integer(formatVersion)
        start.integer(length)
        start.integer(sum.value)
        try header(start.bytes)
    }

    private static func write(_ network: Network, into out: inout ByteWriter) {
        out.text(network.slug)
        out.text(network.name)
        out.optionalText(network.nameFR)
        out.optionalText(network.acronym)
        out.texts(network.otherNames)
        out.optionalText(network.printedName)
        out.value(network.section)
        out.optionalNumber(network.row)
        out.value(network.scope)
        out.number(UInt64(network.purpose.count))
        for (language, text) in network.purpose.sorted(by: { $0.key < $1.key }) {
            out.value(language)
            out.text(text)
        }
        out.values(network.memberTypes)
        out.values(network.crimeAreas)
        out.values(network.instruments)
        out.value(network.status.value)
        out.optionalDate(network.status.since)
        out.optionalDate(network.status.until)
        out.optionalText(network.status.note)
        out.flag(network.function != nil)
        if let function = network.function { out.value(function) }
        out.flag(network.openMembership)
        out.optionalDate(network.founded)
        out.optionalText(network.website)
        out.number(UInt64(network.references.count))
        for reference in network.references {
            out.optionalNumber(reference.footnote)
            out.optionalText(reference.url)
            out.optionalText(reference.title)
        }
        out.flag(network.statedMemberCount != nil)
        if let stated = network.statedMemberCount {
            out.signed(stated.count)
            out.text(stated.text)
        }
        out.optionalText(network.hostedBy)
        out.number(UInt64(network.relations.count))
        for relation in network.relations {
            out.value(relation.type)
            out.text(relation.target)
            out.optionalText(relation.note)
        }
        out.number(UInt64(network.groups.count))
        for group in network.groups {
            out.optionalText(group.heading)
            out.flag(group.role != nil)
            if let role = group.role { out.value(role) }
            out.optionalNumber(group.statedCount)
            out.text(group.text)
            let packed = group.entries.packed
            out.number(UInt64(packed.count))
            out.bytes.append(contentsOf: packed)
        }
        out.optionalText(network.notes)
        out.number(UInt64(network.sources.count))
        for (field, source) in network.sources.sorted(by: { $0.key < $1.key }) {
            out.text(field.rawValue)
            out.text(source)
        }
        out.number(UInt64(network.translations.count))
        for field in network.translations.sorted() { out.text(field.rawValue) }
    }

    // MARK: Reading

    /// The key of a file, from its first bytes (what a start compares with the database before reading the rest).
    public static func key(ofHeader bytes: [UInt8]) throws -> Key {
        try bytes.withUnsafeBufferPointer { buffer in
            var reader = ByteReader(buffer)
            _ = try header(&reader)
            return try readKey(&reader)
        }
    }

    /// Reads a whole file, checked: its magic, version, length and checksum first, then every value as it is read.
    public static func decode(_ bytes: [UInt8]) throws -> Contents {
        try bytes.withUnsafeBufferPointer { try decode($0) }
    }

    /// Reads a file from its bytes (a mapped file's: nothing in the result points into them).
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Contents {
        var reader = ByteReader(bytes)
        let (length, sum) = try header(&reader)
        guard reader.remaining == length else {
            throw Unreadable(reason: "it holds \(reader.remaining) bytes after its header where it says \(length)")
        }
        var check = Checksum()
        check.add(UnsafeBufferPointer(rebasing: bytes[headerSize...]))
        guard check.value == sum else { throw Unreadable(reason: "its checksum does not match its contents") }
        let key = try readKey(&reader)
        var networks: [Network] = []
        let count = try reader.count(atLeastBytesEach: 8)
        networks.reserveCapacity(count)
        for _ in 0..<count { networks.append(try readNetwork(&reader)) }
        var lastChanged: [String: Date] = [:]
        for _ in 0..<(try reader.count(atLeastBytesEach: 9)) {
            let slug = try reader.text()
            lastChanged[slug] = Date(timeIntervalSinceReferenceDate: Double(bitPattern: try reader.integer(UInt64.self)))
        }
        var search: SearchIndex.Stored?
        if try reader.flag() {
            let fingerprint = try reader.integer(UInt64.self)
            var words: [String] = []
            var postings: [[UInt32]] = []
            for _ in 0..<(try reader.count(atLeastBytesEach: 2)) {
                words.append(try reader.text())
                let count = try reader.count(atLeastBytesEach: 4)
                let raw = try reader.take(count * 4)
                postings.append([UInt32](unsafeUninitializedCapacity: count) { buffer, initialized in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(raw))
                    for index in 0..<count { buffer[index] = UInt32(littleEndian: buffer[index]) }
                    initialized = count
                })
            }
            if fingerprint == SearchIndex.rulesFingerprint {
                guard let stored = SearchIndex.Stored(words: words, postings: postings, networkCount: networks.count) else {
                    throw Unreadable(reason: "its search index is not one over its networks")
                }
                search = stored
            }
        }
        guard reader.remaining == 0 else { throw Unreadable(reason: "\(reader.remaining) bytes follow the catalogue") }
        return Contents(key: key, networks: networks, lastChanged: lastChanged, search: search)
    }

    private static func header(_ reader: inout ByteReader) throws -> (length: UInt64, checksum: UInt64) {
        guard reader.remaining >= headerSize, Array(try reader.take(magic.count)) == magic else {
            throw Unreadable(reason: "it does not start as a Liaison snapshot does")
        }
        let version = try reader.integer(UInt32.self)
        guard version == formatVersion else { throw Unreadable(reason: "it is of format version \(version), not \(formatVersion)") }
        return (try reader.integer(UInt64.self), try reader.integer(UInt64.self))
    }

    private static func readKey(_ reader: inout ByteReader) throws -> Key {
        Key(revision: Int64(bitPattern: try reader.integer(UInt64.self)), tag: try reader.text())
    }

    private static func readNetwork(_ input: inout ByteReader) throws -> Network {
        var network = Network(slug: try input.text(), name: try input.text(), section: .european, scope: .global)
        network.nameFR = try input.optionalText()
        network.acronym = try input.optionalText()
        network.otherNames = try input.texts()
        network.printedName = try input.optionalText()
        network.section = try input.value()
        network.row = try input.optionalNumber()
        network.scope = try input.value()
        for _ in 0..<(try input.count(atLeastBytesEach: 2)) {
            let language: Language = try input.value()
            network.purpose[language] = try input.text()
        }
        network.memberTypes = try input.values()
        network.crimeAreas = try input.values()
        network.instruments = try input.values()
        network.status = NetworkStatus(value: try input.value(), since: try input.optionalDate(), until: try input.optionalDate(),
                                       note: try input.optionalText())
        network.function = try input.flag() ? try input.value() as NetworkFunction : nil
        network.openMembership = try input.flag()
        network.founded = try input.optionalDate()
        network.website = try input.optionalText()
        for _ in 0..<(try input.count(atLeastBytesEach: 3)) {
            network.references.append(Reference(footnote: try input.optionalNumber(), url: try input.optionalText(), title: try input.optionalText()))
        }
        network.statedMemberCount = try input.flag() ? StatedCount(count: try input.signed(), text: try input.text()) : nil
        network.hostedBy = try input.optionalText()
        for _ in 0..<(try input.count(atLeastBytesEach: 3)) {
            network.relations.append(Relation(type: try input.value(), target: try input.text(), note: try input.optionalText()))
        }
        for _ in 0..<(try input.count(atLeastBytesEach: 5)) {
            let heading = try input.optionalText()
            let role: Role? = try input.flag() ? try input.value() : nil
            let statedCount = try input.optionalNumber()
            let text = try input.text()
            let length = try input.count(atLeastBytesEach: 1)
            guard let entries = MemberEntries(packed: Array(try input.take(length))) else {
                throw Unreadable(reason: "the member list of \(network.slug) is not one")
            }
            network.groups.append(MemberGroup(heading: heading, role: role, statedCount: statedCount, text: text, entries: entries))
        }
        network.notes = try input.optionalText()
        for _ in 0..<(try input.count(atLeastBytesEach: 2)) {
            let field: SourcedField = try input.field()
            network.sources[field] = try input.text()
        }
        for _ in 0..<(try input.count(atLeastBytesEach: 1)) { network.translations.insert(try input.field()) }
        return network
    }

    /// A short fingerprint of a text for a key's tag (the change a revision made): sixteen hexadecimal digits.
    public static func fingerprint(_ text: String) -> String {
        let value = checksum(Array(text.utf8))
        return String(value, radix: 16).leftPadded(to: 16)
    }

    /// The checksum of bytes at once.
    static func checksum(_ bytes: [UInt8]) -> UInt64 {
        var sum = Checksum()
        sum.add(bytes)
        return sum.value
    }
}

private extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}

/// A 64-bit checksum, taken eight bytes at a time on four lanes (a snapshot is hundreds of megabytes, read at every
/// start), fed in pieces of any size: it finds a damaged or cut file; it is no defence against someone who can write it.
struct Checksum {
    private static let prime: UInt64 = 0x9E37_79B9_7F4A_7C15
    private var lanes: (UInt64, UInt64, UInt64, UInt64) = (0x243F_6A88_85A3_08D3, 0x1319_8A2E_0370_7344, 0xA409_3822_299F_31D0, 0x082E_FA98_EC4E_6C89)
    /// Bytes of a block of 32 not yet complete.
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    private static func mix(_ lane: UInt64, _ word: UInt64) -> UInt64 {
        let value = (lane ^ word) &* prime
        return value ^ (value >> 29)
    }

    mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { add($0) }
    }

    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        length += UInt64(bytes.count)
        var rest = bytes[...]
        if !pending.isEmpty {
            let taken = rest.prefix(32 - pending.count)
            pending.append(contentsOf: taken)
            rest = rest.dropFirst(taken.count)
            guard pending.count == 32 else { return }
            let block = pending
            pending = []
            block.withUnsafeBytes { blocks($0) }
        }
        let whole = rest.count / 32 * 32
        blocks(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: rest.prefix(whole))))
        pending.append(contentsOf: rest.dropFirst(whole))
    }

    private mutating func blocks(_ raw: UnsafeRawBufferPointer) {
        var offset = 0
        while offset + 32 <= raw.count {
            lanes.0 = Self.mix(lanes.0, raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            lanes.1 = Self.mix(lanes.1, raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            lanes.2 = Self.mix(lanes.2, raw.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
            lanes.3 = Self.mix(lanes.3, raw.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
            offset += 32
        }
    }

    var value: UInt64 {
        var sum = Self.mix(Self.mix(Self.mix(lanes.0, lanes.1), lanes.2), lanes.3)
        for byte in pending { sum = Self.mix(sum, UInt64(byte) | 0x100) }
        return Self.mix(sum, length)
    }
}

/// The encodings of numbers and texts `SnapshotFile` and `MemberEntries` share: LEB128 for counts and lengths, zigzag
/// LEB128 for signed numbers, a text as its UTF-8 length and bytes.
enum Bytes {
    static func appendNumber(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    static func zigzag(_ value: Int) -> UInt64 { UInt64(bitPattern: Int64(value) << 1 ^ Int64(value) >> 63) }
    static func unzigzag(_ value: UInt64) -> Int { Int(Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)) }

    static func appendText(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            appendNumber(UInt64(utf8.count), to: &bytes)
            bytes.append(contentsOf: utf8)
        }
    }

    /// A LEB128 number that ends within the bytes and fits in 64 bits (the cursor after it), or nil.
    static func checkedNumber(_ buffer: UnsafeBufferPointer<UInt8>, _ cursor: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while cursor < buffer.count, shift < 64 {
            let byte = buffer[cursor]
            cursor += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }

    /// Whether the bytes are UTF-8: ASCII checked byte by byte (most texts), others by the standard library.
    static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 < 0x80 } || String(validating: bytes, as: UTF8.self) != nil
    }

    /// The text `bytes` hold, nil when they are not UTF-8: ASCII (most texts) decoded without validating twice.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        bytes.allSatisfy { $0 < 0x80 } ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
    }
}

/// Bytes written one value after another, as `SnapshotFile` lays them out.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func integer<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func number(_ value: UInt64) {
        Bytes.appendNumber(value, to: &bytes)
    }

    mutating func signed(_ value: Int) {
        number(Bytes.zigzag(value))
    }

    mutating func flag(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    mutating func text(_ value: String) {
        Bytes.appendText(value, to: &bytes)
    }

    mutating func optionalText(_ value: String?) {
        flag(value != nil)
        if let value { text(value) }
    }

    mutating func texts(_ values: [String]) {
        number(UInt64(values.count))
        for value in values { text(value) }
    }

    mutating func optionalNumber(_ value: Int?) {
        flag(value != nil)
        if let value { signed(value) }
    }

    mutating func optionalDate(_ value: PartialDate?) {
        flag(value != nil)
        if let value { integer(value.packed) }
    }

    mutating func value<V: Vocabulary>(_ value: V) {
        text(value.rawValue)
    }

    mutating func values<V: Vocabulary>(_ values: [V]) {
        texts(values.map(\.rawValue))
    }
}

/// Reads what `ByteWriter` wrote, every read checked against the bytes left.
struct ByteReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var cursor = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - cursor }

    private func corrupt(_ what: String) -> SnapshotFile.Unreadable {
        SnapshotFile.Unreadable(reason: "\(what) at byte \(cursor)")
    }

    mutating func take(_ count: Int) throws -> UnsafeBufferPointer<UInt8> {
        guard count >= 0, count <= remaining else { throw corrupt("it ends inside a value") }
        defer { cursor += count }
        return UnsafeBufferPointer(rebasing: bytes[cursor..<(cursor + count)])
    }

    mutating func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let slice = try take(MemoryLayout<T>.size)
        var value = T.zero
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(slice)) }
        return T(littleEndian: value)
    }

    mutating func number() throws -> UInt64 {
        guard let value = Bytes.checkedNumber(bytes, &cursor) else { throw corrupt("a number runs past its end") }
        return value
    }

    /// A count of values each taking at least `size` bytes: more than the bytes left could hold is damage (and must not
    /// reserve room for it).
    mutating func count(atLeastBytesEach size: Int) throws -> Int {
        let value = try number()
        guard value <= UInt64(remaining / max(1, size)) else { throw corrupt("a count of \(value) is more than the file holds") }
        return Int(value)
    }

    mutating func signed() throws -> Int {
        Bytes.unzigzag(try number())
    }

    mutating func flag() throws -> Bool {
        switch try take(1).first {
        case 0: false
        case 1: true
        default: throw corrupt("a yes-or-no byte is neither")
        }
    }

    mutating func text() throws -> String {
        let length = try count(atLeastBytesEach: 1)
        guard let text = Bytes.text(try take(length)) else { throw corrupt("a text is not UTF-8") }
        return text
    }

    mutating func optionalText() throws -> String? {
        try flag() ? try text() : nil
    }

    mutating func texts() throws -> [String] {
        try (0..<(try count(atLeastBytesEach: 1))).map { _ in try text() }
    }

    mutating func optionalNumber() throws -> Int? {
        try flag() ? try signed() : nil
    }

    mutating func optionalDate() throws -> PartialDate? {
        guard try flag() else { return nil }
        let packed = try integer(Int32.self)
        guard let date = PartialDate(checkedPacked: packed) else { throw corrupt("a date \(packed) is not one") }
        return date
    }

    mutating func value<V: Vocabulary>() throws -> V {
        let text = try text()
        guard let value = V(rawValue: text) else { throw corrupt("\(text) is not a \(V.vocabularyName)") }
        return value
    }

    mutating func values<V: Vocabulary>() throws -> [V] {
        try (0..<(try count(atLeastBytesEach: 1))).map { _ in try value() }
    }

    mutating func field() throws -> SourcedField {
        let text = try text()
        guard let field = SourcedField(rawValue: text) else { throw corrupt("\(text) is not a field with a source") }
        return field
    }
}
