/// Each proposal gets a reference that cannot be guessed: its proposer follows it at `/proposals/{reference}` (the
/// sequential id would let anyone read every proposal's fate). Proposals kept before have none.
let m011ProposalReference = Migration(version: 11, name: "proposal reference") { _ in
    [
        "ALTER TABLE proposals ADD COLUMN reference TEXT",
        "CREATE UNIQUE INDEX proposals_reference ON proposals (reference)",
        "CREATE INDEX proposals_network ON proposals (network_slug, status)",
    ]
}
