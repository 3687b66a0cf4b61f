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
