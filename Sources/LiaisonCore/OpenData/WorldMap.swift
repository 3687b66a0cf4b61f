import Foundation

/// The world as Liaison draws it: each country's outline (an SVG path on an Equal Earth plane) under its ISO 3166-1
/// alpha-2 code, and a point for each state or territory too small for the scale, from Natural Earth's 1:110m
/// countries (public domain), converted once by `scripts/natural-earth-map.py` into `Resources/world-110m.json`.
public struct WorldMap: Sendable {
    public enum Shape: Sendable, Equatable {
        /// An SVG path (`M…Z`).
        case area(String)
        /// A point on the plane.
        case point(x: Double, y: Double)
    }

    public let width: Double
    public let height: Double
    public let attribution: String
    let areas: [String: String]
    let points: [String: (x: Double, y: Double)]

    /// The map shipped with Liaison.
    public static let shipped: WorldMap = {
        guard let url = Bundle.module.url(forResource: "world-110m", withExtension: "json"), let data = try? Data(contentsOf: url),
              let map = try? WorldMap(json: data) else {
            preconditionFailure("Resources/world-110m.json is missing or unreadable: run scripts/natural-earth-map.py")
        }
        return map
    }()

    init(json data: Data) throws {
        struct File: Decodable {
            let attribution: String
            let width: Double
            let height: Double
            let countries: [String: String]
            let points: [String: [Double]]
        }
        let file = try JSONDecoder().decode(File.self, from: data)
        width = file.width
        height = file.height
        attribution = file.attribution
        areas = file.countries
        points = file.points.compactMapValues { $0.count == 2 ? (x: $0[0], y: $0[1]) : nil }
    }

    /// The codes the map draws an outline for.
    public var areaCodes: Set<String> { Set(areas.keys) }

    /// How a country-level party is drawn: its own outline; else its point (a small state, a territory, a
    /// subdivision the catalogue names: England and Wales, Scotland); else, for a subdivision, its state's outline;
    /// nil when the map has neither.
    public func shape(of party: Party) -> Shape? {
        guard let code = party.code else { return nil }
        if party.kind != .subdivision, let area = areas[code] { return .area(area) }
        if let point = points[code] { return .point(x: point.x, y: point.y) }
        if let state = party.countryCode, let area = areas[state] { return .area(area) }
        return nil
    }

    /// A state's outline by its code (for the background of the states no party of the picture is).
    public func area(_ code: String) -> String? { areas[code] }

    /// Every outline, for the background.
    public var allAreas: [(code: String, path: String)] { areas.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
}
