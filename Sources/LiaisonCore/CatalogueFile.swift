import Foundation

/// The catalogue's own data format (`docs/catalogue-format.md`): what people edit and what `export --format json` writes.
public struct CatalogueFile: Codable, Sendable {
    public static let formatName = "liaison-catalogue/1"

    public var format: String
    public var source: Source?
    public var networks: [NetworkRecord]

    public struct Source: Codable, Sendable, Hashable {
        public var title: String
        public var reference: String?
        public var date: String?
    }

    /// One network as written in the file: vocabulary values are plain strings here and are checked
    /// when the record becomes a `Network`, so that an error can name the field and the allowed values.
    public struct NetworkRecord: Codable, Sendable, Hashable {
        public var slug: String
        public var name: String
        /// Its name in French.
        public var nameFr: String? = nil
        public var acronym: String?
        public var otherNames: [String]?
        public var printedName: String?
        public var section: String
        public var row: Int?
        public var scope: String
        public var purpose: [String: String]?
        public var memberTypes: [String]?
        public var crimeAreas: [String]?
        public var instruments: [String]?
        public var status: StatusRecord?
        /// `operational`, `policy` or `training` (absent: not established).
        public var function: String? = nil
        /// Open to any country, its members not listed (absent: false).
        public var openMembership: Bool? = nil
        public var founded: String?
        public var website: String?
        public var references: [Reference]?
        public var statedMemberCount: StatedCount?
        public var hostedBy: String?
        public var relations: [RelationRecord]?
        public var groups: [GroupRecord]?
        public var notes: String?
        /// Where fields' values come from: one record a field.
        public var sources: [SourceRecord]? = nil
        /// The French fields that are translations written for Liaison: `name_fr`, `purpose_fr`.
        public var translated: [String]? = nil
    }

    public struct SourceRecord: Codable, Sendable, Hashable {
        public var field: String
        public var source: String

        public init(field: String, source: String) {
            self.field = field
            self.source = source
        }
    }

    public struct StatusRecord: Codable, Sendable, Hashable {
        public var value: String
        public var since: String?
        public var until: String?
        public var note: String?
    }

    public struct RelationRecord: Codable, Sendable, Hashable {
        public var type: String
        public var target: String
        public var note: String?
    }

    public struct GroupRecord: Codable, Sendable, Hashable {
        public var heading: String?
        public var role: String?
        public var statedCount: Int?
        public var text: String
        public var parties: [EntryRecord]
    }

    /// A printed name, or an object that says more about it.
    public struct EntryRecord: Codable, Sendable, Hashable {
        public var printed: String
        public var party: String?
        public var role: String?
        public var since: String?
        public var until: String?
        public var sourceFootnote: Int?
        public var note: String?

        public init(printed: String, party: String? = nil, role: String? = nil, since: String? = nil,
                    until: String? = nil, sourceFootnote: Int? = nil, note: String? = nil) {
            self.printed = printed
            self.party = party
            self.role = role
            self.since = since
            self.until = until
            self.sourceFootnote = sourceFootnote
            self.note = note
        }

        enum CodingKeys: String, CodingKey {
            case printed, party, role, since, until, sourceFootnote, note
        }

        public init(from decoder: any Decoder) throws {
            if let name = try? decoder.singleValueContainer().decode(String.self) {
                self.init(printed: name)
                return
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                printed: try c.decode(String.self, forKey: .printed), party: try c.decodeIfPresent(String.self, forKey: .party),
                role: try c.decodeIfPresent(String.self, forKey: .role), since: try c.decodeIfPresent(String.self, forKey: .since),
                until: try c.decodeIfPresent(String.self, forKey: .until),
                sourceFootnote: try c.decodeIfPresent(Int.self, forKey: .sourceFootnote),
                note: try c.decodeIfPresent(String.self, forKey: .note))
        }

        /// A plain name is written as a string; anything more as an object.
        public func encode(to encoder: any Encoder) throws {
            if party == nil, role == nil, since == nil, until == nil, sourceFootnote == nil, note == nil {
                var single = encoder.singleValueContainer()
                try single.encode(printed)
                return
            }
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(printed, forKey: .printed)
            try c.encodeIfPresent(party, forKey: .party)
            try c.encodeIfPresent(role, forKey: .role)
            try c.encodeIfPresent(since, forKey: .since)
            try c.encodeIfPresent(until, forKey: .until)
            try c.encodeIfPresent(sourceFootnote, forKey: .sourceFootnote)
            try c.encodeIfPresent(note, forKey: .note)
        }
    }
}

extension CatalogueFile {
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Reads a file in this format; a syntax or shape error names the JSON path where it was found.
    public static func decode(_ data: Data, source: String) throws -> CatalogueFile {
        do {
            let file = try decoder().decode(CatalogueFile.self, from: data)
            guard file.format == formatName else {
                throw InputError.invalidInput(
                    source: source, line: nil, field: "format",
                    reason: "“\(file.format)” is not a format this version reads (expected “\(formatName)”)")
            }
            return file
        } catch let error as DecodingError {
            throw InputError.invalidInput(source: source, line: nil, field: error.path, reason: error.reason)
        }
    }

    /// The 2017 catalogue of the CDPC report, as shipped with Liaison.
    public static func catalogue2017() throws -> CatalogueFile {
        guard let url = Bundle.module.url(forResource: "catalogue-2017", withExtension: "json") else {
            throw InputError.invalidInput(source: "catalogue-2017.json", line: nil, field: nil, reason: "is missing from the build")
        }
        return try decode(try Data(contentsOf: url), source: "catalogue-2017.json")
    }
}

extension DecodingError {
    /// The JSON path of the error, as `networks[3].groups[0].role`.
    public var path: String {
        let context: Context? = switch self {
        case let .typeMismatch(_, c), let .valueNotFound(_, c), let .dataCorrupted(c): c
        case let .keyNotFound(key, c): Context(codingPath: c.codingPath + [key], debugDescription: c.debugDescription)
        @unknown default: nil
        }
        return (context?.codingPath ?? []).reduce("") { path, key in
            if let index = key.intValue { return path + "[\(index)]" }
            return path.isEmpty ? key.stringValue : path + "." + key.stringValue
        }
    }

    /// What is wrong there, in words.
    public var reason: String {
        switch self {
        case let .typeMismatch(type, _): "has the wrong type (expected \(type))"
        case .valueNotFound: "is required"
        case .keyNotFound: "is required"
        case let .dataCorrupted(c) where c.codingPath.isEmpty: "is not valid JSON"
        case let .dataCorrupted(c): c.debugDescription
        @unknown default: "is not valid"
        }
    }
}
