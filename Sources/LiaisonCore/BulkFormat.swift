import Foundation

/// Reads JSON Lines: one network a line, either in the bulk format of the synthetic benchmark catalogue
/// (`{"id", "slug", "name", "acronym", "region", "purpose", "founded", "status", "memberships": [{"country_code", "role"}]}`)
/// or as a record of the catalogue's own format (what `liaison export --format jsonl` writes).
///
/// Bulk values outside Liaison's vocabularies are mapped, and the mapping is recorded, never dropped:
/// region → scope (`Asia-Pacific` → `asia-pacific`), status `inactive` → dormant, `dissolved` → defunct,
/// `proposed` → unknown, each with a status note saying what the file said.
public enum JSONLines {
    /// Reads every line; throws `ImportFailure` with each bad line's number, field and reason.
    /// - Parameter progress: called now and then with the number of lines read so far.
    private static let membershipsKey = Array("\"memberships\"".utf8)

    /// Whether `needle` occurs in `haystack`: a plain byte scan (Data's generic `firstRange(of:)` took an
    /// eighth of a large import).
    static func contains(_ haystack: Data.SubSequence, _ needle: [UInt8]) -> Bool {
        haystack.withUnsafeBytes { bytes in
            guard let first = needle.first, bytes.count >= needle.count else { return false }
            var index = 0
            let last = bytes.count - needle.count
            while index <= last {
                if bytes[index] == first {
                    var matched = 1
                    while matched < needle.count, bytes[index + matched] == needle[matched] { matched += 1 }
                    if matched == needle.count { return true }
                }
                index += 1
            }
            return false
        }
    }

    /// The networks one slice of records makes, and the problems it has.
    struct Made: Sendable {
        var networks: [Network] = []
        var errors: [InputError] = []
    }

    /// The lines of `data` without their line breaks, empty ones included (a byte scan: Data's generic `split` took
    /// a sixth of a large import, before any line was decoded).
    static func lines(_ data: Data) -> [Data.SubSequence] {
        let ends: [Int] = data.withUnsafeBytes { bytes in
            var ends: [Int] = []
            guard let base = bytes.baseAddress else { return ends }
            var offset = 0
            while offset < bytes.count, let found = memchr(base + offset, Int32(UInt8(ascii: "\n")), bytes.count - offset) {
                let end = base.distance(to: UnsafeRawPointer(found))
                ends.append(end)
                offset = end + 1
            }
            return ends
        }
        var lines: [Data.SubSequence] = []
        lines.reserveCapacity(ends.count + 1)
        var start = 0
        for end in ends {
            lines.append(data[(data.startIndex + start)..<(data.startIndex + end)])
            start = end + 1
        }
        lines.append(data[(data.startIndex + start)..<data.endIndex])
        return lines
    }

    /// One slice of records made networks and checked: the records of the catalogue's own format, and the bulk lines.
    static func make(records: ArraySlice<(line: Int, record: CatalogueFile.NetworkRecord)>, bulk: ArraySlice<(line: Int, record: BulkRecord)>,
                     directory: PartyDirectory, networkSlugs: Set<String>, source: String) -> (records: Made, bulk: Made) {
        var fromRecords = Made(), fromBulk = Made()
        for (line, record) in records {
            var problems = ProblemList()
            if let network = record.network(path: "", directory: directory, networkSlugs: networkSlugs, problems: &problems) {
                fromRecords.networks.append(network)
            }
            fromRecords.errors += problems.errors.map { $0.located(source: source, line: line) }
        }
        for (line, record) in bulk {
            do {
                fromBulk.networks.append(try record.network(directory: directory))
            } catch let error as InputError {
                fromBulk.errors.append(error.located(source: source, line: line))
            } catch {
                fromBulk.errors.append(.invalidInput(source: source, line: line, field: nil, reason: "\(error)"))
            }
        }
        return (fromRecords, fromBulk)
    }

    /// What one slice of lines decodes to.
    struct DecodedSlice: Sendable {
        var records: [(line: Int, record: CatalogueFile.NetworkRecord)] = []
        var bulk: [(line: Int, record: BulkRecord)] = []
        var errors: [InputError] = []
        var lastLine = 0
    }

