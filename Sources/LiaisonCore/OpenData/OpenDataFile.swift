import Foundation

/// The catalogue's open-data files, as `/data` serves them and `liaison export` writes them: each written a network
/// at a time (`write`), so that a large catalogue is never held whole as text.
public enum OpenDataFile: String, CaseIterable, Sendable {
    case networksCSV = "networks.csv"
    case membershipsCSV = "memberships.csv"
    case json = "catalogue.json"
    case jsonl = "catalogue.jsonl"
    case jsonld = "catalogue.jsonld"

    public var mediaType: String {
        switch self {
        case .networksCSV, .membershipsCSV: "text/csv; charset=utf-8"
        case .json: "application/json"
        case .jsonl: "application/jsonl"
        case .jsonld: LinkedData.mediaType
        }
    }

    /// Writes the file for `catalogue` piece by piece: `emit` is given the header, then each network's part, then the
    /// end. `site`: the public address the linked data names things by.
    public func write(_ catalogue: Catalogue, site: String, emit: (Data) throws -> Void) throws {
        switch self {
        case .networksCSV:
            try emit(Self.csvLine(NetworkTable.header))
            for network in catalogue.networks { try emit(Self.csvLine(NetworkTable.row(network))) }
        case .membershipsCSV:
            try emit(Self.csvLine(MembershipTable.header))
            for network in catalogue.networks {
                try emit(Data(MembershipTable.rows(network, in: catalogue).map { Self.csvText($0) }.joined().utf8))
            }
        case .json where catalogue.networks.isEmpty:
            try emit(try CatalogueFile.encoder().encode(CatalogueFile(networks: [])) + Data("\n".utf8))
        case .json:
            // What `CatalogueFile.encoder()` writes for the whole file, a network at a time: each network's object
            // pretty-printed alone and indented to its place in the array (the tests compare both, byte for byte).
            let encoder = CatalogueFile.encoder()
            try emit(Data("{\n  \"format\" : \"\(CatalogueFile.formatName)\",\n  \"networks\" : [".utf8))
            for (index, network) in catalogue.networks.enumerated() {
                let object = String(decoding: try encoder.encode(CatalogueFile.NetworkRecord(network)), as: UTF8.self)
                let indented = object.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? $0 : "    " + $0 }.joined(separator: "\n")
                try emit(Data(((index == 0 ? "\n" : ",\n") + indented).utf8))
            }
            try emit(Data("\n  ]\n}\n".utf8))
        case .jsonl:
            let encoder = JSONLines.lineEncoder()
            for network in catalogue.networks {
                var line = try JSONLines.line(network, encoder: encoder)
                line.append(UInt8(ascii: "\n"))
                try emit(line)
            }
        case .jsonld:
            let context = try JSONSerialization.data(withJSONObject: LinkedData.context(site: site), options: [.withoutEscapingSlashes])
            try emit(Data("{\"@context\":".utf8) + context + Data(",\"@graph\":[".utf8))
            let hosts = LinkedData.Hosts(catalogue)
            for (index, network) in catalogue.networks.enumerated() {
                let node = try JSONSerialization.data(withJSONObject: LinkedData.node(network, in: catalogue, hosts: hosts, site: site),
                                                      options: [.sortedKeys, .withoutEscapingSlashes])
                try emit(Data((index == 0 ? "\n" : ",\n").utf8) + node)
            }
            try emit(Data("\n]}\n".utf8))
        }
    }

    /// The whole file (for small catalogues and tests).
    public func data(_ catalogue: Catalogue, site: String) throws -> Data {
        var data = Data()
        try write(catalogue, site: site) { data.append($0) }
        return data
    }

    static func csvText(_ fields: [String]) -> String {
        fields.map { Escaper.csvField($0) }.joined(separator: ",") + "\r\n"
    }

    static func csvLine(_ fields: [String]) -> Data { Data(csvText(fields).utf8) }
}
