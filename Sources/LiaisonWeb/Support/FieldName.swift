import LiaisonCore

/// The names of the fields of the site's forms, declared once: handlers read them by these names (a misspelt
/// name does not compile); the templates write the same names in their `name` attributes, and the hostile-input
/// suite sends every field it finds in them.
enum FieldName: String, Sendable {
    case acronym
    case agendaEn = "agenda_en"
    case answer
    case audience
    case bodyEn = "body_en"
    case bodyFr = "body_fr"
    case countries
    case subjectEn = "subject_en"
    case subjectFr = "subject_fr"
    case people
    case agendaFr = "agenda_fr"
    case capacity
    case conferenceURL = "conference_url"
    case documents
    case ends
    case format
    case kind
    case minutesEn = "minutes_en"
    case minutesFr = "minutes_fr"
    case quotaPerNetwork = "quota_per_network"
    case registrationDeadline = "registration_deadline"
    case series
    case starts
    case summaryEn = "summary_en"
    case summaryFr = "summary_fr"
    case timeZone = "time_zone"
    case titleEn = "title_en"
    case titleFr = "title_fr"
    case authority
    case available247 = "available_24_7"
    case confirm
    case consentBasis = "consent_basis"
    case consentDate = "consent_date"
    case country
    case code
    case crimeAreas = "crime_areas"
    case csv
    case csvFile = "csv_file"
    case currentPassword = "current_password"
    case decisionReason = "decision_reason"
    case displayName = "display_name"
    case email
    case emails
    case founded
    case function
    case languages
    case phones
    case urgentPhone = "urgent_phone"
    case openMembership = "open_membership"
    case hostedBy = "hosted_by"
    case instruments
    case language
    case memberTypes = "member_types"
    case members
    case homepage
    case name
    case networks
    case newEmail = "new_email"
    case newPassword = "new_password"
    case next
    case notes
    case otherNames = "other_names"
    case password
    case passwordAgain = "password_again"
    case printedName = "printed_name"
    case proposerEmail = "proposer_email"
    case proposerName = "proposer_name"
    case purposeEn = "purpose_en"
    case purposeFr = "purpose_fr"
    case reason
    case references
    case relations
    case removals
    case report
    case revision
    case role
    case scope
    case section
    case slug
    case roles
    case source
    case statedMemberCount = "stated_member_count"
    case status
    case statusNote = "status_note"
    case statusSince = "status_since"
    case statusUntil = "status_until"
    case step
    case subject
    case message
    case place
    case visibility
    case website
}

/// The fields of one row of the members form, numbered from 0 (`party_0`, `role_0`, …).
enum MemberRowField: String, CaseIterable, Sendable {
    case party, place, role, since, until, note, remove

    func name(row: Int) -> String { "\(rawValue)_\(row)" }
}

extension Form {
    func text(_ field: MemberRowField, row: Int) -> String { text(named: field.name(row: row)) }
    func raw(_ field: MemberRowField, row: Int) -> String { fields[field.name(row: row)] ?? "" }
    /// Whether the form has a row numbered `row`.
    func hasRow(_ row: Int) -> Bool { fields[MemberRowField.party.name(row: row)] != nil || fields[MemberRowField.place.name(row: row)] != nil }

    /// The source given for a field of the entry (`source_website`).
    func source(of field: SourcedField) -> String { fields["source_\(field.rawValue)"] ?? "" }
}
