import Foundation

/// A header of weighted choices (`Accept-Language`, `Accept-Encoding`: RFC 9110 §12.4.2): each value, lowercased, with
/// its quality (1 when none is given); at most `limit` of them read, so that the work follows no header's length.
enum QualityValues {
    static func parse(_ header: String, limit: Int = 32) -> [(value: String, quality: Double)] {
        header.split(separator: ",").prefix(limit).compactMap { part in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let value = pieces.first?.lowercased(), !value.isEmpty else { return nil }
            // Parameter names are case-insensitive (RFC 9110 §5.6.6): "Q=0" refuses as "q=0" does.
            return (value, pieces.dropFirst().first { $0.lowercased().hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1)
        }
    }
}
