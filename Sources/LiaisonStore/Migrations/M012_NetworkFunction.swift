/// What practitioners use a network for (`operational`, `policy`, `training`; NULL: not established), and whether it
/// is open to any country with its members not listed (0 or 1). The 2017 catalogue of a database seeded before has
/// neither until an editor sets them (or the catalogue is imported again).
let m012NetworkFunction = Migration(version: 12, name: "network function") { _ in
    [
        "ALTER TABLE networks ADD COLUMN network_function TEXT",
        "ALTER TABLE networks ADD COLUMN open_membership INTEGER NOT NULL DEFAULT 0",
    ]
}
