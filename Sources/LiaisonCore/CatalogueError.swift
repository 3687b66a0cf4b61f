import Foundation

/// What was asked for is not in the catalogue. The web answers 404. (A value that breaks a rule is an
/// `InputError`.)
public enum CatalogueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No network has this slug.
    case networkNotFound(slug: String)
    /// No party has this id.
    case partyNotFound(id: String)
    /// No proposal has this reference (or is about this network).
    case proposalNotFound(reference: String)
    /// No entry of the directory has this id that the reader may see.
    case directoryEntryNotFound(id: Int64)
    /// No meeting has this number.
    case meetingNotFound(id: Int64)
    /// No mailing list has this slug.
    case listNotFound(slug: String)
    /// No document of the library has this number that the reader may see.
    case documentNotFound(id: Int64)
    /// The document has no file under this version's number (no such version, or a link).
    case documentFileNotFound(id: Int64, version: String)
    /// No discussion space has this address.
    case spaceNotFound(slug: String)
    /// No thread has this number that the reader may see.
    case threadNotFound(id: Int64)
    /// No message of a discussion has this number that the reader may see.
    case postNotFound(id: Int64)
    /// No survey has this number (that the reader may answer or read).
    case surveyNotFound(id: Int64)

    public var description: String {
        switch self {
        case let .networkNotFound(slug):
            "no network has the slug “\(TextRules.preview(slug))”"
        case let .partyNotFound(id):
            "no party has the id “\(TextRules.preview(id))”"
        case let .proposalNotFound(reference):
            "no proposal has the reference “\(TextRules.preview(reference))”"
        case let .directoryEntryNotFound(id):
            "no entry of the directory has the number \(id)"
        case let .meetingNotFound(id):
            "no meeting has the number \(id)"
        case let .listNotFound(slug):
            "no mailing list has the slug “\(TextRules.preview(slug))”"
        case let .documentNotFound(id):
            "no document of the library has the number \(id)"
        case let .documentFileNotFound(id, version):
            "document \(id) of the library has no file as version “\(TextRules.preview(version))” (no such version, or the version is a link)"
        case let .spaceNotFound(slug):
            "no discussion space has the address “\(TextRules.preview(slug))”"
        case let .threadNotFound(id):
            "no thread has the number \(id)"
        case let .postNotFound(id):
            "no message has the number \(id)"
        case let .surveyNotFound(id):
            "no survey has the number \(id)"
        }
    }
}
