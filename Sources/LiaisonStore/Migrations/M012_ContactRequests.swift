/// When each client address wrote to the secretariat through `/contact`: for its limit per hour, shared by every
/// instance on the database. Nothing of the message is kept here (it goes by mail); rows older than a day are removed.
let m012ContactRequests = Migration(version: 12, name: "contact requests") { _ in
    [
        "CREATE TABLE contact_requests (address TEXT NOT NULL, created_at TEXT NOT NULL)",
        "CREATE INDEX contact_requests_address ON contact_requests (address, created_at)",
    ]
}
