/// The library's generation: a number every write to the library moves on (a document added, changed, given a
/// version or withdrawn, a removed network's readers forgotten), so that what an instance made from the library —
/// the words of the titles each kind of reader may see — is made again after any instance's write, whatever the
/// clocks say.
let m029LibraryGeneration = Migration(version: 29, name: "library generation") { _ in
    [
        "CREATE TABLE library_state (id INTEGER PRIMARY KEY CHECK (id = 1), generation BIGINT NOT NULL)",
        "INSERT INTO library_state (id, generation) VALUES (1, 0)",
    ]
}
