import Crypto
import Foundation
import LiaisonCore
import ZIPFoundation

/// Reads an uploaded file as the library takes it: its type from its bytes (never its name), and its text for search,
/// each within limits. Every file is untrusted: a PDF is read by Debian's `pdftotext` in a process of its own, with a
/// time, memory and output limit and a page limit; an ODT or DOCX is unzipped in memory, only the one entry holding its
/// text, inflated no further than `maximumInflated` bytes (a zip bomb stops there).
public struct DocumentReader: Sendable {
    public static let maximumSize = 20 * 1024 * 1024
    /// Bytes one entry of an ODT or DOCX may inflate to.
    public static let maximumInflated = 40 * 1024 * 1024
    public static let maximumPages = 500

    /// Where `pdftotext` is (nil: the text of PDFs is not read, and each says so).
    public var pdftotext: String? = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].first { FileManager.default.isExecutableFile(atPath: $0) }
    public var timeout: Duration = .seconds(20)

    public init() {}

    /// What was read: the type, the text (cleaned, cut to `LibraryText.limit`), why there is no text if there is none,
    /// and the file's SHA-256.
    public struct Read: Sendable {
        public let type: DocumentFileType
        public let text: String
        public let note: String?
        public let sha256: String
    }

    /// Reads `bytes`; a file that is empty, too large, or of no type the library takes is refused, naming `field`.
    public func read(_ bytes: [UInt8], field: String) async throws -> Read {
        let type = try Self.type(of: bytes, field: field)
        let sha256 = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        var note: String?
        var text = ""
        switch type {
        case .text:
            text = String(decoding: bytes, as: UTF8.self)
        case .odt, .docx:
            do {
                text = OfficeText.plainText(xml: try Self.entry(type == .odt ? "content.xml" : "word/document.xml", of: bytes), limit: LibraryText.limit)
            } catch let error as InputError {
                throw error
            } catch {
                throw InputError.invalidValue(field: field, value: "(\(type.rawValue))", rule: "must be a readable \(type.rawValue.uppercased()) file")
            }
        case .pdf:
            (text, note) = try await pdfText(bytes)
        }
        text = LibraryText.clean(text)
        if note == nil, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { note = "the file holds no text to search (a scan?)" }
        return Read(type: type, text: text, note: note, sha256: sha256)
    }

    /// The type of a file from its first bytes: `%PDF-` (within its first kilobyte), a ZIP that is an ODT text
    /// (its `mimetype`) or a DOCX (`word/document.xml`), or UTF-8 text without control characters.
    static func type(of bytes: [UInt8], field: String) throws -> DocumentFileType {
        let rule = "must be a PDF, ODT, DOCX or plain text (UTF-8) file"
        guard !bytes.isEmpty else { throw InputError.missingField(field: field) }
        guard bytes.count <= maximumSize else {
            throw InputError.invalidValue(field: field, value: "\(bytes.count) bytes", rule: "must be at most \(maximumSize / 1024 / 1024) MB")
        }
        // A ZIP first: its entries may hold `%PDF-` near the start, and it is read as what it is.
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            guard let archive = try? Archive(data: Data(bytes), accessMode: .read) else {
                throw InputError.invalidValue(field: field, value: "(a ZIP archive)", rule: rule)
            }
            let type: DocumentFileType
            if let mimetype = archive["mimetype"], mimetype.uncompressedSize < 200,
               let data = try? Self.extract(mimetype, from: archive, limit: 200),
               String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "application/vnd.oasis.opendocument.text" {
                type = .odt
            } else if archive["word/document.xml"] != nil, let types = archive["[Content_Types].xml"] {
                // A macro-enabled Word file (.docm) says so in its content types, or carries its macros' project.
                let declared = (try? Self.extract(types, from: archive, limit: 1_000_000)).map { String(decoding: $0, as: UTF8.self) } ?? ""
                if archive["word/vbaProject.bin"] != nil || declared.range(of: "macroEnabled", options: .caseInsensitive) != nil {
                    throw InputError.invalidValue(field: field, value: "(a Word file with macros)", rule: "must hold no macros: save it as .docx")
                }
                type = .docx
            } else {
                throw InputError.invalidValue(field: field, value: "(a ZIP archive)", rule: rule)
            }
            // An OpenDocument file's macros and scripts live in these folders.
            if type == .odt, archive.contains(where: { $0.path.hasPrefix("Basic/") || $0.path.hasPrefix("Scripts/") }) {
                throw InputError.invalidValue(field: field, value: "(an ODT file with macros)", rule: "must hold no macros or scripts")
            }
            return type
        }
        let head = bytes.prefix(1024)
        let pdf = Array("%PDF-".utf8)
        if head.indices.contains(where: { head[$0...].starts(with: pdf) }) { return .pdf }
        guard let text = String(validating: bytes, as: UTF8.self),
              TextRules.forbiddenScalar(in: text.replacingOccurrences(of: "\u{0C}", with: "\n"), allowsLineBreaks: true) == nil
        else { throw InputError.invalidValue(field: field, value: "(binary)", rule: rule) }
        return .text
    }

    /// One entry of a ZIP, inflated at most `maximumInflated` bytes.
    static func entry(_ path: String, of bytes: [UInt8]) throws -> [UInt8] {
        let archive = try Archive(data: Data(bytes), accessMode: .read)
        guard let entry = archive[path] else { throw InputError.invalidValue(field: "file", value: path, rule: "must be in the document") }
        return try extract(entry, from: archive, limit: maximumInflated)
    }

    struct TooLarge: Error {}

    static func extract(_ entry: Entry, from archive: Archive, limit: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                out.append(contentsOf: chunk)
                if out.count > limit { throw TooLarge() }
            }
        } catch is TooLarge {
            throw InputError.invalidValue(field: "file", value: "\(entry.path) over \(limit / 1024 / 1024) MB unpacked",
                                          rule: "must unpack to at most \(limit / 1024 / 1024) MB")
        }
        return out
    }

    /// The text of a PDF by `pdftotext` (its first `maximumPages` pages), or a note saying why there is none.
    func pdfText(_ bytes: [UInt8]) async throws -> (String, String?) {
        guard let pdftotext else { return ("", "the text of PDF files is not read on this server (pdftotext is not installed)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-pdf-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("document.pdf")
        try Data(bytes).write(to: file)
        let process = BoundedProcess(executable: pdftotext, timeout: timeout, outputLimit: LibraryText.limit * 4)
        let result = try await process.run(["-q", "-l", String(Self.maximumPages), "-enc", "UTF-8", "-eol", "unix", file.path, "-"])
        let text = String(decoding: result.output, as: UTF8.self)
        if result.stopped {
            return (text, "only part of the text is searched: reading the PDF took longer or said more than allowed")
        }
        guard result.status == 0 else { return ("", "the PDF's text could not be read (it may be damaged or protected)") }
        return (text, nil)
    }
}
