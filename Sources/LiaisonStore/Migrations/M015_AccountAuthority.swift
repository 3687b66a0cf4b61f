/// The authority a person works for, as they state it on their account page: the people whose directory entry they
/// open see it among who viewed their entry.
let m015AccountAuthority = Migration(version: 15, name: "account authority") { _ in
    ["ALTER TABLE accounts ADD COLUMN authority TEXT"]
}
