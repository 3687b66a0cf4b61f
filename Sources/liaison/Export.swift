import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LiaisonCore
import LiaisonServices

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the catalogue as JSON (the data-file format), JSON Lines or CSV (one membership a row).")

    @Option(help: "json (the data-file format), jsonl (one network a line), csv (one membership a row), networks-csv (one network a row) or jsonld (linked data, schema.org).")
    var format: CatalogueTransfer.Format = .json

    @Option(help: "The public address linked data names things by (default: LIAISON_PUBLIC_URL, else where serve listens).")
    var publicURL: String?

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        // Written a network at a time: to a file beside the one asked for, moved into place once whole.
        let partial = output.map { $0 + ".partial" }
        if let partial { FileManager.default.createFile(atPath: partial, contents: nil) }
        let handle = try partial.map { try FileHandle(forWritingTo: URL(fileURLWithPath: $0)) } ?? FileHandle.standardOutput
        let written: (networks: Int, memberships: Int)
        do {
            written = try await withServices(options) { services in
                let site = publicURL ?? services.accounts.settings.publicURL
                try services.transfer.export(format, site: site) { try handle.write(contentsOf: $0) }
                return (services.catalogue.snapshot.networks.count, services.catalogue.snapshot.membershipCount)
            }
        } catch {
            if let partial { try? FileManager.default.removeItem(atPath: partial) }
            throw error
        }
        let (networks, memberships) = written
        if let output, let partial {
            try handle.close()
            // rename(2): the file asked for is replaced whole, or left as it was.
            guard rename(partial, output) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: output, NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)])
            }
            say("wrote \(networks) networks (\(memberships) memberships) to \(output)")
        }
    }
}

extension CatalogueTransfer.Format: ExpressibleByArgument {}
