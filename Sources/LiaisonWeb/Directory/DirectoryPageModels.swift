import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// How the directory's pages word an entry: its roles, its languages, whether it is due for confirmation.
enum DirectoryText {
    static func role(_ role: DirectoryRole, catalogue: Catalogue, t: Localizer) -> String {
        var parts = [role.title.isEmpty ? role.kind.label(t.language) : role.title]
        if let network = role.network { parts.append(catalogue.network(slug: network)?.localizedDisplayName(t.language) ?? network) }
        if let sending = role.sendingCountry, let host = role.host {
            parts.append(t.format("directory_posted", ["from": party(sending, catalogue, t), "to": party(host, catalogue, t)]))
        }
        if !role.covers.isEmpty {
            parts.append(t.format("directory_covers", ["countries": role.covers.map { party($0, catalogue, t) }.joined(separator: ", ")]))
        }
        return (parts + [PartyItem.dates(since: role.since, until: role.until, t: t)].compactMap { $0 }).joined(separator: " · ")
    }

    static func party(_ id: String, _ catalogue: Catalogue, _ t: Localizer) -> String {
        catalogue.party(id: id)?.name(t.language) ?? id
    }

    static func language(_ code: String, _ t: Localizer) -> String {
        Locale(identifier: t.language.rawValue).localizedString(forLanguageCode: code) ?? code
    }

    static func confirmed(_ entry: DirectoryEntry, now: Date, t: Localizer) -> (text: String, stale: Bool) {
        // Due for confirmation (then marked, and ranked last where it matters) as the reminders count it.
        let stale = !entry.confirmed(within: DirectoryService.confirmationMonths, of: now)
        return (entry.lastConfirmed.map(t.date) ?? t["directory_never_confirmed"], stale)
    }
}

/// `/directory`: the search form with its facets, a page of entries, links to their vCards.
struct DirectoryPage {
    struct Row {
        let url: String
        let name: String
        let roles: [String]
        let country: String
        let languages: String
        let urgent: Bool
        let confirmed: String
        let stale: Bool
    }

    let q: String
    let countries: [Choice]
    let networks: [Choice]
    let kinds: [Choice]
    let fromOptions: [Choice]
    let toOptions: [Choice]
    let language: String
    let summary: String
    let rows: [Row]
    let hasRows: Bool
    let previousURL: String?
    let nextURL: String?
    let pageText: String
    let cardsURL: String
    let csvURL: String?

    init(request: Request, query: DirectoryQuery, found: (entries: [DirectoryEntry], total: Int), page: Int, pages: Int, catalogue: Catalogue,
         canExport: Bool, now: Date, t: Localizer) {
        q = query.words.joined(separator: " ")
        let parties = t.sortedByName(catalogue.participatingParties)
        func options(_ selected: String?) -> [Choice] {
            parties.map { Choice(value: $0.id, label: $0.name(t.language), selected: $0.id == selected) }
        }
        countries = options(query.country)
        fromOptions = options(query.postedFrom)
        toOptions = options(query.postedTo)
        networks = catalogue.networks.map { Choice(value: $0.slug, label: $0.localizedDisplayName(t.language), selected: $0.slug == query.network) }
            .sorted { $0.label.localizedStandardCompare($1.label) == .orderedAscending }
        kinds = DirectoryKind.allCases.map { Choice(value: $0.rawValue, label: $0.label(t.language), selected: $0 == query.kind) }
        language = query.language ?? ""
        summary = t.count("directory_found", found.total)
        rows = found.entries.compactMap { entry in
            guard let id = entry.id else { return nil }
            let confirmed = DirectoryText.confirmed(entry, now: now, t: t)
            return Row(url: "/directory/\(id)", name: entry.name, roles: entry.roles.map { DirectoryText.role($0, catalogue: catalogue, t: t) },
                       country: DirectoryText.party(entry.country, catalogue, t),
                       languages: entry.languages.map { DirectoryText.language($0, t) }.joined(separator: ", "),
                       urgent: entry.available247, confirmed: confirmed.text, stale: confirmed.stale)
        }
        hasRows = !rows.isEmpty
        let kept = request.queryFields.filter { $0.key != "page" && $0.key != "lang" }.map { (String($0.key), String($0.value)) }
        previousURL = page > 1 ? PageURL.path("/directory", kept + (page > 2 ? [("page", "\(page - 1)")] : [])) : nil
        nextURL = page < pages ? PageURL.path("/directory", kept + [("page", "\(page + 1)")]) : nil
        pageText = t.format("page_of", ["page": page, "pages": pages])
        cardsURL = PageURL.path("/directory.vcf", kept + (page > 1 ? [("page", "\(page)")] : []))
        csvURL = canExport ? "/directory.csv" : nil
    }
}

