import Foundation
import LiaisonCore
import LiaisonStore
import Logging
import Metrics
import ServiceLifecycle

extension Services {
    /// The work that runs beside the server until it stops: closing the database at the end, removing ended
    /// sessions, taking in revisions other instances wrote, the daily link check and mail delivery, as `settings`
    /// asks. `liaison serve` runs them; each is a ServiceLifecycle service.
    public func background(_ settings: Settings, logger: Logger) throws -> [any Service] {
        var services: [any Service] = [
            StoreCloser(store: store, catalogue: catalogue, logger: logger),
            SessionCleaner(store: store, settings: accounts.settings, logger: logger),
            CatalogueFollower(catalogue: catalogue, logger: logger),
        ]
        if let after = settings.linkChecksAfter {
            services.append(LivenessDaily(liveness: liveness, firstRunAfter: after, logger: logger))
        }
        services.append(DirectoryRetention(directory: directory, months: settings.directoryRetentionMonths, logger: logger))
        services.append(MeetingReminders(meetings: meetings, logger: logger))
        services.append(DiscussionDigests(discussions: discussions, logger: logger))
        services.append(SurveyReminders(surveys: surveys, logger: logger))
        if let mail = settings.mail {
            services.append(MailService(sender: try MailSender(store: store, transport: mail.transport, from: mail.from, logger: logger),
                                        interval: mail.interval, logger: logger))
        }
        return services
    }
}

/// Closes the database when the application stops, after writing the snapshot file when the catalogue changed since
/// it was written (the next start reads it instead of the database).
struct StoreCloser: Service {
    let store: CatalogueStore
    let catalogue: LiveCatalogue
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        await catalogue.writeSnapshotFile(logger: logger)
        try await store.close()
    }
}

/// Removes ended sessions and old sign-in failures (and the request log), every ten minutes.
struct SessionCleaner: Service {
    let store: CatalogueStore
    let settings: AccountSettings
    let logger: Logger

    func run() async throws {
        try await repeatUntilShutdown(every: .seconds(600)) {
            do {
                let now = settings.now()
                try await store.purgeSessions(now: now, idleBefore: now.addingTimeInterval(-settings.sessionIdle),
                                              failuresBefore: now.addingTimeInterval(-settings.throttleWindow))
            } catch {
                logger.error("sessions: could not remove ended sessions: \(String(describing: error))")
            }
        }
    }
}

/// Takes in what other instances sharing the database (or the command line) wrote: on PostgreSQL as soon as their
/// transaction commits (LISTEN for the notice each one sends), and on every backend every ten seconds (one query for
/// the latest revision, a load only when there is something new), which is also what remains while the listening
/// connection is lost (it is opened again after `retry`).
struct CatalogueFollower: Service {
    let catalogue: LiveCatalogue
    let logger: Logger
    var retry: Duration = .seconds(2)
    /// The look that does not wait for notices.
    var interval: Duration = .seconds(10)

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await repeatUntilShutdown(every: interval) { await follow() } }
                group.addTask { await listen() }
                await group.waitForAll()
            }
        }
    }

    func follow() async {
        do {
            if try await catalogue.follow() {
                logger.info("catalogue: revisions written elsewhere taken in (now at revision \(catalogue.snapshot.revision))")
            }
        } catch {
            logger.error("catalogue: could not check for revisions written elsewhere: \(String(describing: error))")
        }
    }

    /// Listens until cancelled; after a lost connection, listens again (what was written meanwhile is taken in as soon
    /// as listening starts again).
    func listen() async {
        while !Task.isCancelled {
            do {
                guard try await catalogue.store.listenForRevisions(listening: { await follow() }, heard: { await follow() }) else { return }
            } catch {
                if Task.isCancelled { return }
                logger.warning("catalogue: lost the connection that hears of revisions written elsewhere (\(String(describing: error))); the ten-second look goes on, listening again in \(retry)")
            }
            try? await Task.sleep(for: retry)
        }
    }
}

