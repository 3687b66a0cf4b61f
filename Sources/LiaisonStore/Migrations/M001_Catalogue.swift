/// The index of memberships by party; a large import drops it and builds it again once its rows are in.
let membershipsPartyIndex = "CREATE INDEX memberships_party ON memberships (party_id, role)"

/// The catalogue: parties, networks and their parts, and the append-only revision log.
let m001Catalogue = Migration(version: 1, name: "catalogue") { dialect in
    let roles = "'member','observer','associate','partner','operational-partner','contact-point','cooperation-agreement','liaison-prosecutor','sub-network'"
    let sequence = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    var statements = [
        """
        CREATE TABLE parties (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('state','subdivision','territory','organisation','network')),
            name_en TEXT NOT NULL,
            name_fr TEXT NOT NULL,
            network_slug TEXT
        )
        """,
        """
        CREATE TABLE networks (
            slug TEXT PRIMARY KEY,
            name TEXT NOT NULL CHECK (name <> ''),
            acronym TEXT,
            other_names TEXT NOT NULL,
            printed_name TEXT,
            section TEXT NOT NULL CHECK (section IN ('european','non-european')),
            row_number INTEGER,
            scope TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('active','dormant','defunct','project-ended','unknown')),
            status_since TEXT,
            status_until TEXT,
            status_note TEXT,
            founded TEXT,
            website TEXT,
            stated_count INTEGER CHECK (stated_count >= 0),
            stated_count_text TEXT,
            hosted_by TEXT REFERENCES parties(id),
            notes TEXT
        )
        """,
        """
        CREATE TABLE network_purposes (
            network_slug TEXT NOT NULL REFERENCES networks(slug) ON DELETE CASCADE,
            language TEXT NOT NULL CHECK (language IN ('en','fr')),
            purpose TEXT NOT NULL,
            PRIMARY KEY (network_slug, language)
        )
        """,
        """
        CREATE TABLE network_terms (
            network_slug TEXT NOT NULL REFERENCES networks(slug) ON DELETE CASCADE,
            vocabulary TEXT NOT NULL CHECK (vocabulary IN ('member_type','crime_area','instrument')),
            position INTEGER NOT NULL,
            term TEXT NOT NULL,
            PRIMARY KEY (network_slug, vocabulary, position),
            UNIQUE (network_slug, vocabulary, term)
        )
        """,
        """
        CREATE TABLE network_references (
            network_slug TEXT NOT NULL REFERENCES networks(slug) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            footnote INTEGER,
            url TEXT,
            title TEXT,
            PRIMARY KEY (network_slug, position)
        )
        """,
        """
        CREATE TABLE relations (
            network_slug TEXT NOT NULL REFERENCES networks(slug) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            type TEXT NOT NULL CHECK (type IN ('hosts','partner','mou','successor-of','same-as')),
            target_slug TEXT NOT NULL REFERENCES networks(slug),
            note TEXT,
            PRIMARY KEY (network_slug, position),
            CHECK (target_slug <> network_slug)
        )
        """,
        """
        CREATE TABLE member_groups (
            network_slug TEXT NOT NULL REFERENCES networks(slug) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            heading TEXT,
            role TEXT CHECK (role IN (\(roles))),
            stated_count INTEGER CHECK (stated_count >= 0),
            text TEXT NOT NULL,
            PRIMARY KEY (network_slug, position)
        )
        """,
        """
        CREATE TABLE memberships (
            network_slug TEXT NOT NULL,
            group_position INTEGER NOT NULL,
            position INTEGER NOT NULL,
            party_id TEXT NOT NULL REFERENCES parties(id),
            role TEXT NOT NULL CHECK (role IN (\(roles))),
            role_override INTEGER NOT NULL CHECK (role_override IN (0, 1)),
            as_printed TEXT NOT NULL CHECK (as_printed <> ''),
            since TEXT,
            until TEXT,
            source_footnote INTEGER,
            note TEXT,
            PRIMARY KEY (network_slug, group_position, position),
            FOREIGN KEY (network_slug, group_position) REFERENCES member_groups(network_slug, position) ON DELETE CASCADE
        )
        """,
        membershipsPartyIndex,
        """
        CREATE TABLE other_entries (
            network_slug TEXT NOT NULL,
            group_position INTEGER NOT NULL,
            position INTEGER NOT NULL,
            party_id TEXT REFERENCES parties(id),
            role TEXT CHECK (role IN (\(roles))),
            as_printed TEXT NOT NULL CHECK (as_printed <> ''),
            note TEXT,
            PRIMARY KEY (network_slug, group_position, position),
            FOREIGN KEY (network_slug, group_position) REFERENCES member_groups(network_slug, position) ON DELETE CASCADE,
            CHECK (party_id IS NULL OR role IS NULL)
        )
        """,
        """
        CREATE TABLE revisions (
            seq \(sequence),
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            actor TEXT NOT NULL,
            at TEXT NOT NULL,
            change TEXT NOT NULL,
            reason TEXT NOT NULL
        )
        """,
        "CREATE INDEX revisions_entity ON revisions (entity, entity_id, seq)",
    ]
    // The revision log is append-only: the database itself refuses to change or remove a revision.
    if dialect == .sqlite {
        statements += [
            "CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END",
            "CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END",
        ]
    } else {
        statements += [
            """
            CREATE FUNCTION revisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'revisions are append-only'; END $$
            """,
            "CREATE TRIGGER revisions_no_change BEFORE UPDATE OR DELETE ON revisions FOR EACH ROW EXECUTE FUNCTION revisions_append_only()",
        ]
    }
    return statements
}
