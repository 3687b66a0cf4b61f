/// A second factor being set up belongs to the session that shows its key, not to the account: a key that
/// someone else saw (another session of the same password) can never become the account's.
let m004SessionSecondFactorKey = Migration(version: 4, name: "session second-factor key") { _ in
    ["ALTER TABLE sessions ADD COLUMN second_factor_key TEXT"]
}
