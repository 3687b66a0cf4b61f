/// What a refused save of a survey answer needs to merge, and what reminders need to wait for: each save keeps the
/// answers it left (a form made from that revision and refused later is merged against them), and each person named
/// keeps when they were asked (no reminder stage that fell before). Rows written before have neither: NULL.
let m031SurveyMerges = Migration(version: 31, name: "survey merges") { _ in
    [
        "ALTER TABLE survey_response_edits ADD COLUMN answers TEXT",
        "ALTER TABLE survey_people ADD COLUMN asked_at TEXT",
    ]
}
