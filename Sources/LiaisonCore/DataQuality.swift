import Foundation

/// A problem in the catalogue's data, with the evidence a curator needs to fix it.
public struct DataProblem: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case duplicateNetwork = "duplicate-network"
        case duplicateParty = "duplicate-party"
        case countMismatch = "count-mismatch"
        case emptyMemberList = "empty-member-list"
        case truncatedList = "truncated-list"
        case unresolvedParty = "unresolved-party"
        case referenceWithoutURL = "reference-without-url"
        case noReference = "no-reference"
    }

    public let kind: Kind
    /// The network the problem is in.
    public let network: String
    /// The other network, for a duplicate.
    public let otherNetwork: String?
    /// What was found, in words.
    public let evidence: String
}

/// The data-quality report: every problem in a catalogue, in network order.
public struct DataQualityReport: Sendable {
    public let problems: [DataProblem]

    public init(catalogue: Catalogue) {
        var problems: [DataProblem] = []
        problems += Self.duplicateNetworks(catalogue.networks)
        for network in catalogue.networks {
            problems += Self.problems(in: network)
        }
        self.problems = problems
    }

    public func problems(of kind: DataProblem.Kind) -> [DataProblem] {
        problems.filter { $0.kind == kind }
    }

    /// Pairs of networks that are likely the same: the same name words once acronyms, possessives, plurals
    /// and common words ("network", "project", …) are set aside (`DuplicateCheck.nameWords`), or a declared
    /// same-as relation. Each pair is reported once.
    static func duplicateNetworks(_ networks: [Network]) -> [DataProblem] {
        var byKey: [String: [Network]] = [:]
        for network in networks {
            let key = DuplicateCheck.nameWords(network.name).sorted().joined(separator: " ")
            // A name of common words only says nothing about sameness.
            guard !key.isEmpty else { continue }
            byKey[key, default: []].append(network)
        }
        var pairs: [String: (Network, Network, [String])] = [:]
        func add(_ a: Network, _ b: Network, _ reason: String) {
            let (first, second) = a.slug < b.slug ? (a, b) : (b, a)
            pairs["\(first.slug) \(second.slug)", default: (first, second, [])].2.append(reason)
        }
        for group in byKey.values where group.count > 1 {
            for i in group.indices {
                for j in group.indices where j > i {
                    add(group[i], group[j], "the same name (“\(group[i].name)” and “\(group[j].name)”)")
                }
            }
        }
        let bySlug = Dictionary(uniqueKeysWithValues: networks.map { ($0.slug, $0) })
        for network in networks {
            for relation in network.relations where relation.type == .sameAs {
                if let other = bySlug[relation.target] {
                    add(network, other, "a same-as relation from \(network.slug) to \(other.slug)")
                }
            }
        }
        return pairs.keys.sorted().compactMap { key in
            guard let (first, second, reasons) = pairs[key] else { return nil }
            let rows = [first, second].map(Self.location).joined(separator: " and ")
            return DataProblem(kind: .duplicateNetwork, network: first.slug, otherNetwork: second.slug,
                               evidence: "listed twice: \(rows); evidence: " + reasons.joined(separator: "; "))
        }
    }

    static func location(_ network: Network) -> String {
        let row = network.row.map { "row \($0) of the \(network.section.label(.en).lowercased()) table" } ?? "no row of its own"
        return "\(network.slug) (\(row))"
    }

    static func problems(in network: Network) -> [DataProblem] {
        var found: [DataProblem] = []
        func add(_ kind: DataProblem.Kind, _ evidence: String) {
            found.append(DataProblem(kind: kind, network: network.slug, otherNetwork: nil, evidence: evidence))
        }
        let entries = network.groups.flatMap(\.entries)
        if entries.isEmpty {
            let stated = (network.groups.compactMap { group in
                group.statedCount.map { "\($0) under “\(group.heading ?? "")”: “\(group.text)”" }
            }
                + [network.statedMemberCount.map { "“\($0.text)”" }].compactMap { $0 })
            add(.emptyMemberList, stated.isEmpty
                ? "the member list is empty"
                : "no member is listed, although the report states " + stated.joined(separator: ", "))
        }
        // The same party with the same role and the same printed label more than once.
        var seen: [String: Int] = [:]
        for membership in network.memberships {
            let key = "\(membership.partyID) \(membership.role.rawValue) \(PartyDirectory.key(membership.asPrinted))"
            seen[key, default: 0] += 1
            if seen[key] == 2 {
                add(.duplicateParty, "“\(membership.asPrinted)” (\(membership.partyID)) is listed more than once as \(membership.role.label(.en))")
            }
        }
        if !entries.isEmpty {
            for group in network.groups {
                if let stated = group.statedCount, stated != group.entries.count {
                    add(.countMismatch, "“\(group.heading ?? "the list")” states \(stated) but lists \(group.entries.count)")
                }
            }
            if let stated = network.statedMemberCount {
                let listed = network.groups.filter { $0.role != nil }.reduce(0) { $0 + $1.entries.count }
                if stated.count != listed {
                    add(.countMismatch, "“\(stated.text)” states \(stated.count) but \(listed) are listed")
                }
            }
        }
        for group in network.groups {
            let text = group.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.hasSuffix(",") || text.hasSuffix(";") || text.hasSuffix(":") {
                let tail = text.suffix(40)
                add(.truncatedList, "the list\(group.heading.map { " “\($0)”" } ?? "") breaks off: “…\(tail)”")
            }
            for entry in group.entries where entry.partyID == nil {
                add(.unresolvedParty, "“\(entry.printed)”\(group.heading.map { " under “\($0)”" } ?? "") resolves to no known party")
            }
        }
        for reference in network.references where reference.url == nil {
            add(.referenceWithoutURL, "footnote \(reference.footnote.map(String.init) ?? "?") has no URL")
        }
        if network.references.isEmpty {
            add(.noReference, "the network has no reference")
        }
        return found
    }
}
