import Foundation
import LiaisonCore
import LiaisonServices

/// `/data`: each open-data file with its size, the revision and date it is of, the licence, and what it holds.
struct DataPage {
    struct File {
        let name: String
        let url: String
        let size: String
        let gzipSize: String
        let description: String
    }

    struct Column {
        let name: String
        let meaning: String
    }

    struct Table {
        let id: String
        let file: String
        let columns: [Column]
    }

    let files: [File]
    let revision: String
    let date: String
    let counts: String
    let tables: [Table]

    init(_ release: OpenDataFiles.Release, t: Localizer) {
        files = OpenDataFile.allCases.compactMap { kind in
            release.file(kind).map { file in
                File(name: kind.rawValue, url: "/data/\(kind.rawValue)", size: LibraryDocumentPage.size(file.size, t: t),
                     gzipSize: LibraryDocumentPage.size(file.gzipSize, t: t), description: t["data_file_\(Self.key(kind))"])
            }
        }
        revision = String(release.revision)
        date = t.dateTime(release.modified)
        counts = t.format("data_counts", ["networks": release.networks, "memberships": release.memberships])
        tables = [(OpenDataFile.networksCSV, NetworkTable.header), (.membershipsCSV, MembershipTable.header)].map { kind, header in
            Table(id: "columns-\(Self.key(kind))", file: kind.rawValue, columns: header.map { Column(name: $0, meaning: t["data_column_\($0)"]) })
        }
    }

    static func key(_ kind: OpenDataFile) -> String {
        switch kind {
        case .networksCSV: "networks_csv"
        case .membershipsCSV: "memberships_csv"
        case .json: "json"
        case .jsonl: "jsonl"
        case .jsonld: "jsonld"
        }
    }
}