/// Runs the liveness check once a day (the first run a little after start), until the application stops.
struct LivenessDaily: Service {
    let liveness: LivenessMonitor
    let firstRunAfter: Duration
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: firstRunAfter)
            try await repeatUntilShutdown(every: .seconds(24 * 3600)) {
                do {
                    let done = try await liveness.run()
                    Counter(label: "liaison_link_check_failures_total").increment(by: done.failed.count)
                    Gauge(label: "liaison_link_check_last_failures").record(done.failed.count)
                    logger.info("""
                        links: \(done.checked) checked, \(done.failed.count) failed; \(done.needingVerification.count) networks need \
                        verification; \(done.reminders) reminders queued
                        """)
                } catch {
                    logger.error("links: the check could not run: \(String(describing: error))")
                }
            }
        }
    }
}

/// Once a day (the first time a minute after start), erases the directory's entries whose every role ended more
/// than the retention period ago (`--directory-retention`), and reminds the maintainers of entries due for
/// confirmation, and forgets the list pages shown more than a day ago. The log says how many, never whose.
struct DirectoryRetention: Service {
    let directory: DirectoryService
    let months: Int
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: .seconds(60))
            try await repeatUntilShutdown(every: .seconds(24 * 3600)) {
                do {
                    let erased = try await directory.eraseLapsed(olderThan: months)
                    if erased > 0 { logger.info("directory: \(erased) entries ended more than \(months) months ago erased") }
                    let reminded = try await directory.remindStale()
                    if reminded > 0 { logger.info("directory: \(reminded) reminders of entries due for confirmation queued") }
                    try await directory.forgetOldLookups()
                } catch {
                    logger.error("directory: retention could not run: \(String(describing: error))")
                }
            }
        }
    }
}

/// Every hour (the first time two minutes after start), reminds the invitees of meetings who have not answered, and
/// those registered a week and a day before. The log says how many, never whom.
struct MeetingReminders: Service {
    let meetings: MeetingService
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: .seconds(120))
            try await repeatUntilShutdown(every: .seconds(3600)) {
                do {
                    let sent = try await meetings.remindInvitees()
                    if sent > 0 { logger.info("meetings: \(sent) reminders queued") }
                } catch {
                    logger.error("meetings: reminders could not be sent: \(String(describing: error))")
                }
            }
        }
    }
}

/// Sends the discussions' daily digests that are due, every hour (each follower's at most once a day).
struct DiscussionDigests: Service {
    let discussions: DiscussionService
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: .seconds(180))
            try await repeatUntilShutdown(every: .seconds(3600)) {
                do {
                    let sent = try await discussions.sendDigests()
                    if sent > 0 { logger.info("discussions: \(sent) digests queued") }
                } catch {
                    logger.error("discussions: digests could not be sent: \(String(describing: error))")
                }
            }
        }
    }
}

/// Every hour, reminds the networks that have not answered a survey, a week and two days before it closes (each
/// network once per stage). The log says how many, never whom.
struct SurveyReminders: Service {
    let surveys: SurveyService
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: .seconds(240))
            try await repeatUntilShutdown(every: .seconds(3600)) {
                do {
                    let sent = try await surveys.sendReminders()
                    if sent > 0 { logger.info("surveys: \(sent) reminders queued") }
                } catch {
                    logger.error("surveys: reminders could not be sent: \(String(describing: error))")
                }
            }
        }
    }
}

/// Delivers the outbox every few seconds until the application stops. A message queued just before a stop
/// stays in the outbox and goes out after the next start.
struct MailService: Service {
    let sender: MailSender
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try await repeatUntilShutdown(every: interval) {
            do {
                let done = try await sender.deliverDue()
                if done.sent > 0 { logger.info("mail: \(done.sent) sent") }
                if done.failed > 0 { logger.warning("mail: \(done.failed) not sent (retried later unless out of attempts)") }
            } catch {
                logger.error("mail: the outbox could not be read: \(String(describing: error))")
            }
        }
    }
}

/// Runs `work`, waits `interval`, and again, until the application stops (a wait is cut short by the stop).
func repeatUntilShutdown(every interval: Duration, _ work: @escaping @Sendable () async -> Void) async throws {
    try? await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            await work()
            try await Task.sleep(for: interval)
        }
    }
}
