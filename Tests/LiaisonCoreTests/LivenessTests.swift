import Foundation
import Testing
@testable import LiaisonCore

/// When an entry needs verification: links that keep failing, or no confirmation for a year.
@Suite struct LivenessTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func checks(_ outcomes: [LinkOutcome], url: String = "https://a.example") -> [LinkCheck] {
        outcomes.enumerated().map { LinkCheck(url: url, checkedAt: now.addingTimeInterval(-Double($0.offset) * 86_400), outcome: $0.element, status: nil) }
    }

    @Test func aLinkKeepsFailingAfterThreeFailedChecksInARow() {
        #expect(!Liveness.keepsFailing([]))
        #expect(!Liveness.keepsFailing(Self.checks([.timeout, .httpError])))
        #expect(Liveness.keepsFailing(Self.checks([.timeout, .httpError, .unreachable])))
        #expect(Liveness.keepsFailing(Self.checks([.tooManyRedirects, .httpError, .unreachable, .ok])))
        #expect(!Liveness.keepsFailing(Self.checks([.ok, .httpError, .unreachable, .timeout])), "it recovered")
        #expect(!Liveness.keepsFailing(Self.checks([.timeout, .ok, .unreachable])))
    }

    @Test func reasonsNameTheFailingLinksAndTheMissingConfirmation() {
        let links = ["https://b.example": Self.checks([.ok, .ok, .ok], url: "https://b.example"),
                     "https://a.example": Self.checks([.httpError, .httpError, .httpError])]
        let recent = Self.now.addingTimeInterval(-30 * 86_400), old = Self.now.addingTimeInterval(-400 * 86_400)
        #expect(Liveness.reasons(links: links, lastConfirmed: recent, now: Self.now) == [.linkFailing(url: "https://a.example")])
        #expect(Liveness.reasons(links: links, lastConfirmed: old, now: Self.now)
                == [.linkFailing(url: "https://a.example"), .notConfirmedSince(old)])
        #expect(Liveness.reasons(links: [:], lastConfirmed: nil, now: Self.now) == [.neverConfirmed])
        #expect(Liveness.reasons(links: [:], lastConfirmed: recent, now: Self.now).isEmpty)
        #expect(VerificationReason.linkFailing(url: "https://a.example").text(.fr).contains("https://a.example"))
        #expect(VerificationReason.notConfirmedSince(old).text(.en).contains("2025"))
    }
}
