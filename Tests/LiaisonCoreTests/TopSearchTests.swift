import Foundation
import Testing
@testable import LiaisonCore

/// The first page of a search read by the threshold algorithm is the exhaustive ranking's first page, hit for hit and
/// score for score, and its total is the number of networks the exhaustive search finds: on the 2017 catalogue, and
/// on a synthetic catalogue of 100,000 networks whose names and purposes share a small vocabulary (the common words
/// of the benchmark match tens of thousands of networks). `LIAISON_SEARCH_DATA=catalogue.jsonl` checks a bulk file
/// instead (bench/run.sh's 100,000 networks).
@Suite struct TopSearchTests {
    static func compare(_ catalogue: Catalogue, _ query: String, first: Int) -> (checked: Bool, problem: String?) {
        guard let top = catalogue.topSearch(query, first: first) else { return (false, nil) }
        let all = catalogue.search(query) ?? []
        let expected = all.prefix(first).map { "\(catalogue.networks[$0.network].slug) \($0.score)" }
        let found = top.hits.map { "\(catalogue.networks[$0.network].slug) \($0.score)" }
        if found != Array(expected) { return (true, "“\(query)” first \(first): \(found.prefix(5)) … instead of \(expected.prefix(5)) …") }
        if top.total != all.count { return (true, "“\(query)”: total \(top.total) instead of \(all.count)") }
        if let hit = top.hits.first, hit.matchedWords != all.first?.matchedWords { return (true, "“\(query)”: other matched words") }
        return (true, nil)
    }

    @Test func theFirstPageIsTheExhaustiveRankingsOnThe2017Catalogue() throws {
        let catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks())
        // Every word of every name and acronym, their prefixes and a typo of each, party names, and pairs.
        var queries = Set<String>()
        for network in catalogue.networks {
            let words = TextKey.words([network.name, network.acronym ?? ""].joined(separator: " "))
            for word in words {
                queries.insert(word)
                if word.count > 3 { queries.insert(String(word.prefix(3))) }
                if word.count >= 6 { queries.insert(String(word.dropLast(2)) + String(word.suffix(2).reversed())) }
            }
            queries.insert(words.prefix(2).joined(separator: " "))
            queries.insert(network.name)
        }
        queries.formUnion(["ghana spain", "crime network europe", "european judicial network", "réseau judiciaire européen",
                           "cybercrime", "eurojsut", "asset recovery", "the", "network of", "zzzz", "mutual legal assistance"])
        var checked = 0
        var problems: [String] = []
        for query in queries.sorted() {
            for first in [1, 3, 20] {
                let (done, problem) = Self.compare(catalogue, query, first: first)
                if done { checked += 1 }
                if let problem { problems.append(problem) }
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        #expect(checked > 1_000, "\(checked) queries read by the threshold algorithm")
        // A page deeper than the threshold algorithm serves, and a query without words, are left to the exhaustive ranking.
        #expect(catalogue.topSearch("network", first: Catalogue.topSearchDeepest + 1) == nil)
        #expect(catalogue.topSearch("  ", first: 20) == nil)
    }

    @Test func theFirstPageIsTheExhaustiveRankingsOnAHundredThousandNetworks() throws {
        let catalogue: Catalogue
        if let path = ProcessInfo.processInfo.environment["LIAISON_SEARCH_DATA"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            catalogue = Catalogue(networks: try JSONLines.networks(data, source: path))
        } else {
            catalogue = Catalogue(networks: try JSONLines.networks(SyntheticCatalogue.lines(100_000), source: "synthetic"))
        }
        var problems: [String] = []
        var checked = 0
        var common = 0
        for query in SyntheticCatalogue.queries {
            for first in [1, 20, 100] {
                let (done, problem) = Self.compare(catalogue, query, first: first)
                if done { checked += 1 }
                if let problem { problems.append(problem) }
            }
            if (catalogue.topSearch(query, first: 20)?.total ?? 0) > 10_000 { common += 1 }
        }
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        #expect(checked >= SyntheticCatalogue.queries.count * 3 - 6, "\(checked) read by the threshold algorithm")
        #expect(common >= 10, "\(common) queries match more than 10,000 networks: the data has common words")
    }

    /// Two networks earn 9 for "alpha beta" one way (alpha in the name, beta in the purpose) and two the other way; the
    /// threshold reaches 9 after the first round while a network of 9 earlier in name order is still unread: reading
    /// stops only when the streams have passed the kept network's place, so the tie goes to name order.
    @Test func aTieAtTheThresholdGoesToNameOrder() throws {
        func line(_ slug: String, _ name: String, _ purpose: String) -> String {
            #"{"slug":"\#(slug)","name":"\#(name)","purpose":"\#(purpose)","region":"Europe","status":"active","memberships":[]}"#
        }
        var lines = [line("b1", "Beta One", "Alpha."), line("b2", "Beta Two", "Alpha."), line("h", "Zulu Alpha", "Beta.")]
        lines += (10..<80).map { line("f\($0)", "Filler \($0)", "Alpha beta.") }
        let catalogue = Catalogue(networks: try JSONLines.networks(Data(lines.joined(separator: "\n").utf8), source: "ties"))
        let top = try #require(catalogue.topSearch("alpha beta", first: 2))
        #expect(top.hits.map { catalogue.networks[$0.network].slug } == ["b1", "b2"] && top.hits.map(\.score) == [9, 9])
        #expect(Self.compare(catalogue, "alpha beta", first: 2).problem == nil)
    }

    /// A snippet of ASCII text is cut and marked byte by byte exactly as character by character.
    @Test func asciiSnippetsAreSplitAsCharactersAre() throws {
        let catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks())
        let texts = catalogue.networks.compactMap { $0.purpose[.en] }.filter { $0.utf8.allSatisfy { $0 < 0x80 } }
            + ["The the THE theft 2017 & R&D, e-evidence; (EJN)...", "", "   ", "a", "9/11 x_y tab\there\r\nnext"]
        #expect(texts.count > 30)
        for text in texts {
            for marking in [Set(["the", "network", "crime", "2017", "ejn"]), Set([""]), []] {
                #expect(SnippetPart.splitASCII(text, marking: marking) == SnippetPart.splitCharacters(text, marking: marking), "\(text.prefix(60))")
            }
        }
    }

