import Foundation
import LiaisonCore
import Testing
@testable import LiaisonStore

/// Meetings and their invitations on SQLite and PostgreSQL: the sequence, places, the quota per network, the
/// waiting list, one-time links, reminders.
@Suite struct MeetingStoreTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func meeting(capacity: Int?, quota: Int?) -> Meeting {
        Meeting(uid: "meeting-store@liaison.test", title: Bilingual(en: "Leaders", fr: "Responsables"), kind: .leadersMeeting, format: .online,
                startsAt: start.addingTimeInterval(10 * 86_400), endsAt: start.addingTimeInterval(10 * 86_400 + 3600), timeZone: "Europe/Paris",
                capacity: capacity, quotaPerNetwork: quota, createdAt: start, updatedAt: start)
    }

    static func mail(_ to: String) throws -> MailMessage {
        try MailMessage(to: to, subject: "Invitation", text: "…", language: .en, calendar: MailMessage.Calendar(method: "REQUEST", text: "BEGIN:VCALENDAR"))
    }

    @Test(arguments: Backend.available)
    func placesQuotaWaitingListAndReminders(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            var meeting = try await store.createMeeting(Self.meeting(capacity: 2, quota: 1), actor: "test")
            let id = try #require(meeting.id)
            meeting.place = "Strasbourg"
            #expect(try await store.updateMeeting(meeting, actor: "test")?.sequence == 1)
            #expect(try await store.meeting(id: id)?.place == "Strasbourg")

            let people = [("a@example.org", "ejn"), ("b@example.org", "ejn"), ("c@example.org", "carin"), ("d@example.org", nil)]
            let invitees = try people.map { email, network in
                CatalogueStore.Invitee(invitation: MeetingInvitation(meetingID: id, email: email, name: email, language: .en, network: network,
                                                                     invitedAt: Self.start),
                                       tokenHash: "hash-" + email, mail: try Self.mail(email))
            }
            #expect(try await store.invite(invitees, at: Self.start) == 4)
            #expect(try await store.invite(invitees, at: Self.start) == 0, "nobody invited twice")
            #expect(try await store.outbox().filter { $0.calendar?.method == "REQUEST" }.count == 4)

            func answer(_ email: String, _ accept: Bool, at offset: TimeInterval) async throws -> CatalogueStore.Answer? {
                try await store.answerInvitation(tokenHash: "hash-" + email, accept: accept, capacity: 2, quotaPerNetwork: 1,
                                                 at: Self.start.addingTimeInterval(offset),
                                                 newToken: { ("next", "next-" + email + "-\(offset)") }, mail: { _, _, _ in nil })
            }
            #expect(try await answer("a@example.org", true, at: 10)?.invitation.status == .registered)
            #expect(try await answer("a@example.org", true, at: 11) == nil, "the link worked once")
            #expect(try await answer("b@example.org", true, at: 20)?.invitation.status == .waiting, "the EJN's place is taken")
            #expect(try await answer("c@example.org", true, at: 30)?.invitation.status == .registered)
            #expect(try await answer("d@example.org", true, at: 40)?.invitation.status == .waiting, "no place left")
            // A withdraws (with the new link their answer gave them): B (EJN, first waiting) takes the place.
            let withdrawn = try await store.answerInvitation(tokenHash: "next-a@example.org-10.0", accept: false, capacity: 2, quotaPerNetwork: 1,
                                                             at: Self.start.addingTimeInterval(50), newToken: { ("x", "x") }, mail: { _, _, _ in nil })
            #expect(withdrawn?.promoted.map(\.email) == ["b@example.org"])
            let statuses = Dictionary(uniqueKeysWithValues: try await store.invitations(meetingID: id).map { ($0.email, $0.status) })
            #expect(statuses == ["a@example.org": .declined, "b@example.org": .registered, "c@example.org": .registered, "d@example.org": .waiting])

            // The EJN's page and B's account see the meeting; reminders: a week before, B and C once each.
            #expect(try await store.upcomingMeetings(network: "ejn", at: Self.start).map(\.id) == [id])
            #expect(try await store.upcomingMeetings(network: "wacap", at: Self.start).isEmpty)
            #expect(try await store.invitations(email: "b@example.org", at: Self.start).map(\.meeting.id) == [id])
            let weekBefore = Self.start.addingTimeInterval(4 * 86_400)
            let due = try await store.dueReminders(at: weekBefore)
            #expect(Set(due.map(\.invitation.email)) == ["b@example.org", "c@example.org"] && due.allSatisfy { $0.kind == .week })
            // A reminder chosen for someone whose answer has changed since is not sent (A declined).
            let declined = try #require(try await store.invitations(meetingID: id).first { $0.email == "a@example.org" }?.id)
            #expect(try await store.remind(declined, kind: .week, tokenHash: "r-a", mail: try Self.mail("a@example.org"), at: weekBefore) == false)
            #expect(try await store.invitation(tokenHash: "r-a") == nil)
            for reminder in due {
                try await store.remind(try #require(reminder.invitation.id), kind: reminder.kind, tokenHash: "r-" + reminder.invitation.email,
                                       mail: try Self.mail(reminder.invitation.email), at: weekBefore)
            }
            #expect(try await store.dueReminders(at: weekBefore).isEmpty)
            #expect(try await store.dueReminders(at: Self.start.addingTimeInterval(9.5 * 86_400)).map(\.kind) == [.day, .day])
        }
    }

    @Test(arguments: Backend.available)
    func listsSubscriptionsSpreadSendingAndLeaving(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            let list = try await store.createList(MailingList(slug: "news", name: Bilingual(en: "News"), summary: Bilingual(), audience: .anyone,
                                                              owner: "s@example.org"), actor: "test", at: Self.start)
            let id = try #require(list.id)
            await #expect(throws: InputError.self) {
                _ = try await store.createList(list, actor: "test", at: Self.start)
            }
            for email in ["a@example.org", "b@example.org", "c@example.org"] {
                try await store.subscribe(listID: id, email: email, language: .fr, confirmHash: "confirm-" + email, mail: try Self.mail(email),
                                          address: "203.0.113.9", at: Self.start)
                #expect(try await store.confirmSubscription(hash: "confirm-" + email, at: Self.start)?.email == email)
            }
            #expect(try await store.subscriptions(listID: id, status: .active).map(\.email) == ["a@example.org", "b@example.org", "c@example.org"])
            let deliveries = try ["a@example.org", "b@example.org", "c@example.org"].map {
                CatalogueStore.ListDelivery(email: $0, tokenHash: "leave-" + $0, mail: try Self.mail($0))
            }
            let sentAt = Self.start.addingTimeInterval(100)
            _ = try await store.sendListMessage(listID: id, subject: Bilingual(en: "S"), body: Bilingual(en: "B"), deliveries: deliveries,
                                                perMinute: 60, actor: "test", at: sentAt)
            // Spread at one a second: the outbox holds them for their time.
            let listMail = { (date: Date) in try await store.dueMail(at: date).filter { $0.subject == "Invitation" && $0.calendar != nil } }
            #expect(try await listMail(sentAt).count == 3 + 1, "the three confirmations' queue and the first of the list")
            #expect(try await listMail(sentAt.addingTimeInterval(2)).count == 3 + 3)
            #expect(try await store.listMessages(listID: id).map(\.recipients) == [3])
            // Leaving by the link: every link of that person to the list stops working; a second leave finds nothing.
            #expect(try await store.unsubscribe(tokenHash: "leave-b@example.org", at: sentAt)?.email == "b@example.org")
            #expect(try await store.unsubscribe(tokenHash: "leave-b@example.org", at: sentAt) == nil)
            #expect(try await store.subscriptions(listID: id, status: .unsubscribed).map(\.email) == ["b@example.org"])
            #expect(try await store.subscriptions(listID: id, status: .active).count == 2)
        }
    }

    @Test(arguments: Backend.available)
    func bouncesCountOncePerMessageAndSuspendAtTheThreshold(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            let list = try await store.createList(MailingList(slug: "news", name: Bilingual(en: "News"), summary: Bilingual(), audience: .anyone,
                                                              owner: "s@example.org"), actor: "test", at: Self.start)
            let id = try #require(list.id)
            try await store.subscribe(listID: id, email: "a@example.org", language: .en, confirmHash: "c", mail: try Self.mail("a@example.org"),
                                      address: "203.0.113.9", at: Self.start)
            _ = try await store.confirmSubscription(hash: "c", at: Self.start)
            let deliveries = [CatalogueStore.ListDelivery(email: "a@example.org", tokenHash: "l1", mail: try Self.mail("a@example.org"))]
            for (index, hash) in ["l1", "l2", "l3"].enumerated() {
                _ = try await store.sendListMessage(listID: id, subject: Bilingual(en: "S\(index)"), body: Bilingual(en: "B"),
                                                    deliveries: [CatalogueStore.ListDelivery(email: "a@example.org", tokenHash: hash, mail: deliveries[0].mail)],
                                                    perMinute: 60, actor: "test", at: Self.start)
            }
            let sent = try await store.outbox().filter { $0.listID == id }
            #expect(sent.count == 3 && Set(sent.compactMap(\.reference)).count == 3, "each message its own reference")
            let found = try await store.outboxMail(reference: try #require(sent[0].reference))
            #expect(found?.id == sent[0].id)
            let owner = try MailMessage(to: "s@example.org", subject: "Suspended", text: "…", language: .en)
            func bounce(_ mail: QueuedMail, hard: Bool) async throws -> RecordedBounce {
                try await store.recordBounce(of: mail, email: "a@example.org", hard: hard, status: hard ? "5.1.1" : "4.4.1", diagnostic: nil,
                                             suspendAfter: 3, ownerMail: owner, at: Self.start)
            }
            #expect(try await bounce(sent[0], hard: false) == RecordedBounce(isNew: true, bounces: 0, suspended: false))
            #expect(try await bounce(sent[0], hard: true) == RecordedBounce(isNew: true, bounces: 1, suspended: false), "the failure after a delay")
            #expect(try await bounce(sent[0], hard: true) == RecordedBounce(isNew: false, bounces: 1, suspended: false))
            #expect(try await bounce(sent[1], hard: true).bounces == 2)
            #expect(try await bounce(sent[2], hard: true) == RecordedBounce(isNew: true, bounces: 3, suspended: true))
            #expect(try await store.subscriptions(listID: id, status: .active).isEmpty)
            #expect(try await store.subscriptions(listID: id, status: .suspended).map(\.email) == ["a@example.org"])
            #expect(try await store.outbox().filter { $0.recipient == "s@example.org" }.count == 1, "the owner told once")
            #expect(try await store.bounces(of: "a@example.org").map(\.hard) == [true, true, true])
        }
    }
}
