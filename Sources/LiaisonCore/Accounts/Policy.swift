import Foundation

/// Who is asking: a visitor, or a signed-in account with its role and the networks assigned to it.
public struct Principal: Sendable, Hashable {
    public let accountID: Int64?
    public let role: AccountRole
    /// The networks a focal point maintains (slugs).
    public let networks: Set<String>
    /// Signed in with a second factor (the directory of practitioners needs it).
    public let usesSecondFactor: Bool

    public init(accountID: Int64?, role: AccountRole, networks: Set<String> = [], usesSecondFactor: Bool = false) {
        self.accountID = accountID
        self.role = role
        self.networks = networks
        self.usesSecondFactor = usesSecondFactor
    }

    public static let visitor = Principal(accountID: nil, role: .visitor)

    public var isSignedIn: Bool { accountID != nil }
}

/// Something a person may want to do. Every route of the web application names one.
public enum Action: Sendable, Hashable {
    /// Read the public catalogue, its pages and its API.
    case readCatalogue
    /// Sign in, reset a forgotten password, accept an invitation: open to visitors.
    case signIn
    /// Manage one's own account (password, address, second factor, sessions).
    case manageOwnAccount
    /// Read what the networks restrict to practitioners (contact points).
    case readRestricted
    /// Change the entry of one network.
    case editNetwork(slug: String)
    /// Invite a person to a role (an editor: to any role up to editor; an administrator: to any).
    case invite(role: AccountRole)
    /// Review proposals from the public and from focal points.
    case reviewProposals
    /// List accounts, change their roles, disable them.
    case manageAccounts
    /// Read the audit log.
    case readAuditLog
    /// Read the restricted directory of contact points, liaison magistrates and central authorities.
    case readDirectory
    /// Read one entry of the directory, seen only by the people of some networks (nil: by every reader of the
    /// directory).
    case readDirectoryEntry(restrictedTo: Set<String>?)
    /// Import, export and curate the whole directory.
    case manageDirectory
    /// Keep an entry of the directory true: the editors, and the focal points of one of its networks.
    case maintainDirectoryEntry(networks: Set<String>)
    /// Read who viewed the directory's entries.
    case readDirectoryAccessLog
    /// Create, change and cancel meetings, and invite to them (the platform's secretariat: editors).
    case manageMeetings
    /// See a document of the library (its record, its text in a search, its files), as its visibility says.
    case readDocument(DocumentVisibility)
    /// Add a document to the library, or a version to one, about some networks: the editors, and the focal points
    /// of one of them.
    case shareDocument(networks: Set<String>)
    /// Open the library's forms for adding documents: the editors and the focal points.
    case contributeDocuments
    /// Read and write in a discussion space: a network's (nil: a topic's, open to every practitioner).
    case discuss(network: String?)
    /// Hide, restore, lock or move the posts of a space: editors, and the focal points of its network.
    case moderate(network: String?)
    /// Build, send and close surveys, see who answered and every answer (the platform's secretariat: editors).
    case manageSurveys
    /// Fill in a network's answer to a survey: its focal points, and the people the survey named to answer for it.
    case answerSurvey(network: String, named: Bool)
    /// Read a survey's results as it says who may (the editors always; `respondent`: a network the principal answers for
    /// has sent its answer).
    case readSurveyResults(ResultsVisibility, respondent: Bool)
}

extension Action {
    /// Allowed only to those signed in with a second factor (the directory of practitioners): someone refused for
    /// want of one is told so.
    public var needsSecondFactor: Bool {
        switch self {
        case .readDirectory, .readDirectoryEntry, .manageDirectory, .maintainDirectoryEntry: true
        default: false
        }
    }
}

/// The platform's permissions, in one place. Anything not allowed here is denied.
public enum Policy {
    public static func allows(_ principal: Principal, _ action: Action) -> Bool {
        let role = principal.role
        switch action {
        case .readCatalogue, .signIn:
            return true
        case .manageOwnAccount:
            return principal.isSignedIn
        case .readRestricted:
            return principal.isSignedIn && role >= .practitioner
        case let .editNetwork(slug):
            return role >= .editor || (role == .focalPoint && principal.networks.contains(slug))
        case let .invite(invited):
            switch role {
            case .administrator: return invited != .visitor
            case .editor: return invited != .visitor && invited <= .editor
            default: return false
            }
        case .reviewProposals, .manageMeetings, .manageSurveys:
            return role >= .editor
        case .manageAccounts, .readAuditLog, .readDirectoryAccessLog:
            return role == .administrator
        case .readDirectory:
            return principal.isSignedIn && role >= .practitioner && principal.usesSecondFactor
        case let .readDirectoryEntry(networks):
            guard allows(principal, .readDirectory) else { return false }
            guard let networks else { return true }
            return role >= .editor || !principal.networks.isDisjoint(with: networks)
        case .manageDirectory:
            return role >= .editor && principal.usesSecondFactor
        case let .maintainDirectoryEntry(networks):
            return allows(principal, .manageDirectory)
                || (role == .focalPoint && principal.usesSecondFactor && !principal.networks.isDisjoint(with: networks))
        case let .readDocument(visibility):
            switch visibility {
            case .everyone: return true
            case .practitioners: return allows(principal, .readRestricted)
            case let .networks(slugs):
                return principal.isSignedIn && (role >= .editor || (role >= .practitioner && !principal.networks.isDisjoint(with: slugs)))
            }
        case let .discuss(network):
            guard principal.isSignedIn, role >= .practitioner else { return false }
            guard let network else { return true }
            return role >= .editor || principal.networks.contains(network)
        case let .moderate(network):
            guard principal.isSignedIn else { return false }
            return role >= .editor || (role == .focalPoint && network.map { principal.networks.contains($0) } == true)
        case .contributeDocuments:
            return principal.isSignedIn && (role >= .editor || role == .focalPoint)
        case let .shareDocument(networks):
            return principal.isSignedIn && (role >= .editor || (role == .focalPoint && !principal.networks.isDisjoint(with: networks)))
        case let .answerSurvey(network, named):
            guard principal.isSignedIn, role >= .practitioner else { return false }
            return (role == .focalPoint && principal.networks.contains(network)) || named
        case let .readSurveyResults(visibility, respondent):
            switch visibility {
            case .everyone: return true
            case .respondents: return role >= .editor || (principal.isSignedIn && respondent)
            case .editors: return principal.isSignedIn && role >= .editor
            }
        }
    }
}
