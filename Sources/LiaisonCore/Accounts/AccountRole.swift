import Foundation

/// What a person may do on the platform. Each role includes what the roles before it may do, except that a
/// focal point maintains only the networks assigned to them.
public enum AccountRole: String, Vocabulary {
    /// Anyone, signed in or not: the public catalogue, proposals.
    case visitor
    /// A verified member of a judicial, prosecutorial or law-enforcement authority: may see restricted information.
    case practitioner
    /// Maintains the entries of the networks assigned to them.
    case focalPoint = "focal_point"
    /// The platform's secretariat: curates every entry, reviews proposals, invites.
    case editor
    /// Accounts, roles and settings.
    case administrator

    public static let vocabularyName = "account_role"

    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.visitor, .en): "visitor"
        case (.visitor, .fr): "visiteur"
        case (.practitioner, .en): "practitioner"
        case (.practitioner, .fr): "praticien"
        case (.focalPoint, .en): "focal point"
        case (.focalPoint, .fr): "point focal"
        case (.editor, .en): "editor"
        case (.editor, .fr): "éditeur"
        case (.administrator, .en): "administrator"
        case (.administrator, .fr): "administrateur"
        }
    }

    /// Roles an account can hold (a visitor has no account).
    public static let assignable: [AccountRole] = [.practitioner, .focalPoint, .editor, .administrator]

    /// Parses a role an account can hold, or throws an error naming the field, the value and those roles.
    public static func parseAssignable(_ raw: String, field: String) throws -> AccountRole {
        guard let role = AccountRole(rawValue: raw), assignable.contains(role) else {
            throw InputError.invalidValue(field: field, value: raw,
                                              rule: "must be one of: " + assignable.map(\.rawValue).joined(separator: ", "))
        }
        return role
    }

    /// Editors and administrators must sign in with a second factor.
    public var requiresSecondFactor: Bool { self >= .editor }
}
