/// When the maintainers of a directory entry were last reminded that it is due for confirmation (once a month at most).
let m014DirectoryReminders = Migration(version: 14, name: "directory reminders") { _ in
    ["ALTER TABLE directory_entries ADD COLUMN reminded_at TEXT"]
}
