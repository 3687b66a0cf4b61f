import Foundation
import Testing

/// The rules of docs/architecture.md that the compiler cannot hold (the targets share one package): read from the
/// sources themselves.
@Suite struct ArchitectureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func sources(_ target: String) throws -> [(name: String, text: String)] {
        let folder = root.appendingPathComponent("Sources/\(target)")
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return try files.filter { $0.pathExtension == "swift" }.map { ($0.lastPathComponent, try String(contentsOf: $0, encoding: .utf8)) }
    }

    @Test func theWebReachesTheDataOnlyThroughTheServices() throws {
        let web = try Self.sources("LiaisonWeb")
        #expect(web.count > 20)
        for file in web {
            #expect(!file.text.contains("CatalogueStore"), "\(file.name) names the store")
            #expect(file.text.range(of: #"\.store\b"#, options: .regularExpression) == nil, "\(file.name) reaches a store")
        }
    }

    @Test func theCommandLineReadsItsSettingsInOnePlaceAndImportsTheWebOnlyToServe() throws {
        let cli = try Self.sources("liaison")
        #expect(cli.count > 5)
        for file in cli {
            #expect(!file.text.contains("import LiaisonStore"), "\(file.name) imports the store")
            #expect(!file.text.contains("ProcessInfo.processInfo.environment"), "\(file.name) reads the environment itself")
            if file.name != "Serve.swift" { #expect(!file.text.contains("import LiaisonWeb"), "\(file.name) imports the web") }
        }
        for target in ["LiaisonWeb", "LiaisonStore", "LiaisonServices"] {
            for file in try Self.sources(target) where file.name != "Settings.swift" {
                #expect(!file.text.contains("processInfo.environment"), "\(target)/\(file.name) reads the environment")
            }
        }
    }
}
