import Foundation

/// What a new password must be. Length matters most; a password from the lists that attackers try first,
/// or one made of the account's own address, is refused whatever its length.
///
/// The errors never repeat the password: the value shown is a description of it.
public enum PasswordPolicy {
    public static let minimumLength = 12
    /// bcrypt reads 72 bytes; a longer password would be cut without telling.
    public static let maximumBytes = 72

    public static func check(_ password: String, email: String? = nil, field: String = "password") throws {
        func refuse(_ rule: String) -> InputError {
            .invalidValue(field: field, value: "(\(password.count) characters, not shown)", rule: rule)
        }
        guard password.count >= minimumLength else {
            throw refuse("must be at least \(minimumLength) characters long")
        }
        guard password.utf8.count <= maximumBytes else {
            throw refuse("must be at most \(maximumBytes) bytes long (about 70 letters)")
        }
        guard !password.contains(where: { $0.isNewline || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }) else {
            throw refuse("must not contain line breaks or control characters")
        }
        let folded = password.lowercased()
        guard Set(folded).count >= 5 else {
            throw refuse("must use at least 5 different characters")
        }
        if isWeak(folded) {
            throw refuse("is one of the passwords most often tried by attackers; choose another, for example four unrelated words")
        }
        if let email {
            let local = email.lowercased().split(separator: "@").first.map(String.init) ?? ""
            if folded.contains(email.lowercased()) || (local.count >= 4 && folded.contains(local)) {
                throw refuse("must not contain your e-mail address")
            }
        }
    }

    /// A known weak password, also with digits, symbols or a year added at either end, or a keyboard run.
    static func isWeak(_ folded: String) -> Bool {
        if folded.allSatisfy(\.isNumber) { return true }
        let core = folded.trimmingCharacters(in: CharacterSet.letters.inverted)
        if commonPasswords.contains(folded) || commonPasswords.contains(core) { return true }
        // "qwertyuiop1234", "abcdefghijkl": a run of the keyboard or the alphabet.
        if core.count >= 4, runs.contains(where: { $0.contains(core) }) { return true }
        return runs.contains { $0.contains(folded) }
    }

    private static let runs = [
        "abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba", "qwertyuiopasdfghjklzxcvbnm", "azertyuiopqsdfghjklmwxcvbn",
        "qwertzuiopasdfghjklyxcvbnm", "1234567890", "0987654321", "1qaz2wsx3edc4rfv5tgb", "qazwsxedcrfvtgbyhnujmikolp",
    ]

    /// The most common passwords of public breach lists, and the words this platform's users would reach for first.
    static let commonPasswords: Set<String> = [
        "password", "passw0rd", "p@ssw0rd", "p@ssword", "passwort", "motdepasse", "mot de passe", "qwerty", "azerty",
        "qwertz", "letmein", "welcome", "bienvenue", "admin", "administrator", "administrateur", "root", "toor", "login",
        "iloveyou", "jetaime", "monkey", "dragon", "football", "baseball", "soccer", "hockey", "sunshine", "princess",
        "shadow", "master", "superman", "batman", "trustno", "trustnoone", "whatever", "starwars", "pokemon", "freedom",
        "secret", "changeme", "changeit", "default", "guest", "test", "testing", "hello", "helloworld", "charlie",
        "michael", "jennifer", "jordan", "hunter", "ranger", "buster", "soleil", "chocolat", "doudou", "loulou",
        "marseille", "paris", "london", "berlin", "madrid", "strasbourg", "brussels", "bruxelles", "europe", "european",
        "council", "councilofeurope", "conseil", "coe", "liaison", "eurojust", "europol", "interpol", "justice", "judge",
        "juge", "prosecutor", "procureur", "parquet", "police", "court", "tribunal", "network", "reseau", "carin",
        "iberred", "ejn", "rjecp", "security", "securite", "computer", "internet", "google", "facebook", "microsoft",
        "apple", "samsung", "summer", "winter", "spring", "autumn", "monday", "friday", "january", "december",
        "abc", "abcd", "abcdef", "abcdefg", "abcdefgh", "abc123", "a1b2c3", "aaaaaa", "qwe", "asdf", "asdfgh", "asdfghjkl",
        "zxcvbn", "zxcvbnm", "qazwsx", "1q2w3e", "1q2w3e4r", "1q2w3e4r5t", "q1w2e3r4", "zaq1", "zaq12wsx", "qwerty123",
        "iloveu", "lovely", "loveme", "love", "family", "mother", "father", "children", "flower", "cookie", "banana",
        "orange", "yellow", "purple", "silver", "golden", "diamond", "ginger", "pepper", "cheese", "coffee", "matrix",
        "mustang", "ferrari", "porsche", "harley", "yankees", "liverpool", "chelsea", "arsenal", "barcelona", "realmadrid",
        "juventus", "killer", "access", "server", "oracle", "ninja", "thomas", "daniel", "andrew", "joshua", "robert",
        "nicole", "jessica", "ashley", "amanda", "justin", "tigger", "maggie", "snoopy", "merlin", "wizard",
        "blink", "zxcv", "qwertyuiop", "azertyuiop", "correcthorsebatterystaple", "correct horse battery staple",
        "passwordpassword", "motdepassemotdepasse", "adminadmin", "welcomewelcome", "letmeinletmein",
    ]
}
