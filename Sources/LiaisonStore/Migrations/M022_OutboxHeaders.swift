/// A message of the outbox may carry a mailing list's headers (`List-Id`, `List-Unsubscribe`, …), one a line as
/// `Name: value`, each checked again when the message is sent.
let m022OutboxHeaders = Migration(version: 22, name: "outbox headers") { _ in
    ["ALTER TABLE outbox ADD COLUMN headers TEXT NOT NULL DEFAULT ''"]
}
