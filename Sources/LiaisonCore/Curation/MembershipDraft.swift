import Foundation

/// A network's members as the members form sends them: each row a party, its role, since, until and a note (its
/// source). Rows of existing entries carry their place; new rows have none. `apply(to:directory:)` checks every
/// row and returns the network with its members changed, or every problem at once; entries keep their place and
/// their printed form, so that the member list as printed in the source stays readable.
public struct MembershipDraft: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// `group.entry` of an existing entry; nil for a new one.
        public var place: (group: Int, entry: Int)?
        /// The party: its id (ISO code, slug) or its name in English or French, or `Name (ID)` as the picker writes it.
        public var party: String
        public var role: String
        public var since: String
        public var until: String
        public var note: String
        public var remove: Bool

        public init(place: (group: Int, entry: Int)?, party: String, role: String, since: String = "", until: String = "", note: String = "",
                    remove: Bool = false) {
            self.place = place
            self.party = party
            self.role = role
            self.since = since
            self.until = until
            self.note = note
            self.remove = remove
        }

        public static func == (a: Row, b: Row) -> Bool {
            a.place?.group == b.place?.group && a.place?.entry == b.place?.entry && a.party == b.party && a.role == b.role
                && a.since == b.since && a.until == b.until && a.note == b.note && a.remove == b.remove
        }
    }

    public var rows: [Row]
    public var reason: String

    public init(rows: [Row], reason: String) {
        self.rows = rows
        self.reason = reason
    }

    /// The rows of a network as it stands (the form's starting values).
    public init(_ network: Network, directory: PartyDirectory) {
        rows = network.groups.enumerated().flatMap { g, group in
            group.entries.enumerated().map { e, entry in
                Row(place: (g, e), party: entry.partyID.flatMap { id in directory.party(id: id).map { Self.label($0) } } ?? entry.printed,
                    role: (entry.role ?? group.role)?.rawValue ?? "", since: entry.since?.description ?? "", until: entry.until?.description ?? "",
                    note: entry.note ?? "")
            }
        }
        reason = ""
    }

    /// How the picker names a party: `Croatia (HR)`, `Europol (europol)`.
    public static func label(_ party: Party) -> String {
        "\(party.nameEN) (\(party.id))"
    }


    public func apply(to network: Network, directory: PartyDirectory) throws -> Network {
        var problems = ProblemList()
        var groups = network.groups
        var removed: [(Int, Int)] = []
        var seen: Set<String> = []
        var places: Set<String> = []
        for (i, row) in rows.enumerated() {
            let field = "members[\(i + 1)]"
            let name = row.party.trimmingCharacters(in: .whitespaces)
            if row.place == nil, name.isEmpty { continue }
            if let place = row.place {
                guard groups.indices.contains(place.group), groups[place.group].entries.indices.contains(place.entry) else {
                    problems.errors.append(.invalidValue(field: "\(field).place", value: "\(place.group).\(place.entry)", rule: "no such entry"))
                    continue
                }
                // Each entry once: a form that names one twice (to edit and remove it, say) is not this form.
                guard places.insert("\(place.group).\(place.entry)").inserted else {
                    problems.errors.append(.duplicate(field: "\(field).place", value: "\(place.group).\(place.entry)"))
                    continue
                }
                if row.remove {
                    removed.append((place.group, place.entry))
                    continue
                }
            }
            guard problems.check({ try TextRules.checkLine(name, field: "\(field).party", limit: 300) }) != nil else { continue }
            let party = directory.lookUp(name)
            // An entry the source prints that resolves to no party stays as printed (the data-quality list names it).
            let printedOnly = row.place.map { groups[$0.group].entries[$0.entry] }.map { $0.partyID == nil && $0.printed == name } ?? false
            guard party != nil || printedOnly else {
                problems.errors.append(.invalidValue(field: "\(field).party", value: name, rule: "must name a known country or organisation (pick it from the list)"))
                continue
            }
            // No role: a party the source names as not taking part (a group without a role); only for such entries.
            let groupRole = row.place.flatMap { groups[$0.group].role }
            var role: Role?
            if row.role.isEmpty {
                guard let place = row.place, groups[place.group].role == nil else {
                    problems.errors.append(.missingField(field: "\(field).role"))
                    continue
                }
            } else {
                guard let parsed = problems.check({ try Role.parse(row.role, field: "\(field).role") }) else { continue }
                role = parsed
            }
            problems.require(party?.id != network.slug, .invalidValue(field: "\(field).party", value: name, rule: "a network cannot be its own member"))
            let key = "\(party?.id ?? "“" + name + "”")|\(role?.rawValue ?? "-")"
            problems.require(!seen.contains(key), .duplicate(field: "\(field).party", value: "\(party.map(Self.label) ?? name) as \(role?.rawValue ?? "not taking part")"))
            seen.insert(key)
            let since = row.since.trimmingCharacters(in: .whitespaces).isEmpty ? nil
                : problems.check { try PartialDate(row.since.trimmingCharacters(in: .whitespaces), field: "\(field).since") }
            let until = row.until.trimmingCharacters(in: .whitespaces).isEmpty ? nil
                : problems.check { try PartialDate(row.until.trimmingCharacters(in: .whitespaces), field: "\(field).until") }
            let note = row.note.trimmingCharacters(in: .whitespacesAndNewlines)
            _ = problems.check { try TextRules.checkLine(note, field: "\(field).note", limit: 500) }
            if let place = row.place {
                var entry = groups[place.group].entries[place.entry]
                if let party {
                    if entry.partyID != party.id { entry.printed = party.nameEN }
                    entry.partyID = party.id
                }
                entry.role = role == groupRole ? nil : role
                entry.since = since
                entry.until = until
                entry.note = note.isEmpty ? nil : note
                groups[place.group].entries[place.entry] = entry
            } else if let role, let party {
                let entry = MemberEntry(printed: party.nameEN, partyID: party.id, since: since, until: until, note: note.isEmpty ? nil : note)
                if let g = groups.firstIndex(where: { $0.role == role }) {
                    groups[g].entries.append(entry)
                } else {
                    groups.append(MemberGroup(role: role, text: "", entries: [entry]))
                }
            }
        }
        // From the last to the first, so that each removal leaves the places of the others as they were.
        for (g, e) in removed.sorted(by: { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 > $1.1 }) {
            groups[g].entries.remove(at: e)
        }
        _ = problems.check { try Rules.checkReason(reason) }
        var edited = network
        edited.groups = groups
        if problems.errors.isEmpty, edited == network {
            problems.errors.append(.invalidValue(field: "reason", value: reason, rule: "nothing was changed"))
        }
        guard problems.errors.isEmpty else { throw NetworkEditFailure(errors: problems.errors) }
        return edited
    }
}
