import Foundation

/// The catalogue as a flat table, one membership a row: the open-data view for spreadsheets.
public enum MembershipTable {
    public static let header = [
        "network_slug", "network_name", "network_acronym", "section", "party_id", "party_kind", "party_code",
        "party_name_en", "party_name_fr", "role", "as_printed", "heading", "since", "until", "source",
    ]

    public static func rows(_ catalogue: Catalogue) -> [[String]] {
        catalogue.networks.flatMap { rows($0, in: catalogue) }
    }

    /// One network's rows.
    public static func rows(_ network: Network, in catalogue: Catalogue) -> [[String]] {
        network.memberships.map { membership in
            let party = catalogue.party(id: membership.partyID)
            return [
                network.slug, network.name, network.acronym ?? "", network.section.rawValue, membership.partyID,
                party?.kind.rawValue ?? "", party?.code ?? "", party?.nameEN ?? "", party?.nameFR ?? "",
                membership.role.rawValue, membership.asPrinted, membership.heading ?? "",
                membership.since?.description ?? "", membership.until?.description ?? "", Self.source(membership),
            ]
        }
    }

    /// Where a membership comes from: its note, or the report's footnote.
    static func source(_ membership: Membership) -> String {
        membership.note ?? membership.sourceFootnote.map { "CDPC (2017) 1, footnote \($0)" } ?? ""
    }

    /// RFC 4180 CSV (`Escaper.csvField`: quoted where needed, no text a spreadsheet takes for a formula); lines end with CRLF.
    public static func csv(_ catalogue: Catalogue) -> String {
        ([header] + rows(catalogue)).map { $0.map { Escaper.csvField($0) }.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
