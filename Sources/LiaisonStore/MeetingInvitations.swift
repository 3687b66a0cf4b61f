import Foundation
import LiaisonCore
import SQLKit

extension CatalogueStore {
    /// One person to invite, with the hash of their answer link and the mail that carries it.
    public struct Invitee: Sendable {
        public let invitation: MeetingInvitation
        public let tokenHash: String
        public let mail: MailMessage

        public init(invitation: MeetingInvitation, tokenHash: String, mail: MailMessage) {
            self.invitation = invitation
            self.tokenHash = tokenHash
            self.mail = mail
        }
    }

    /// Invites each person not yet invited to the meeting and queues their mail, in one transaction; returns how
    /// many were invited (those invited before are left as they are).
    public func invite(_ invitees: [Invitee], at date: Date) async throws -> Int {
        let now = Timestamp.string(date)
        return try await driver.transaction { db in
            var invited = 0
            for invitee in invitees {
                let invitation = invitee.invitation
                let inserted = try await db.raw("""
                    INSERT INTO meeting_invitations (meeting_id, email, name, language, network, token_hash, status, invited_at)
                    VALUES (\(bind: invitation.meetingID), \(bind: invitation.email), \(bind: invitation.name), \(bind: invitation.language.rawValue),
                        \(bind: invitation.network), \(bind: invitee.tokenHash), 'invited', \(bind: now))
                    ON CONFLICT (meeting_id, email) DO NOTHING RETURNING id
                    """).first()
                guard inserted != nil else { continue }
                _ = try await Self.enqueue(db, invitee.mail, at: date)
                invited += 1
            }
            return invited
        }
    }

