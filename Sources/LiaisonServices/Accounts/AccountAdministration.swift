import Foundation
import LiaisonCore
import LiaisonStore

/// What administrators do to other people's accounts, from `/admin/accounts` or `liaison user`: give a role, disable
/// and enable, remove a lost second factor. Each change ends the account's sessions where the store says so and goes
/// to the audit log.
public struct AccountAdministration: Sendable {
    let store: CatalogueStore
    let settings: AccountSettings

    public init(accounts: AccountService) {
        store = accounts.store
        settings = accounts.settings
    }

    /// Gives an account a role. The one rule for the networks of a role: a focal point maintains at least one
    /// network, each of the catalogue; other roles keep none. `networksField` names the field in errors
    /// (`networks` on the page, `--network` on the command line).
    public func setRole(of id: Int64, to role: AccountRole, networks: [String], by actor: AuditActor,
                        networksField: String = "networks") async throws -> Account {
        let known = try await store.networkSlugs()
        for slug in networks where !known.contains(slug) {
            throw InputError.invalidValue(field: networksField, value: slug, rule: "must be the slug of a network of the catalogue")
        }
        if role == .focalPoint, networks.isEmpty { throw InputError.missingField(field: networksField) }
        return try await store.setRole(accountID: id, role: role, networks: role == .focalPoint ? networks : [], by: actor, at: settings.now())
    }

    /// Disables an account (its sessions end; it can no longer sign in), or enables it again.
    @discardableResult
    public func setDisabled(_ id: Int64, _ disabled: Bool, by actor: AuditActor) async throws -> Account {
        try await store.setDisabled(accountID: id, disabled, by: actor, at: settings.now())
    }

    /// Removes an account's second factor (a lost device): editors and administrators set up a new one at their next
    /// sign-in.
    public func removeSecondFactor(of id: Int64, by actor: AuditActor) async throws {
        try await store.disableSecondFactor(accountID: id, by: actor, at: settings.now())
    }

    /// Every account, for the administrators' list.
    public func accounts() async throws -> [Account] {
        try await store.accounts()
    }

    /// Whether an account has this id.
    public func exists(_ id: Int64) async throws -> Bool {
        try await store.storedAccount(id: id) != nil
    }

    /// The audit log, newest first, a page at a time (`before`: the id of the last line seen).
    public func auditLog(before: Int64?, limit: Int = 100) async throws -> [AuditEntry] {
        try await store.auditLog(before: before, limit: limit)
    }

    /// The id of the account with an address (`field` names it in the error).
    public func accountID(email: String, field: String = "email") async throws -> Int64 {
        guard let stored = try await store.storedAccount(email: Account.foldedEmail(email)) else {
            throw InputError.invalidValue(field: field, value: email, rule: "no account has this address")
        }
        return stored.account.id
    }
}