    /// Whether a sentence holds a matched word is answered byte by byte as the sentence's folded words answer it.
    @Test func asciiSentencesHoldTheWordsTheirFoldedWordsHold() throws {
        let catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks())
        let purposes: [String] = catalogue.networks.compactMap { $0.purpose[.en] }.filter { $0.utf8.allSatisfy { $0 < 0x80 } }
        let sentences: [Substring] = purposes
            .flatMap { $0.split(separator: ".") } + ["The the", "theft", "R&D and", "R&D", "EJN's 2017", "", "money-laundering"]
        let wordLists = [["the"], ["network"], ["crime", "2017"], ["ejn"], ["money", "laundering"], ["and"], ["s"], ["cooperation"]]
        var held = 0
        for sentence in sentences {
            for words in wordLists {
                let expected = TextKey.words(String(sentence)).contains(where: Set(words).contains)
                #expect(Catalogue.holdsWord(sentence.utf8, of: words.map { Array($0.utf8) }) == expected, "\(sentence.prefix(60)) \(words)")
                if expected { held += 1 }
            }
        }
        #expect(held > 50)
    }

    /// Every `first`: the kept hits are the best, in order, whatever order they are offered in.
    @Test(arguments: [1, 7, 64])
    func theKeptHitsAreTheBest(first: Int) {
        let offered = (0..<2_000).map { i in
            let network = (i * 7_919) % 2_000
            return SearchHit(network: network, score: Double((network * 31) % 23), matchedWords: [])
        }
        var top = TopHits(capacity: first)
        for hit in offered { top.offer(hit) }
        var all = offered
        Catalogue.rank(&all, first: all.count)
        #expect(top.ranked().map(\.network) == all.prefix(first).map(\.network))
    }
}

/// A deterministic synthetic catalogue shaped like bench/'s: names from a few parts, purposes of 80 to 200 words drawn
/// from sentences about a network's three focus crimes, 3 to 40 member countries (popular ones more often).
enum SyntheticCatalogue {
    static let queries = [
        "money laundering", "extradition", "cybercrime", "human trafficking", "mutual legal assistance", "asset recovery",
        "corruption", "terrorism financing", "environmental crime", "wildlife trafficking", "European Arrest Warrants",
        "joint investigation team", "confiscation orders", "ransomware", "prosecutors", "central authorities",
        "letters rogatory", "network", "judicial network", "european", "africa", "ghana", "spain", "france", "judges",
        "electronic evidence", "cyber", "laund", "trafficking", "organised crime", "fraud", "piracy", "eurojsut",
        "network of prosecutors", "caribbean judicial network", "nordic", "war crimes", "genocide", "firearms",
        "asset recovery offices", "financial intelligence units", "supreme courts", "witness protection", "baltic network",
        "criminal matters", "tax evasion", "the", "of", "zzzqqq", "sahel prosecutors",
    ]

