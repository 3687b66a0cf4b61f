/// Surveys of the networks: the questionnaire (sections and questions, kept as JSON: it is read and written whole,
/// its `version` counting its changes), the networks asked and the people named to answer for theirs, one answer per
/// network (its answers as JSON, a revision counting its saves, when it was submitted and under which promise of
/// publicity), who changed which questions at each save, and the reminders sent.
let m030Surveys = Migration(version: 30, name: "surveys") { dialect in
    let sequence = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    return [
        """
        CREATE TABLE surveys (
            id \(sequence),
            title_en TEXT NOT NULL,
            title_fr TEXT NOT NULL,
            introduction_en TEXT NOT NULL,
            introduction_fr TEXT NOT NULL,
            questionnaire TEXT NOT NULL,
            closes_at TEXT NOT NULL,
            results_visibility TEXT NOT NULL CHECK (results_visibility IN ('editors', 'respondents', 'everyone')),
            individual_public INTEGER NOT NULL CHECK (individual_public IN (0, 1)),
            copied_from BIGINT REFERENCES surveys(id) ON DELETE SET NULL,
            sent_at TEXT,
            closed_at TEXT,
            version INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE survey_networks (
            survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
            network TEXT NOT NULL,
            asked_at TEXT NOT NULL,
            PRIMARY KEY (survey_id, network)
        )
        """,
        "CREATE INDEX survey_networks_network ON survey_networks (network)",
        """
        CREATE TABLE survey_people (
            survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
            account_id BIGINT NOT NULL,
            network TEXT NOT NULL,
            PRIMARY KEY (survey_id, account_id, network)
        )
        """,
        "CREATE INDEX survey_people_account ON survey_people (account_id)",
        """
        CREATE TABLE survey_responses (
            survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
            network TEXT NOT NULL,
            answers TEXT NOT NULL,
            revision INTEGER NOT NULL,
            submitted_at TEXT,
            individual_public INTEGER NOT NULL DEFAULT 0 CHECK (individual_public IN (0, 1)),
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            PRIMARY KEY (survey_id, network)
        )
        """,
        """
        CREATE TABLE survey_response_edits (
            id \(sequence),
            survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
            network TEXT NOT NULL,
            revision INTEGER NOT NULL,
            account_id BIGINT,
            actor TEXT NOT NULL,
            at TEXT NOT NULL,
            changed TEXT NOT NULL,
            submitted INTEGER NOT NULL CHECK (submitted IN (0, 1)),
            UNIQUE (survey_id, network, revision)
        )
        """,
        """
        CREATE TABLE survey_reminders (
            survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
            network TEXT NOT NULL,
            stage TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            PRIMARY KEY (survey_id, network, stage)
        )
        """,
    ]
}