/// `/directory/{id}`: everything the directory holds of a person or an office, and (for administrators) who viewed it.
struct DirectoryEntryPage {
    struct Contact {
        let url: String
        let text: String
    }

    struct View {
        let at: String
        let account: String
    }

    let id: Int64
    let name: String
    let kinds: String
    let function: String?
    let authority: String?
    let country: String
    let emails: [Contact]
    let phones: [Contact]
    let languages: String?
    let urgent: Contact?
    let roles: [String]
    let source: String?
    let confirmed: String
    let stale: Bool
    let consent: String
    let visibility: String
    let views: [View]?
    let viewCount: String?
    /// An editor may erase the entry (with a reason).
    let canErase: Bool
    /// Its maintainers edit it and confirm it is still correct.
    var canMaintain = false
    var notice: String?

    init(_ entry: DirectoryEntry, views: [DirectoryView]?, canErase: Bool = false, catalogue: Catalogue, now: Date, t: Localizer) {
        self.canErase = canErase
        id = entry.id ?? 0
        name = entry.name
        var seen = Set<DirectoryKind>()
        kinds = entry.roles.map(\.kind).filter { seen.insert($0).inserted }.map { $0.label(t.language) }.joined(separator: ", ")
        function = entry.function.isEmpty ? nil : entry.function
        authority = entry.authority.isEmpty ? nil : entry.authority
        country = DirectoryText.party(entry.country, catalogue, t)
        emails = entry.emails.map { Contact(url: "mailto:" + $0, text: $0) }
        phones = entry.phones.map { Contact(url: "tel:" + $0, text: $0) }
        languages = entry.languages.isEmpty ? nil : entry.languages.map { DirectoryText.language($0, t) }.joined(separator: ", ")
        urgent = entry.available247 ? entry.urgentPhone.map { Contact(url: "tel:" + $0, text: $0) } : nil
        roles = entry.roles.map { DirectoryText.role($0, catalogue: catalogue, t: t) }
        source = entry.source.isEmpty ? nil : entry.source
        let confirmed = DirectoryText.confirmed(entry, now: now, t: t)
        self.confirmed = confirmed.text
        stale = confirmed.stale
        consent = [entry.consentBasis, entry.consentDate?.description].compactMap { $0 }.joined(separator: ", ")
        visibility = entry.visibility.label(t.language)
        self.views = views?.map { View(at: t.dateTime($0.at), account: t.format("directory_viewer", ["id": $0.accountID])) }
        viewCount = views.map { t.count("directory_views", $0.count) }
    }
}

/// The finder's "whom to call": per country asked, its contact points — those of the networks the finder offers
/// first, then those of its other networks — then the liaison magistrates posted between the countries. Each with
/// its languages, its urgent channel and when it was last confirmed; entries due for confirmation come last.
struct WhomToCall {
    typealias Person = DirectoryPerson

    struct Country {
        let name: String
        let people: [Person]
        let hasPeople: Bool
    }

    let countries: [Country]
    let magistrates: [Person]
    let hasMagistrates: Bool

    init(_ entries: [DirectoryEntry], countries asked: [String], networks: Set<String>, catalogue: Catalogue, now: Date, t: Localizer) {
        func person(_ entry: DirectoryEntry, roles: [DirectoryRole]) -> Person {
            DirectoryPerson(entry, roles: roles, catalogue: catalogue, now: now, t: t)
        }
        func ordered(_ people: [(person: Person, offered: Bool)]) -> [Person] {
            people.enumerated().sorted {
                ($0.element.person.stale ? 1 : 0, $0.element.offered ? 0 : 1, $0.offset) < ($1.element.person.stale ? 1 : 0, $1.element.offered ? 0 : 1, $1.offset)
            }.map(\.element.person)
        }
        let askedSet = Set(asked)
        countries = asked.map { country in
            let people = entries.filter { $0.country == country }.compactMap { entry -> (person: Person, offered: Bool)? in
                let roles = entry.roles.filter { $0.kind == .contactPoint || $0.kind == .nationalCorrespondent }
                guard !roles.isEmpty else { return nil }
                // The roles in the networks offered come first.
                let offered = roles.filter { $0.network.map(networks.contains) == true }
                return (person(entry, roles: offered + roles.filter { !offered.contains($0) }), !offered.isEmpty)
            }
            return Country(name: DirectoryText.party(country, catalogue, t), people: ordered(people), hasPeople: !people.isEmpty)
        }
        magistrates = ordered(entries.compactMap { entry in
            let postings = entry.roles.filter { role in
                role.kind == .liaisonMagistrate && role.sendingCountry.map(askedSet.contains) == true
                    && (role.host.map(askedSet.contains) == true || role.covers.contains(where: askedSet.contains))
            }
            return postings.isEmpty ? nil : (person(entry, roles: postings), true)
        })
        hasMagistrates = !magistrates.isEmpty
    }
}

