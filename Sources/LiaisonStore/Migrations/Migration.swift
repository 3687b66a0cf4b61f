import SQLKit

/// One step of the schema's history. Migrations are numbered, applied in order, recorded in
/// `schema_migrations`, and never edited once shipped: a change is a new migration.
struct Migration: Sendable {
    let version: Int
    let name: String
    /// The statements, given the dialect (`sqlite` or `postgresql`), for the few places the two differ.
    let statements: @Sendable (_ dialect: SQLDialect) -> [String]
}

enum Migrations {
    /// Every migration, in order.
    static let all: [Migration] = [m001Catalogue, m002Outbox, m003Accounts, m004SessionSecondFactorKey, m005Liveness, m006Proposals, m007FieldSources, m008RequestLog,
                                   m009OtherEntryDates, m010RevisionAction, m011ProposalReference, m012NetworkFunction,
                                   m013Directory, m014DirectoryReminders,
                                   m015AccountAuthority, m016DirectoryLookups, m017DirectoryIndexes,
                                   m018Meetings, m019OutboxCalendar, m020MeetingInvitations,
                                   m021InvitationReminders, m022OutboxHeaders, m023MailingLists, m024Bounces,
                                   m025Library, m026Discussions, m027PostAttachments, m028DiscussionFollows, m029LibraryGeneration, m030Surveys,
                                   m031SurveyMerges, m032FrenchCatalogue, m033RevisionNotices]
}
