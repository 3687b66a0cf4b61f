import Foundation

/// The catalogue as a flat table, one network a row: the open-data view for spreadsheets beside `MembershipTable`.
/// Lists inside a cell are joined by "; ".
public enum NetworkTable {
    public static let header = [
        "slug", "name", "name_fr", "acronym", "other_names", "section", "scope", "status", "status_since", "status_until", "function",
        "open_membership", "founded", "website", "hosted_by", "member_types", "crime_areas", "instruments", "memberships",
        "stated_member_count", "relations", "purpose_en", "purpose_fr", "translated",
    ]

    /// One network's row.
    public static func row(_ network: Network) -> [String] {
        [
            network.slug, network.name, network.nameFR ?? "", network.acronym ?? "", network.otherNames.joined(separator: "; "), network.section.rawValue,
            network.scope.rawValue, network.status.value.rawValue, network.status.since?.description ?? "",
            network.status.until?.description ?? "", network.function?.rawValue ?? "", network.openMembership ? "yes" : "no",
            network.founded?.description ?? "", network.website ?? "", network.hostedBy ?? "",
            network.memberTypes.map(\.rawValue).joined(separator: "; "), network.crimeAreas.map(\.rawValue).joined(separator: "; "),
            network.instruments.map(\.rawValue).joined(separator: "; "), String(network.membershipCount),
            network.statedMemberCount.map { String($0.count) } ?? "",
            network.relations.map { "\($0.type.rawValue): \($0.target)" }.joined(separator: "; "),
            network.purpose[.en] ?? "", network.purpose[.fr] ?? "", (network.translatedRecords ?? []).joined(separator: "; "),
        ]
    }

    /// RFC 4180 CSV, lines ending with CRLF.
    public static func csv(_ catalogue: Catalogue) -> String {
        ([header] + catalogue.networks.map(row)).map { $0.map { Escaper.csvField($0) }.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
