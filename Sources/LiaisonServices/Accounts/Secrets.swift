import Crypto
import Foundation

/// Random values for links, sessions and codes, and how they are kept: hashed, compared in constant time.
public enum Secrets {
    /// 32 random bytes from the system's generator, as URL-safe Base64 without padding (43 characters).
    public static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// What the database keeps of a token: its SHA-256, in hex.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares two secrets in a time that does not depend on where they differ.
    public static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) {
            difference |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return difference == 0
    }

    /// Letters and digits that cannot be mistaken for one another when copied from paper.
    static let readable = Array("abcdefghjkmnpqrstuvwxyz23456789")

    /// A recovery code: ten readable characters in two groups, `abcde-23456` (about 49 bits).
    public static func recoveryCode() -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<10).map { _ in readable[Int.random(in: 0..<readable.count, using: &generator)] }
        return String(characters[0..<5]) + "-" + String(characters[5...])
    }

    /// A recovery code as typed: lower case, without spaces or dashes.
    public static func normalisedRecoveryCode(_ text: String) -> String {
        String(text.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// The shared key of a second factor: 20 random letters and digits (about 119 bits).
    public static func secondFactorKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
