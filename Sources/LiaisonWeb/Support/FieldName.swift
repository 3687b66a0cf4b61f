import LiaisonCore

/// The names of the fields of the site's forms, declared once: handlers read them by these names (a misspelt
/// name does not compile); the templates write the same names in their `name` attributes, and the hostile-input
/// suite sends every field it finds in them.
enum FieldName: String, Sendable {
    case acronym
    case action
    case agendaEn = "agenda_en"
    case agendaFr = "agenda_fr"
    case answer
    case attachments
    case audience
    case authority
    case available247 = "available_24_7"
    case body
    case bodyEn = "body_en"
    case bodyFr = "body_fr"
    case capacity
    case choices
    case closes
    case code
    case condition
    case conferenceURL = "conference_url"
    case confirm
    case consentBasis = "consent_basis"
    case consentDate = "consent_date"
    case countries
    case country
    case crimeAreas = "crime_areas"
    case csv
    case csvFile = "csv_file"
    case currentPassword = "current_password"
    case date
    case decisionReason = "decision_reason"
    case displayName = "display_name"
    case documents
    case email
    case emails
    case ends
    case fact
    case file
    case format
    case founded
    case function
    case helpEn = "help_en"
    case helpFr = "help_fr"
    case homepage
    case hostedBy = "hosted_by"
    case individualPublic = "individual_public"
    case instruments
    case introductionEn = "introduction_en"
    case introductionFr = "introduction_fr"
    case kind
    case language
    case languages
    case licence
    case link
    case members
    case memberTypes = "member_types"
    case message
    case minutesEn = "minutes_en"
    case minutesFr = "minutes_fr"
    case mode
    case name
    case nameFr = "name_fr"
    case nameFrTranslated = "name_fr_translated"
    case purposeFrTranslated = "purpose_fr_translated"
    case networks
    case newEmail = "new_email"
    case newPassword = "new_password"
    case next
    case notes
    case openMembership = "open_membership"
    case other
    case otherNames = "other_names"
    case password
    case passwordAgain = "password_again"
    case people
    case phones
    case place
    case post
    case printedName = "printed_name"
    case proposerEmail = "proposer_email"
    case proposerName = "proposer_name"
    case purposeEn = "purpose_en"
    case purposeFr = "purpose_fr"
    case quotaPerNetwork = "quota_per_network"
    case reason
    case references
    case registrationDeadline = "registration_deadline"
    case relations
    case removals
    case report
    case required
    case resultsVisibility = "results_visibility"
    case revision
    case role
    case roles
    case scale
    case scope
    case section
    case series
    case slug
    case source
    case space
    case start
    case starts
    case statedMemberCount = "stated_member_count"
    case status
    case statusNote = "status_note"
    case statusSince = "status_since"
    case statusUntil = "status_until"
    case step
    case subject
    case subjectEn = "subject_en"
    case subjectFr = "subject_fr"
    case summaryEn = "summary_en"
    case summaryFr = "summary_fr"
    case textEn = "text_en"
    case textFr = "text_fr"
    case timeZone = "time_zone"
    case title
    case titleEn = "title_en"
    case titleFr = "title_fr"
    case translation
    case translationOf = "translation_of"
    case urgentPhone = "urgent_phone"
    case version
    case visibility
    case visibleNetworks = "visible_networks"
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
