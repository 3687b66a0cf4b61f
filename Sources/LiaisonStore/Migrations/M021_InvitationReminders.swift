/// The reminders an invitation has had, by kind (`answer`: no answer yet; `week` and `day`: before the meeting, to
/// those registered), so that each goes once.
let m021InvitationReminders = Migration(version: 21, name: "invitation reminders") { _ in
    ["ALTER TABLE meeting_invitations ADD COLUMN reminders TEXT NOT NULL DEFAULT ''"]
}
