import Foundation

/// The entries of a member list, kept packed: a catalogue of 100,000 networks holds 2.5 million of them, and as
/// `[MemberEntry]` each took 80 bytes plus a heap block for every printed name or party id longer than fifteen bytes.
/// Here an entry is a flags byte and its fields' bytes one after another (a country named "Belgium" with the party
/// `BE`: 12 bytes), with four bytes saying where it starts.
///
/// It reads and changes as an array of `MemberEntry` does: entries are built when read (a short name or id needs no
/// heap block). Two lists are equal when their entries are: the bytes are the entries' one way of being written.
public struct MemberEntries: Hashable, Sendable, RandomAccessCollection, RangeReplaceableCollection, ExpressibleByArrayLiteral {
    /// The entries one after another. Each: flags (`Flag`), the printed text, then the fields the flags name in the
    /// order of `Flag`'s cases; a text is its UTF-8 length (LEB128) and bytes, a number zigzag LEB128, a date the four
    /// bytes of its packed value, a role its position among `Role.allCases`.
    private var bytes: [UInt8]
    /// Where each entry starts in `bytes`.
    private var starts: [UInt32]

    private enum Flag: UInt8 {
        case party = 1, role = 2, since = 4, until = 8, footnote = 16, note = 32
    }

    public init() {
        bytes = []
        starts = []
    }

