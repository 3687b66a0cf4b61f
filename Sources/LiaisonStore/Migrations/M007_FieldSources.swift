/// Each field of a network can name its own source: kept with the network as the data file writes it
/// (a JSON list of `{"field", "source"}`), NULL when no field has one.
let m007FieldSources = Migration(version: 7, name: "field sources") { _ in
    ["ALTER TABLE networks ADD COLUMN sources TEXT"]
}
