/// The catalogue in French: a network's French name, and which of its French texts (`name_fr`, `purpose_fr`) are
/// translations written for Liaison (space-separated; NULL: none).
let m032FrenchCatalogue = Migration(version: 32, name: "french catalogue") { _ in
    [
        "ALTER TABLE networks ADD COLUMN name_fr TEXT",
        "ALTER TABLE networks ADD COLUMN translations TEXT",
    ]
}
