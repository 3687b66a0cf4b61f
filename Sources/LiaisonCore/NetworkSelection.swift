import Foundation

/// Which networks' people an invitation or a list of roles reaches: every active network, those of a section, chosen
/// ones, or every active network some countries take part in ("the networks covering West Africa"). It is resolved
/// against the catalogue when it is used, so a network that closes drops out and one that opens comes in.
public enum NetworkSelection: Sendable, Equatable {
    case every
    case section(Section)
    case chosen([String])
    case covering([String])

    /// The choices of a form, as its radio buttons name them.
    public static let choices = ["every", "european", "non-european", "chosen", "covering"]

    /// From a form: its choice, with the networks' slugs (for `chosen`) or the countries' codes (for `covering`),
    /// each list checked not to be empty. Nil for `none` and for no choice.
    public init?(choice: String, networks: [String], countries: [String]) throws {
        switch choice {
        case "", "none": return nil
        case "every": self = .every
        case "european": self = .section(.european)
        case "non-european": self = .section(.nonEuropean)
        case "chosen":
            guard !networks.isEmpty else { throw InputError.missingField(field: "networks") }
            self = .chosen(networks)
        case "covering":
            guard !countries.isEmpty else { throw InputError.missingField(field: "countries") }
            self = .covering(countries.map { $0.uppercased() })
        default:
            throw InputError.invalidValue(field: "audience", value: TextRules.preview(choice), rule: "must be " + Self.choices.joined(separator: ", "))
        }
    }

    /// Refuses a chosen network or a country the catalogue does not have, by name.
    public func check(in catalogue: Catalogue) throws {
        switch self {
        case .every, .section: break
        case let .chosen(slugs):
            for slug in slugs where catalogue.network(slug: slug) == nil {
                throw InputError.invalidValue(field: "networks", value: TextRules.preview(slug), rule: "must be the slug of a network of the catalogue")
            }
        case let .covering(codes):
            for code in codes where catalogue.party(id: code) == nil {
                throw InputError.invalidValue(field: "countries", value: TextRules.preview(code), rule: "must be the code of a party of the catalogue")
            }
        }
    }

    /// The networks it names in `catalogue`, in the catalogue's order: the active ones (chosen ones whatever their
    /// status: the organiser named them).
    public func networks(in catalogue: Catalogue) -> [Network] {
        let active = catalogue.networks.filter { $0.status.value == .active }
        switch self {
        case .every: return active
        case let .section(section): return active.filter { $0.section == section }
        case let .chosen(slugs):
            let named = Set(slugs)
            return catalogue.networks.filter { named.contains($0.slug) }
        case let .covering(codes):
            let covering = Set(codes.flatMap { catalogue.memberships(of: $0).map(\.networkSlug) })
            return active.filter { covering.contains($0.slug) }
        }
    }
}