    static let prefixes = ["European", "Nordic", "Baltic", "Balkan", "African", "West African", "Sahel", "Ibero-American",
                           "Caribbean", "Andean", "Asia-Pacific", "Pacific Islands", "Arab", "Gulf", "Eurasian", "Global",
                           "International", "Francophone"]
    static let qualifiers = ["", "", "", "Regional", "Permanent", "Joint", "Informal", "Standing"]
    static let bodies = ["Judicial Network", "Network of Prosecutors", "Network of Central Authorities", "Association of Judges",
                         "Forum of Prosecutors General", "Network of Asset Recovery Offices", "Network of Contact Points",
                         "Network of Financial Intelligence Units", "Network of Liaison Magistrates", "Consortium of Supreme Courts"]
    static let topics = ["", "", "in Criminal Matters", "on Cybercrime", "against Corruption", "on Environmental Crime",
                         "against Trafficking in Human Beings", "on Organised Crime", "on Money Laundering", "on Asset Recovery",
                         "on Extradition", "on Wildlife Crime", "on Electronic Evidence", "on Tax Fraud"]
    static let crimes = ["money laundering", "terrorism financing", "human trafficking", "migrant smuggling", "drug trafficking",
                         "cybercrime", "ransomware attacks", "online fraud", "corruption", "fraud", "tax evasion",
                         "environmental crime", "wildlife trafficking", "illegal logging", "organised crime", "firearms trafficking",
                         "war crimes", "genocide", "piracy", "kidnapping", "extortion", "identity theft", "terrorism"]
    static let instruments = ["European Arrest Warrants", "mutual legal assistance requests", "extradition requests",
                              "letters rogatory", "freezing orders", "confiscation orders", "joint investigation team agreements",
                              "witness protection measures", "production orders for electronic evidence"]
    static let actors = ["prosecutors", "investigating judges", "central authorities", "liaison magistrates", "judicial trainers",
                         "asset recovery offices", "financial intelligence units", "law enforcement agencies", "supreme courts"]
    static let sentences = ["The network helps {actor} to handle {instrument} in cases of {crime}.",
                            "Members meet twice a year to discuss {crime} and {crime}.",
                            "It brings together {actor} and {actor} working against {crime}.",
                            "Its secretariat keeps a list of {actor} able to execute {instrument} quickly.",
                            "Training on {instrument} is offered to {actor}, with a focus on {crime}.",
                            "The members exchange information on {crime} before issuing {instrument}."]
    static let countries = ["FR", "DE", "ES", "IT", "NL", "BE", "PT", "US", "GB", "CA", "BR", "MX", "AR", "ZA", "NG", "KE", "MA",
                            "EG", "TR", "PL", "RO", "SE", "AT", "CH", "IE", "JP", "KR", "AU", "IN", "GH", "SN", "TN", "GR", "CZ",
                            "HU", "NO", "FI", "DK", "LT", "LV", "EE", "HR", "RS", "AL", "MK", "BA", "ME", "UA", "GE", "AM"]
    static let roles = ["member", "member", "member", "member", "member", "member", "observer", "observer", "partner", "contact-point"]

    /// SplitMix64: the same numbers on every machine.
    struct Numbers {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ list: [T]) -> T { list[below(list.count)] }
    }

    static func lines(_ count: Int) -> Data {
        var numbers = Numbers(state: 20_240_601)
        var out = ""
        out.reserveCapacity(count * 1_400)
        for id in 1...count {
            let name = [numbers.pick(prefixes), numbers.pick(qualifiers), numbers.pick(bodies), numbers.pick(topics)]
                .filter { !$0.isEmpty }.joined(separator: " ")
            let acronym = String(name.split(whereSeparator: { $0 == " " || $0 == "-" })
                .filter { $0.first?.isUppercase == true }.compactMap(\.first).prefix(7))
            let focus = (0..<3).map { _ in numbers.pick(crimes) }
            var words = 0
            var purpose: [String] = []
            let length = 80 + numbers.below(121)
            while words < length {
                var sentence = numbers.pick(sentences)
                for (slot, list) in [("{actor}", actors), ("{instrument}", instruments)] {
                    while let range = sentence.range(of: slot) { sentence.replaceSubrange(range, with: numbers.pick(list)) }
                }
                while let range = sentence.range(of: "{crime}") {
                    sentence.replaceSubrange(range, with: numbers.below(10) < 9 ? numbers.pick(focus) : numbers.pick(crimes))
                }
                words += sentence.split(separator: " ").count
                purpose.append(sentence)
            }
            // Popular countries more often: the lower of two draws.
            var members = Set<String>()
            let memberCount = 3 + numbers.below(38)
            while members.count < memberCount { members.insert(countries[min(numbers.below(countries.count), numbers.below(countries.count))]) }
            let memberships = members.sorted().map { #"{"country_code":"\#($0)","role":"\#(numbers.pick(roles))"}"# }
            out += #"{"id":\#(id),"slug":"n\#(id)","name":"\#(name)","acronym":"\#(acronym)","region":"Europe","purpose":"\#(purpose.joined(separator: " "))","founded":\#(1950 + numbers.below(75)),"status":"active","memberships":[\#(memberships.joined(separator: ","))]}"#
            out += "\n"
        }
        return Data(out.utf8)
    }
}
