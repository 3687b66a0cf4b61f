import Foundation
import LiaisonCore

/// `/overlaps` as a picture: the networks whose members overlap most, on a circle, joined by lines as thick as their
/// overlap, and by dashed lines where one hosts the other; each network named and linked. Drawn on the server as
/// SVG; the table of the same pairs is beside it.
struct GraphPicture {
    struct Node {
        let url: String
        let label: String
        let short: String
        let x: String
        let y: String
        let textX: String
        let textY: String
        let anchor: String
    }

    struct Edge {
        let x1: String
        let y1: String
        let x2: String
        let y2: String
        let width: String
        let dashed: Bool
        let label: String
    }

    let title: String
    let description: String
    let size: Int
    let nodes: [Node]
    let edges: [Edge]

    static let size = 720
    static let radius = 250.0

    /// `pairs`: the overlaps to draw (most similar first).
    init(pairs: [Overlaps.Pair], catalogue: Catalogue, t: Localizer) {
        let percent = FloatingPointFormatStyle<Double>.Percent.percent.precision(.fractionLength(0)).locale(Locale(identifier: t.language.rawValue))
        // The networks of the pairs, European first, each by name: neighbours on the circle are alike.
        var slugs: [String: Network] = [:]
        for pair in pairs {
            slugs[pair.first.slug] = pair.first
            slugs[pair.second.slug] = pair.second
        }
        let networks = slugs.values.sorted {
            ($0.section.rawValue, $0.displayName) < ($1.section.rawValue, $1.displayName)
        }
        let center = Double(Self.size) / 2
        var place: [String: (x: Double, y: Double, angle: Double)] = [:]
        for (index, network) in networks.enumerated() {
            let angle = 2 * Double.pi * Double(index) / Double(max(networks.count, 1)) - Double.pi / 2
            place[network.slug] = (center + Self.radius * cos(angle), center + Self.radius * sin(angle), angle)
        }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        nodes = networks.map { network in
            let at = place[network.slug]!
            let right = cos(at.angle) >= 0
            return Node(url: "/networks/\(network.slug)", label: network.localizedDisplayName(t.language),
                        short: network.acronym ?? String(network.localizedName(t.language).prefix(18)),
                        x: number(at.x), y: number(at.y), textX: number(at.x + (right ? 10 : -10)), textY: number(at.y + 4),
                        anchor: right ? "start" : "end")
        }
        var edges = pairs.compactMap { pair -> Edge? in
            guard let a = place[pair.first.slug], let b = place[pair.second.slug] else { return nil }
            return Edge(x1: number(a.x), y1: number(a.y), x2: number(b.x), y2: number(b.y), width: number(1 + 7 * pair.similarity), dashed: false,
                        label: t.format("graph_overlap", ["first": pair.first.localizedDisplayName(t.language), "second": pair.second.localizedDisplayName(t.language),
                                                          "similarity": pair.similarity.formatted(percent)]))
        }
        // Hosted-by links between networks of the picture.
        for network in networks {
            guard let host = network.hostedBy.flatMap({ catalogue.party(id: $0)?.networkSlug }), let a = place[host], let b = place[network.slug] else { continue }
            edges.append(Edge(x1: number(a.x), y1: number(a.y), x2: number(b.x), y2: number(b.y), width: "1.5", dashed: true,
                              label: t.format("graph_hosts", ["host": slugs[host]?.localizedDisplayName(t.language) ?? host,
                                                                "network": network.localizedDisplayName(t.language)])))
        }
        self.edges = edges
        title = t["graph_title"]
        description = t.format("graph_description", ["networks": networks.count, "pairs": pairs.count])
        size = Self.size
    }
}