/// One person or office as the finder and a country page list them (the entry's own page has the rest).
struct DirectoryPerson {
    let url: String
    let name: String
    let roles: String
    let languages: String
    let urgent: Bool
    let confirmed: String
    let stale: Bool

    init(_ entry: DirectoryEntry, roles: [DirectoryRole], catalogue: Catalogue, now: Date, t: Localizer) {
        let confirmed = DirectoryText.confirmed(entry, now: now, t: t)
        url = "/directory/\(entry.id ?? 0)"
        name = entry.name
        self.roles = roles.map { DirectoryText.role($0, catalogue: catalogue, t: t) }.joined(separator: "; ")
        languages = entry.languages.map { DirectoryText.language($0, t) }.joined(separator: ", ")
        urgent = entry.available247
        self.confirmed = confirmed.text
        stale = confirmed.stale
    }
}

/// A country page's people in the directory: who works for the country or is posted in it, then the liaison
/// magistrates it posts elsewhere; entries due for confirmation last.
struct CountryDirectory {
    let people: [DirectoryPerson]
    let hasPeople: Bool
    let postedBy: [DirectoryPerson]
    let hasPostedBy: Bool
    let postedByHeading: String
    let searchURL: String

    init(_ country: Party, inCountry: [DirectoryEntry], postedBy sent: [DirectoryEntry], catalogue: Catalogue, now: Date, t: Localizer) {
        func fresh(_ list: [DirectoryPerson]) -> [DirectoryPerson] {
            list.enumerated().sorted { ($0.element.stale ? 1 : 0, $0.offset) < ($1.element.stale ? 1 : 0, $1.offset) }.map(\.element)
        }
        people = fresh(inCountry.map { DirectoryPerson($0, roles: $0.roles, catalogue: catalogue, now: now, t: t) })
        hasPeople = !people.isEmpty
        postedBy = fresh(sent.map { entry in
            DirectoryPerson(entry, roles: entry.roles.filter { $0.kind == .liaisonMagistrate && $0.sendingCountry == country.id },
                            catalogue: catalogue, now: now, t: t)
        })
        hasPostedBy = !postedBy.isEmpty
        postedByHeading = t.format("directory_posted_by_country", ["country": country.name(t.language)])
        searchURL = "/directory?country=\(country.id)"
    }
}

/// `/directory/import`: the pasted file, and what was wrong with it, line by line.
struct DirectoryImportPage {
    let text: String
    let problems: [String]
    let hasProblems: Bool
    let done: String?
    let columns = DirectoryFile.columns.joined(separator: ", ")

    init(text: String, problems: [String], done: String?) {
        self.text = text
        self.problems = problems
        hasProblems = !problems.isEmpty
        self.done = done
    }
}

/// `/admin/directory-access`: the latest views of the directory.
struct DirectoryAccessPage {
    struct Row {
        let at: String
        let viewer: String
        let url: String
        let entry: String
    }

    let rows: [Row]
    let hasRows: Bool
}

/// `/directory/{id}/edit`: every field of an entry, its roles one a line, and the reason of the change.
struct DirectoryEditPage {
    let id: Int64
    let draft: DirectoryDraft
    let visibilities: [Choice]
    let problems: [String]
    let hasProblems: Bool

    init(id: Int64, draft: DirectoryDraft, failure: NetworkEditFailure?, t: Localizer) {
        self.id = id
        self.draft = draft
        visibilities = DirectoryVisibility.allCases.map { Choice(value: $0.rawValue, label: $0.label(t.language), selected: $0.rawValue == draft.visibility) }
        problems = failure?.errors.map(\.description) ?? []
        hasProblems = !problems.isEmpty
    }
}

/// `/directory/{id}/history`: the entry's revisions, newest first.
struct DirectoryHistoryPage {
    struct Row {
        let action: String
        let at: String
        let actor: String
        let reason: String
        let changes: [DiffLine]
    }

    /// The label of each field a revision may change: the same words as the entry's page and form.
    static let labels = ["name": "directory_name", "function": "directory_function", "authority": "directory_authority",
                         "country": "directory_country", "emails": "directory_email", "phones": "directory_phone",
                         "languages": "directory_languages", "available_24_7": "directory_urgent", "urgent_phone": "own_directory_urgent_phone",
                         "roles": "directory_roles", "source": "directory_source", "consent_basis": "directory_consent",
                         "consent_date": "directory_edit_consent_date", "visibility": "directory_visibility"]

    let id: Int64
    let name: String
    let rows: [Row]
}
