import Foundation

/// Dates and times as a European reader expects them, in UTC: “6 December 2026”, “6 décembre 2026”, and with the
/// time on a 24-hour clock, “6 December 2026 at 15:24 UTC”, « 6 décembre 2026 à 15:24 UTC ». Pages and mail use these.
public enum DateText {
    public static func date(_ date: Date, _ language: Language) -> String {
        date.formatted(styles[language]!.date)
    }

    public static func dateTime(_ date: Date, _ language: Language) -> String {
        let time = date.formatted(styles[language]!.time)
        return language == .fr ? "\(Self.date(date, language)) à \(time) UTC" : "\(Self.date(date, language)) at \(time) UTC"
    }

    /// A meeting's span in its own time zone: “18 March 2027, 09:30–17:00 (Europe/Paris, UTC+01:00)”, or with
    /// both dates when it ends on another day; « 18 mars 2027, 09:30–17:00 (Europe/Paris, UTC+01:00) ».
    public static func span(from start: Date, to end: Date, in zone: TimeZone, _ language: Language) -> String {
        let locale = Locale(identifier: language == .fr ? "fr_FR" : "en_GB")
        let calendar = Calendar(identifier: .gregorian)
        let day = Date.VerbatimFormatStyle(format: "\(day: .defaultDigits) \(month: .wide) \(year: .defaultDigits)", locale: locale,
                                           timeZone: zone, calendar: calendar)
        let time = Date.VerbatimFormatStyle(format: "\(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
                                            locale: locale, timeZone: zone, calendar: calendar)
        let zoneText = "(\(zone.identifier), \(LocalTime.offset(start, in: zone)))"
        let (startDay, endDay) = (start.formatted(day), end.formatted(day))
        if startDay == endDay {
            return "\(startDay), \(start.formatted(time))–\(end.formatted(time)) \(zoneText)"
        }
        return "\(startDay), \(start.formatted(time)) – \(endDay), \(end.formatted(time)) \(zoneText)"
    }

    /// A moment in a zone: “18 March 2027, 23:59 (Europe/Paris, UTC+01:00)”.
    public static func moment(_ date: Date, in zone: TimeZone, _ language: Language) -> String {
        let text = span(from: date, to: date, in: zone, language)
        // "18 March 2027, 23:59–23:59 (…)" without the second time.
        guard let dash = text.firstIndex(of: "–"), let space = text[dash...].firstIndex(of: " ") else { return text }
        return String(text[..<dash] + text[space...])
    }

    private static let styles: [Language: (date: Date.VerbatimFormatStyle, time: Date.VerbatimFormatStyle)] = {
        let utc = TimeZone(identifier: "UTC")!
        let calendar = Calendar(identifier: .gregorian)
        return Dictionary(uniqueKeysWithValues: Language.allCases.map { language in
            let locale = Locale(identifier: language == .fr ? "fr_FR" : "en_GB")
            return (language, (
                Date.VerbatimFormatStyle(format: "\(day: .defaultDigits) \(month: .wide) \(year: .defaultDigits)", locale: locale,
                                         timeZone: utc, calendar: calendar),
                Date.VerbatimFormatStyle(format: "\(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
                                         locale: locale, timeZone: utc, calendar: calendar)))
        })
    }()
}
