/// A discussion's message may point to documents of the library (their numbers, separated by spaces): each reader is
/// shown those they may see.
let m027PostAttachments = Migration(version: 27, name: "post attachments") { _ in
    ["ALTER TABLE discussion_posts ADD COLUMN attachments TEXT NOT NULL DEFAULT ''"]
}
