/// A message of the outbox may carry a calendar (a meeting's invitation): its iCalendar METHOD and text, emptied
/// with the body once the message is delivered or given up.
let m019OutboxCalendar = Migration(version: 19, name: "outbox calendar") { _ in
    [
        "ALTER TABLE outbox ADD COLUMN calendar_method TEXT",
        "ALTER TABLE outbox ADD COLUMN calendar TEXT",
    ]
}
