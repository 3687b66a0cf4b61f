/// Entries that are not memberships (a name that resolves to no party, a party the source says takes no part)
/// keep their dates and the report's footnote like memberships do (before, a file or form that gave them lost them).
let m009OtherEntryDates = Migration(version: 9, name: "other entries' dates") { _ in
    [
        "ALTER TABLE other_entries ADD COLUMN since TEXT",
        "ALTER TABLE other_entries ADD COLUMN until TEXT",
        "ALTER TABLE other_entries ADD COLUMN source_footnote INTEGER",
    ]
}