    static func decode(_ lines: ArraySlice<Data.SubSequence>, firstLine: Int, source: String) -> DecodedSlice {
        let decoder = CatalogueFile.decoder()
        var result = DecodedSlice()
        for (offset, line) in lines.enumerated() {
            let lineNumber = firstLine + offset
            result.lastLine = lineNumber
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) { continue }
            do {
                if contains(line, membershipsKey) {
                    result.bulk.append((lineNumber, try BulkLineReader.read(line) ?? decoder.decode(BulkRecord.self, from: Data(line))))
                } else {
                    result.records.append((lineNumber, try decoder.decode(CatalogueFile.NetworkRecord.self, from: Data(line))))
                }
            } catch let error as DecodingError {
                result.errors.append(.invalidInput(source: source, line: lineNumber, field: error.path, reason: error.reason))
            } catch {
                result.errors.append(.invalidInput(source: source, line: lineNumber, field: nil, reason: "\(error)"))
            }
            if result.errors.count >= 100 { break }
        }
        return result
    }

    public static func networks(
        _ data: Data, source: String, directory: PartyDirectory = .standard, existingNetworks: Set<String> = [],
        progress: (Int) -> Void = { _ in }
    ) throws -> [Network] {
        // Lines are decoded in parallel, a slice of lines per task, and put back in line order.
        let lines = Self.lines(data)
        let lineNumber = lines.count
        let sliceCount = max(1, min(lines.count / 500, ProcessInfo.processInfo.activeProcessorCount * 4))
        let slices = Parallel.map(0..<sliceCount) { slice in
            let range = (lines.count * slice / sliceCount)..<(lines.count * (slice + 1) / sliceCount)
            return decode(lines[range], firstLine: range.lowerBound + 1, source: source)
        }
        var records: [(line: Int, record: CatalogueFile.NetworkRecord)] = []
        var bulk: [(line: Int, record: BulkRecord)] = []
        var problems = ProblemList()
        for decoded in slices {
            records += decoded.records
            bulk += decoded.bulk
            problems.errors += decoded.errors
            progress(min(decoded.lastLine, data.last == UInt8(ascii: "\n") ? lineNumber - 1 : lineNumber))
        }
        problems.errors = Array(problems.errors.prefix(100))
        progress(data.last == UInt8(ascii: "\n") ? lineNumber - 1 : lineNumber)
        if !problems.errors.isEmpty { throw ImportFailure(errors: problems.errors) }

        var seen: [String: Int] = [:]
        for (line, slug) in records.map({ ($0.line, $0.record.slug) }) + bulk.map({ ($0.line, $0.record.slug) }) {
            if let first = seen[slug] {
                problems.errors.append(.invalidInput(source: source, line: line, field: "slug",
                                                     reason: "“\(slug)” is used more than once (also line \(first))"))
            } else {
                seen[slug] = line
            }
        }
        let slugs = existingNetworks.union(seen.keys)
        let stubs = records.map { Network(slug: $0.record.slug, name: $0.record.name, acronym: $0.record.acronym,
                                          otherNames: $0.record.otherNames ?? [], section: .european, scope: .global) }
        let directory = directory.adding(networks: stubs)
        // Records are made networks and checked in parallel too, a slice of each kind at a time; every record's network
        // (the catalogue's own format) comes before every bulk line's, each kind in line order, as the errors do.
        let made = Parallel.map(0..<sliceCount) { [records, bulk] slice in
            make(records: records[(records.count * slice / sliceCount)..<(records.count * (slice + 1) / sliceCount)],
                 bulk: bulk[(bulk.count * slice / sliceCount)..<(bulk.count * (slice + 1) / sliceCount)],
                 directory: directory, networkSlugs: slugs, source: source)
        }
        let parts = made.map(\.records) + made.map(\.bulk)
        var networks: [Network] = []
        networks.reserveCapacity(records.count + bulk.count)
        for part in parts { networks += part.networks }
        problems.errors += parts.flatMap(\.errors)
        if !problems.errors.isEmpty { throw ImportFailure(errors: problems.errors) }
        return networks
    }

    /// One line per network, in the catalogue's own format.
    public static func encode(_ networks: [Network]) throws -> Data {
        let encoder = lineEncoder()
        var data = Data()
        for network in networks {
            data.append(try line(network, encoder: encoder))
            data.append(UInt8(ascii: "\n"))
        }
        return data
    }

    /// A network as one compact object of the data-file format, keys sorted (a line without its line break; what
    /// the revision log keeps and the change feed gives). A loop over many networks passes one `lineEncoder()`.
    public static func line(_ network: Network, encoder: JSONEncoder = lineEncoder()) throws -> Data {
        try encoder.encode(CatalogueFile.NetworkRecord(network))
    }

    /// The data-file format's encoder, compact.
    public static func lineEncoder() -> JSONEncoder {
        let encoder = CatalogueFile.encoder()
        encoder.outputFormatting.remove(.prettyPrinted)
        return encoder
    }
}