    /// The meetings to come that a network's people are invited to (not cancelled, soonest first).
    public func upcomingMeetings(network: String, at date: Date, limit: Int = 10) async throws -> [Meeting] {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT * FROM meetings m WHERE m.cancelled = 0 AND m.ends_at >= \(bind: Timestamp.string(date))
                    AND EXISTS (SELECT 1 FROM meeting_invitations i WHERE i.meeting_id = m.id AND i.network = \(bind: network)
                                AND i.status <> 'declined')
                ORDER BY m.starts_at, m.id LIMIT \(bind: limit)
                """).all().map(Self.meeting)
        }
    }

    /// A person's invitations to meetings that have not ended, with their meetings, soonest first.
    public func invitations(email: String, at date: Date, limit: Int = 50) async throws -> [(invitation: MeetingInvitation, meeting: Meeting)] {
        try await driver.withDatabase { db in
            let invitations = try await db.raw("""
                SELECT i.* FROM meeting_invitations i JOIN meetings m ON m.id = i.meeting_id
                WHERE i.email = \(bind: email) AND m.ends_at >= \(bind: Timestamp.string(date)) ORDER BY m.starts_at, i.id LIMIT \(bind: limit)
                """).all().map(Self.invitation)
            // Their meetings in one query, not one a row.
            let ids = Array(Set(invitations.map(\.meetingID)))
            guard !ids.isEmpty else { return [] }
            let meetings = Dictionary(uniqueKeysWithValues: try await db.raw("SELECT * FROM meetings WHERE id IN (\(binds: ids))").all()
                .map(Self.meeting).compactMap { meeting in meeting.id.map { ($0, meeting) } })
            return invitations.compactMap { invitation in meetings[invitation.meetingID].map { (invitation, $0) } }
        }
    }

    /// The invitation an answer link belongs to (nil once used, or for no invitation).
    public func invitation(tokenHash: String) async throws -> MeetingInvitation? {
        try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM meeting_invitations WHERE token_hash = \(bind: tokenHash)").first().map(Self.invitation)
        }
    }

    /// A meeting's invitations, by network then name.
    public func invitations(meetingID: Int64) async throws -> [MeetingInvitation] {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT * FROM meeting_invitations WHERE meeting_id = \(bind: meetingID) ORDER BY network, name, id LIMIT 5000
                """).all().map(Self.invitation)
        }
    }

    /// What an answer did: where the person now stands, and who moved up from the waiting list.
    public struct Answer: Sendable {
        public let invitation: MeetingInvitation
        public let promoted: [MeetingInvitation]
    }

    /// Answers an invitation by its link. Yes (from someone not yet answered) gives a place if one is left (and one
    /// of the network's, with a quota), else a place on the waiting list; no (from anyone who has not declined)
    /// frees their place, which goes to the first on the waiting list it fits, in the order they answered. Each
    /// link works once: whoever has or waits for a place gets a new one (`newToken`), to withdraw later. Serialised,
    /// so that two answers at once cannot take the same last place; the mails (`mail`, given the new link's token)
    /// are queued in the same transaction (`movedUp`: for one who moved up from the waiting list). Nil: no invitation has
    /// this link.
    public func answerInvitation(tokenHash: String, accept: Bool, capacity: Int?, quotaPerNetwork: Int?, at date: Date,
                                 newToken: @escaping @Sendable () -> (token: String, hash: String),
                                 mail: @escaping @Sendable (_ invitation: MeetingInvitation, _ token: String?, _ movedUp: Bool) throws -> MailMessage?) async throws -> Answer? {
        let now = Timestamp.string(date)
        let postgres = driver.dialect == .postgresql
        return try await driver.transaction { db in
            if postgres { try await db.raw("SELECT pg_advisory_xact_lock(\(bind: Self.invitationLock))").run() }
            guard var invitation = try await db.raw("SELECT * FROM meeting_invitations WHERE token_hash = \(bind: tokenHash)").first()
                .map(Self.invitation), let id = invitation.id else { return nil }
            let meeting = invitation.meetingID
            let before = invitation.status
            if accept && before != .invited { return Answer(invitation: invitation, promoted: []) }
            if accept {
                invitation.status = try await Self.hasPlace(for: invitation.network, meeting: meeting, capacity: capacity, quota: quotaPerNetwork, db)
                    ? .registered : .waiting
            } else {
                invitation.status = .declined
            }
            invitation.answeredAt = date
            let token = accept ? newToken() : nil
            try await db.raw("""
                UPDATE meeting_invitations SET status = \(bind: invitation.status.rawValue), answered_at = \(bind: now), token_hash = \(bind: token?.hash)
                WHERE id = \(bind: id)
                """).run()
            if let message = try mail(invitation, token?.token, false) { _ = try await Self.enqueue(db, message, at: date) }
            let promoted = before == .registered
                ? try await Self.promoteWaiting(db, meeting: meeting, capacity: capacity, quota: quotaPerNetwork, at: date, newToken: newToken,
                                                mail: { try mail($0, $1, true) })
                : []
            return Answer(invitation: invitation, promoted: promoted)
        }
    }

    /// Gives the places now free to those waiting — after the organiser raised the capacity or the places per network,
    /// or removed either — each with their mail, serialised with the answers. Returns who moved up.
    public func promoteWaiting(meetingID: Int64, capacity: Int?, quotaPerNetwork: Int?, at date: Date,
                               newToken: @escaping @Sendable () -> (token: String, hash: String),
                               mail: @escaping @Sendable (_ invitation: MeetingInvitation, _ token: String) throws -> MailMessage?)
        async throws -> [MeetingInvitation]
    {
        let postgres = driver.dialect == .postgresql
        return try await driver.transaction { db in
            if postgres { try await db.raw("SELECT pg_advisory_xact_lock(\(bind: Self.invitationLock))").run() }
            return try await Self.promoteWaiting(db, meeting: meetingID, capacity: capacity, quota: quotaPerNetwork, at: date, newToken: newToken,
                                                 mail: mail)
        }
    }

    /// The places free go to those waiting, in the order they answered, the first whose network's places allow.
    static func promoteWaiting(_ db: any SQLDatabase, meeting: Int64, capacity: Int?, quota: Int?, at date: Date,
                               newToken: () -> (token: String, hash: String),
                               mail: (MeetingInvitation, String) throws -> MailMessage?) async throws -> [MeetingInvitation] {
        let waiting = try await db.raw("""
            SELECT * FROM meeting_invitations WHERE meeting_id = \(bind: meeting) AND status = 'waiting' ORDER BY answered_at, id LIMIT 10000
            """).all().map(Self.invitation)
        var promoted: [MeetingInvitation] = []
        for var next in waiting {
            guard try await Self.hasPlace(for: next.network, meeting: meeting, capacity: capacity, quota: quota, db), let nextID = next.id else { continue }
            let token = newToken()
            try await db.raw("""
                UPDATE meeting_invitations SET status = 'registered', token_hash = \(bind: token.hash) WHERE id = \(bind: nextID)
                """).run()
            next.status = .registered
            if let message = try mail(next, token.token) { _ = try await Self.enqueue(db, message, at: date) }
            promoted.append(next)
        }
        return promoted
    }

    /// A reminder an invitation is due: `answer` (invited three days ago or more, no answer, registration open),
    /// `week` and `day` (registered, the meeting starting within seven days or one).
    public enum ReminderKind: String, Sendable, CaseIterable {
        case answer, week, day
    }

    /// The reminders due at `date`, each invitation's most pressing one only, for meetings not cancelled and still to
    /// start.
    public func dueReminders(at date: Date, limit: Int = 500) async throws -> [(invitation: MeetingInvitation, kind: ReminderKind)] {
        let now = Timestamp.string(date)
        let week = Timestamp.string(date.addingTimeInterval(7 * 86_400)), day = Timestamp.string(date.addingTimeInterval(86_400))
        let answeredLate = Timestamp.string(date.addingTimeInterval(-3 * 86_400))
        return try await driver.withDatabase { db in
            let rows = try await db.raw("""
                SELECT i.*, m.starts_at AS meeting_starts, m.registration_deadline AS meeting_deadline FROM meeting_invitations i
                JOIN meetings m ON m.id = i.meeting_id
                WHERE m.cancelled = 0 AND m.starts_at > \(bind: now) AND (
                    (i.status = 'invited' AND i.invited_at <= \(bind: answeredLate) AND i.reminders NOT LIKE '%answer%'
                        AND (m.registration_deadline IS NULL OR m.registration_deadline > \(bind: now)))
                    OR (i.status = 'registered' AND m.starts_at <= \(bind: week) AND i.reminders NOT LIKE '%week%')
                    OR (i.status = 'registered' AND m.starts_at <= \(bind: day) AND i.reminders NOT LIKE '%day%'))
                ORDER BY i.id LIMIT \(bind: limit)
                """).all()
            return try rows.map { row in
                let invitation = try Self.invitation(row)
                let starts = try row.decode(column: "meeting_starts", as: String.self)
                let kind: ReminderKind = invitation.status == .invited ? .answer : (starts <= day ? .day : .week)
                return (invitation, kind)
            }
        }
    }

    /// Records a reminder and queues its mail, with the new answer link it carries (the earlier one stops working),
    /// in one transaction. A day's reminder counts for the week's too. Nothing is done when the person's answer changed
    /// since the reminder was chosen (someone who just declined gets no link again); returns whether it was sent.
    @discardableResult
    public func remind(_ invitationID: Int64, kind: ReminderKind, tokenHash: String, mail: MailMessage, at date: Date) async throws -> Bool {
        let kinds = kind == .day ? " week day" : " " + kind.rawValue
        let status = kind == .answer ? InvitationStatus.invited : .registered
        return try await driver.transaction { db in
            guard try await db.raw("""
                UPDATE meeting_invitations SET reminders = reminders || \(bind: kinds), token_hash = \(bind: tokenHash)
                WHERE id = \(bind: invitationID) AND status = \(bind: status.rawValue) RETURNING id
                """).first() != nil else { return false }
            _ = try await Self.enqueue(db, mail, at: date)
            return true
        }
    }

    static func hasPlace(for network: String?, meeting: Int64, capacity: Int?, quota: Int?, _ db: any SQLDatabase) async throws -> Bool {
        if let capacity {
            let taken = try await db.raw("""
                SELECT count(*) AS n FROM meeting_invitations WHERE meeting_id = \(bind: meeting) AND status = 'registered'
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            if taken >= capacity { return false }
        }
        if let quota, let network {
            let taken = try await db.raw("""
                SELECT count(*) AS n FROM meeting_invitations WHERE meeting_id = \(bind: meeting) AND status = 'registered'
                    AND network = \(bind: network)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            if taken >= quota { return false }
        }
        return true
    }

    /// The key of the lock that serialises answers on PostgreSQL ("meetings" in ASCII).
    static let invitationLock: Int64 = 0x6D_6565_7469_6E67

    static func invitation(_ row: any SQLRow) throws -> MeetingInvitation {
        let statusText = try row.decode(column: "status", as: String.self)
        guard let status = InvitationStatus(rawValue: statusText) else {
            throw StoredDataError(column: "meeting_invitations.status", value: statusText, rule: "must be a status of an invitation")
        }
        let invited = try row.decode(column: "invited_at", as: String.self)
        guard let invitedAt = Timestamp.date(invited) else {
            throw StoredDataError(column: "meeting_invitations.invited_at", value: invited, rule: "must be a time")
        }
        return MeetingInvitation(
            id: try row.decode(column: "id", as: Int64.self), meetingID: try row.decode(column: "meeting_id", as: Int64.self),
            email: try row.decode(column: "email", as: String.self), name: try row.decode(column: "name", as: String.self),
            language: try Language.parse(try row.decode(column: "language", as: String.self), field: "meeting_invitations.language"),
            network: try row.decode(column: "network", as: String?.self), status: status, invitedAt: invitedAt,
            answeredAt: try row.decode(column: "answered_at", as: String?.self).flatMap(Timestamp.date))
    }
}