    public init(arrayLiteral entries: MemberEntry...) {
        self.init(entries)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { starts.count }
    public var count: Int { starts.count }

    public subscript(position: Int) -> MemberEntry {
        get { Self.decode(bytes, at: Int(starts[position])) }
        set { replaceSubrange(position..<(position + 1), with: CollectionOfOne(newValue)) }
    }

    public mutating func append(_ entry: MemberEntry) {
        starts.append(Self.offset(bytes.count))
        Self.encode(entry, into: &bytes)
    }

    public mutating func replaceSubrange<C: Collection>(_ range: Range<Int>, with entries: C) where C.Element == MemberEntry {
        let lower = range.lowerBound < starts.count ? Int(starts[range.lowerBound]) : bytes.count
        let upper = range.upperBound < starts.count ? Int(starts[range.upperBound]) : bytes.count
        var middle: [UInt8] = []
        var middleStarts: [UInt32] = []
        for entry in entries {
            middleStarts.append(Self.offset(lower + middle.count))
            Self.encode(entry, into: &middle)
        }
        let shift = middle.count - (upper - lower)
        bytes.replaceSubrange(lower..<upper, with: middle)
        let after = starts[range.upperBound...].map { Self.offset(Int($0) + shift) }
        starts.replaceSubrange(range.lowerBound..<starts.count, with: middleStarts + after)
    }

    public mutating func reserveCapacity(_ n: Int) {
        starts.reserveCapacity(n)
        bytes.reserveCapacity(n * 12)
    }

    /// Gives back the room a list grown one entry at a time keeps beyond what it holds (up to twice its size): a loader
    /// calls it once a list is whole.
    package mutating func shrinkToFit() {
        if bytes.capacity > bytes.count { bytes = [UInt8](unsafeUninitializedCapacity: bytes.count) { $1 = $0.initialize(fromContentsOf: bytes) } }
        if starts.capacity > starts.count { starts = [UInt32](unsafeUninitializedCapacity: starts.count) { $1 = $0.initialize(fromContentsOf: starts) } }
    }

    /// Whether an entry names `partyID`, read from the bytes without building the entry.
    package func entry(at position: Int, isOf partyID: String) -> Bool {
        var partyID = partyID
        return partyID.withUTF8 { wanted in
            bytes.withUnsafeBufferPointer { buffer in
                Self.party(buffer, at: Int(starts[position]))?.party.elementsEqual(wanted) ?? false
            }
        }
    }

    /// The party (its bytes) and own role of the entry starting at `start`; nil when it names no party.
    private static func party(_ buffer: UnsafeBufferPointer<UInt8>, at start: Int) -> (party: UnsafeBufferPointer<UInt8>, role: Role?)? {
        var cursor = start
        let flags = buffer[cursor]
        guard flags & Flag.party.rawValue != 0 else { return nil }
        cursor += 1
        skipText(buffer, &cursor)
        let length = Int(readNumber(buffer, &cursor))
        let party = UnsafeBufferPointer(rebasing: buffer[cursor..<(cursor + length)])
        cursor += length
        return (party, flags & Flag.role.rawValue != 0 ? roles[Int(buffer[cursor])] : nil)
    }

    /// The entries' bytes as `SnapshotFile` writes them.
    package var packed: [UInt8] { bytes }

    /// Entries from bytes `packed` gave, checked entry by entry (every length within the bytes, every text UTF-8, every
    /// role and date one): nil when they are not such bytes.
    package init?(packed: [UInt8]) {
        var starts: [UInt32] = []
        let valid = packed.withUnsafeBufferPointer { buffer -> Bool in
            var cursor = 0
            func text() -> Bool {
                guard let length = Bytes.checkedNumber(buffer, &cursor), length <= UInt64(buffer.count - cursor) else { return false }
                let end = cursor + Int(length)
                defer { cursor = end }
                return Bytes.isUTF8(UnsafeBufferPointer(rebasing: buffer[cursor..<end]))
            }
            func date() -> Bool {
                guard buffer.count - cursor >= 4 else { return false }
                return PartialDate(checkedPacked: Self.readDate(buffer, &cursor).packed) != nil
            }
            while cursor < buffer.count {
                starts.append(UInt32(cursor))
                let flags = buffer[cursor]
                cursor += 1
                let has = { (flag: Flag) in flags & flag.rawValue != 0 }
                guard flags < 64, text(), !has(.party) || text() else { return false }
                if has(.role) {
                    guard cursor < buffer.count, Int(buffer[cursor]) < Self.roles.count else { return false }
                    cursor += 1
                }
                guard !has(.since) || date(), !has(.until) || date(),
                      !has(.footnote) || Bytes.checkedNumber(buffer, &cursor) != nil, !has(.note) || text() else { return false }
            }
            return true
        }
        guard valid, packed.count <= UInt32.max else { return nil }
        self.bytes = packed
        self.starts = starts
    }

    /// Calls `body` with each entry's party and role (the entry's own, else `groupRole`), for the entries that name a
    /// party and have a role, reading only those fields from the bytes (the indexes of a snapshot read them all).
    package func forEachMembership(groupRole: Role?, _ body: (String, Role) -> Void) {
        forEachPartyEntry { party, role in
            if let role = role ?? groupRole { body(String(decoding: party, as: UTF8.self), role) }
        }
    }

    /// Calls `body` with the party of each entry that names one, role or not (an import writes a party row for each).
    package func forEachParty(_ body: (String) -> Void) {
        forEachPartyEntry { party, _ in body(String(decoding: party, as: UTF8.self)) }
    }

    /// The roles held by the entries that name a party (`partyID`, or any party when nil), the group's where an entry
    /// has none of its own, as bits of their positions in `roles`: read from the bytes without building entries (the
    /// networks of a country are filtered by it, tens of thousands per request at 100,000 networks).
    package func roleBits(of partyID: String? = nil, groupRole: Role?) -> UInt32 {
        var wanted = partyID ?? ""
        return wanted.withUTF8 { wantedBytes in
            var bits: UInt32 = 0
            forEachPartyEntry { party, role in
                guard partyID == nil || party.elementsEqual(wantedBytes), let role = role ?? groupRole else { return }
                bits |= Self.bit(role)
            }
            return bits
        }
    }

    /// Walks the entries that name a party, giving each one's party (its bytes) and its own role, if it has one.
    private func forEachPartyEntry(_ body: (_ party: UnsafeBufferPointer<UInt8>, _ role: Role?) -> Void) {
        bytes.withUnsafeBufferPointer { buffer in
            for start in starts {
                if let (party, role) = Self.party(buffer, at: Int(start)) { body(party, role) }
            }
        }
    }

    /// How many entries are memberships (a party, and a role of their own or the group's), without building them.
    package func membershipCount(groupRole: Role?) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            starts.reduce(0) { count, start in
                let flags = buffer[Int(start)]
                return count + (flags & Flag.party.rawValue != 0 && (groupRole != nil || flags & Flag.role.rawValue != 0) ? 1 : 0)
            }
        }
    }

    /// The roles whose bits `roleBits` set.
    package static func roles(in bits: UInt32) -> Set<Role> {
        Set(roles.indices.filter { bits & (1 << UInt32($0)) != 0 }.map { roles[$0] })
    }

    /// The bits `roleBits` sets for `roles`.
    package static func bits(of roles: Set<Role>) -> UInt32 {
        roles.reduce(0) { $0 | bit($1) }
    }

    /// A role's bit: its position in `roles`.
    static func bit(_ role: Role) -> UInt32 { 1 << UInt32(roles.firstIndex(of: role)!) }

    static let roles = Role.allCases

    private static func offset(_ value: Int) -> UInt32 {
        guard let offset = UInt32(exactly: value) else { preconditionFailure("a member list of more than 4 GB") }
        return offset
    }

    // MARK: Writing

    private static func encode(_ entry: MemberEntry, into bytes: inout [UInt8]) {
        var flags: UInt8 = 0
        if entry.partyID != nil { flags |= Flag.party.rawValue }
        if entry.role != nil { flags |= Flag.role.rawValue }
        if entry.since != nil { flags |= Flag.since.rawValue }
        if entry.until != nil { flags |= Flag.until.rawValue }
        if entry.sourceFootnote != nil { flags |= Flag.footnote.rawValue }
        if entry.note != nil { flags |= Flag.note.rawValue }
        bytes.append(flags)
        Bytes.appendText(entry.printed, to: &bytes)
        if let party = entry.partyID { Bytes.appendText(party, to: &bytes) }
        if let role = entry.role { bytes.append(UInt8(roles.firstIndex(of: role)!)) }
        if let since = entry.since { writeDate(since, into: &bytes) }
        if let until = entry.until { writeDate(until, into: &bytes) }
        if let footnote = entry.sourceFootnote { Bytes.appendNumber(Bytes.zigzag(footnote), to: &bytes) }
        if let note = entry.note { Bytes.appendText(note, to: &bytes) }
    }

    private static func writeDate(_ date: PartialDate, into bytes: inout [UInt8]) {
        withUnsafeBytes(of: date.packed.littleEndian) { bytes.append(contentsOf: $0) }
    }

    // MARK: Reading

    private static func decode(_ bytes: [UInt8], at start: Int) -> MemberEntry {
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = start
            let flags = buffer[cursor]
            cursor += 1
            let has = { (flag: Flag) in flags & flag.rawValue != 0 }
            let printed = readText(buffer, &cursor)
            let party = has(.party) ? readText(buffer, &cursor) : nil
            var role: Role?
            if has(.role) {
                role = roles[Int(buffer[cursor])]
                cursor += 1
            }
            let since = has(.since) ? readDate(buffer, &cursor) : nil
            let until = has(.until) ? readDate(buffer, &cursor) : nil
            var footnote: Int?
            if has(.footnote) {
                footnote = Bytes.unzigzag(readNumber(buffer, &cursor))
            }
            let note = has(.note) ? readText(buffer, &cursor) : nil
            return MemberEntry(printed: printed, partyID: party, role: role, since: since, until: until, sourceFootnote: footnote, note: note)
        }
    }

    private static func readNumber(_ buffer: UnsafeBufferPointer<UInt8>, _ cursor: inout Int) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = buffer[cursor]
            cursor += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    private static func readText(_ buffer: UnsafeBufferPointer<UInt8>, _ cursor: inout Int) -> String {
        let length = Int(readNumber(buffer, &cursor))
        defer { cursor += length }
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[cursor..<(cursor + length)]), as: UTF8.self)
    }

    private static func skipText(_ buffer: UnsafeBufferPointer<UInt8>, _ cursor: inout Int) {
        let length = Int(readNumber(buffer, &cursor))
        cursor += length
    }

    private static func readDate(_ buffer: UnsafeBufferPointer<UInt8>, _ cursor: inout Int) -> PartialDate {
        var packed: Int32 = 0
        withUnsafeMutableBytes(of: &packed) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[cursor..<(cursor + 4)])) }
        cursor += 4
        return PartialDate(packed: Int32(littleEndian: packed))
    }
}