/// One line of the benchmark's bulk format.
struct BulkRecord: Decodable, Sendable, Equatable {
    var id: Int?
    var slug: String
    var name: String
    var acronym: String?
    var region: String
    var purpose: String?
    var founded: Int?
    var status: String
    var memberships: [BulkMembership]

    struct BulkMembership: Decodable, Sendable, Equatable {
        var countryCode: String
        var role: String
    }

    static let regions: [String: Scope] = [
        "Global": .global, "Europe": .europe, "Africa": .africa, "Americas": .americas,
        "Asia-Pacific": .asiaPacific, "Eurasia": .eurasia, "Middle East and North Africa": .middleEastNorthAfrica,
    ]
    static let statuses: [String: NetworkStatusValue] = [
        "inactive": .dormant, "dissolved": .defunct, "proposed": .unknown,
    ]

    func network(directory: PartyDirectory) throws -> Network {
        try Rules.checkSlug(slug, field: "slug")
        try Rules.checkNotEmpty(name, field: "name")
        try TextRules.checkLine(name, field: "name", limit: 300)
        if let acronym { try TextRules.checkLine(acronym, field: "acronym", limit: 40) }
        guard let scope = Self.regions[region] ?? Scope(rawValue: region) else {
            throw InputError.invalidValue(
                field: "region", value: region,
                rule: "must be one of: " + Self.regions.keys.sorted().joined(separator: ", ") + " (or a Liaison scope)")
        }
        let status: NetworkStatus
        if let value = NetworkStatusValue(rawValue: self.status) {
            status = NetworkStatus(value: value)
        } else if let mapped = Self.statuses[self.status] {
            status = NetworkStatus(value: mapped, note: "imported status: \(self.status)")
        } else {
            throw InputError.invalidValue(
                field: "status", value: self.status,
                rule: "must be one of: " + (NetworkStatusValue.allCases.map(\.rawValue) + Self.statuses.keys.sorted()).joined(separator: ", "))
        }
        let entries = try memberships.enumerated().map { i, membership -> MemberEntry in
            guard let party = directory.party(id: membership.countryCode), party.isCountryLevel else {
                throw InputError.invalidValue(field: "memberships[\(i)].country_code", value: membership.countryCode,
                                                  rule: "must be an ISO 3166 code of a known state, territory or subdivision")
            }
            let role = try Role.parse(membership.role, field: "memberships[\(i)].role")
            return MemberEntry(printed: party.id, partyID: party.id, role: role)
        }
        return Network(
            slug: slug, name: name, acronym: acronym, section: scope == .europe ? .european : .nonEuropean,
            scope: scope, purpose: purpose.map { [.en: $0] } ?? [:], status: status,
            founded: try founded.map { year in
                // A year as four digits: String(format:) would print a larger number cut or wrapped.
                guard (1...9999).contains(year) else {
                    throw InputError.invalidValue(field: "founded", value: String(year), rule: "must be a year from 1 to 9999")
                }
                return try PartialDate(String(format: "%04d", year), field: "founded")
            },
            groups: entries.isEmpty ? [] : [MemberGroup(heading: nil, role: nil, text: "", entries: entries)])
    }
}
