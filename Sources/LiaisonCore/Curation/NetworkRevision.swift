import Foundation

/// What a revision of a network did; stored in its own column of the revision log.
public enum RevisionAction: String, Sendable, CaseIterable, Codable {
    /// The network entered the catalogue (an import, an accepted proposal).
    case created
    /// An import wrote the network again.
    case replaced
    /// A person changed it.
    case edited
    /// An earlier state came back (an undo or a restored version).
    case restored
    /// It was removed.
    case deleted
}

/// What the history keeps of an edit: the network before and after, each as one object of the data-file format.
/// From it the history shows what changed, and any state can be restored.
public struct NetworkRevisionChange: Sendable, Equatable {
    public enum Action: String, Sendable, Codable {
        case edited, restored

        public var revisionAction: RevisionAction { self == .edited ? .edited : .restored }
    }

    public let action: Action
    public let before: String
    public let after: String
    /// For an undo: the revision that was undone (the state before it came back).
    public let restoredFrom: Int64?
    /// For a restored version: the revision whose state (right after it) came back.
    public let restoredVersion: Int64?

    public init(action: Action, before: Network, after: Network, restoredFrom: Int64? = nil, restoredVersion: Int64? = nil) throws {
        self.action = action
        self.before = try Self.json(before)
        self.after = try Self.json(after)
        self.restoredFrom = restoredFrom
        self.restoredVersion = restoredVersion
    }

    /// The text stored in the revision log.
    public func encoded() throws -> String {
        var object: [String: Any] = ["action": action.rawValue, "before": try Self.object(before), "after": try Self.object(after)]
        if let restoredFrom { object["restored_from"] = restoredFrom }
        if let restoredVersion { object["restored_version"] = restoredVersion }
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    /// Reads a revision's text; nil for revisions that keep no states (imports).
    public static func decode(_ text: String) -> NetworkRevisionChange? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let action = (object["action"] as? String).flatMap(Action.init(rawValue:)),
              let before = object["before"], let after = object["after"],
              let beforeData = try? JSONSerialization.data(withJSONObject: before, options: [.sortedKeys, .withoutEscapingSlashes]),
              let afterData = try? JSONSerialization.data(withJSONObject: after, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return nil }
        return NetworkRevisionChange(action: action, before: String(decoding: beforeData, as: UTF8.self),
                                     after: String(decoding: afterData, as: UTF8.self),
                                     restoredFrom: (object["restored_from"] as? NSNumber)?.int64Value,
                                     restoredVersion: (object["restored_version"] as? NSNumber)?.int64Value)
    }

    private init(action: Action, before: String, after: String, restoredFrom: Int64?, restoredVersion: Int64?) {
        self.action = action
        self.before = before
        self.after = after
        self.restoredFrom = restoredFrom
        self.restoredVersion = restoredVersion
    }

    /// The network's state right after a revision, as one data-file object: an edit keeps it; an import or a
    /// creation keeps none, but the next revision of the same network that keeps states starts from it.
    /// `next`: the network's revision right after this one (nil when this is the latest). Nil when unknown.
    public static func state(after revision: String, next: String?) -> String? {
        if let change = decode(revision) { return change.after }
        return next.flatMap(decode)?.before
    }

    /// A network as one data-file object (compact, keys sorted).
    public static func json(_ network: Network) throws -> String {
        String(decoding: try JSONLines.line(network), as: UTF8.self)
    }

    /// The network a data-file object describes (to restore it).
    public static func network(_ json: String, directory: PartyDirectory = .standard, networkSlugs: Set<String>) throws -> Network {
        let record = try CatalogueFile.decoder().decode(CatalogueFile.NetworkRecord.self, from: Data(json.utf8))
        var problems = ProblemList()
        guard let network = record.network(path: "revision", directory: directory, networkSlugs: networkSlugs, problems: &problems),
              problems.errors.isEmpty
        else { throw ImportFailure(errors: problems.errors) }
        return network
    }

    private static func object(_ json: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(json.utf8))
    }

    /// What changed, field by field, in words a reader follows: for member lists, the entries added and removed.
    public func differences() -> [FieldChange] {
        guard let old = (try? Self.object(before)) as? [String: Any], let new = (try? Self.object(after)) as? [String: Any] else { return [] }
        var changes: [FieldChange] = []
        for key in Set(old.keys).union(new.keys).sorted() {
            if key == "groups" {
                // Members: the entries removed and added (counted: one of two identical entries removed shows).
                let (removed, added) = Self.difference(Self.entries(old[key]), Self.entries(new[key]))
                if !added.isEmpty || !removed.isEmpty { changes.append(FieldChange(field: "members", before: removed, after: added)) }
                // The groups themselves: heading, role, printed text, stated count.
                let (was, now) = Self.difference(Self.groupLines(old[key]), Self.groupLines(new[key]))
                if !was.isEmpty || !now.isEmpty { changes.append(FieldChange(field: "groups", before: was, after: now)) }
                continue
            }
            let was = Self.lines(old[key], sources: key == "sources"), now = Self.lines(new[key], sources: key == "sources")
            if was != now { changes.append(FieldChange(field: key, before: was, after: now)) }
        }
        return changes
    }

    /// A value as lines of text (lists a line an item, objects `key: value`); field sources as `field: source`.
    static func lines(_ value: Any?, sources: Bool) -> [String] {
        guard sources, let list = value as? [[String: Any]] else { return lines(value) }
        return list.map { "\($0["field"] as? String ?? "?"): \($0["source"] as? String ?? "")" }
    }

    /// A value as lines of text (lists a line an item, objects `key: value`).
    static func lines(_ value: Any?) -> [String] {
        switch value {
        case nil, is NSNull: return []
        case let list as [Any]: return list.flatMap { lines($0) }
        case let object as [String: Any]: return object.keys.sorted().flatMap { key in lines(object[key]).map { "\(key): \($0)" } }
        case let number as NSNumber: return [number.stringValue]
        case let text as String: return [text]
        default: return [String(describing: value!)]
        }
    }

    /// What `a` has that `b` lacks, and the reverse, counting repeats.
    static func difference(_ a: [String], _ b: [String]) -> (onlyA: [String], onlyB: [String]) {
        var counts: [String: Int] = [:]
        for line in b { counts[line, default: 0] += 1 }
        var onlyA: [String] = []
        for line in a {
            if let n = counts[line], n > 0 { counts[line] = n - 1 } else { onlyA.append(line) }
        }
        var left: [String: Int] = [:]
        for line in a { left[line, default: 0] += 1 }
        var onlyB: [String] = []
        for line in b {
            if let n = left[line], n > 0 { left[line] = n - 1 } else { onlyB.append(line) }
        }
        return (onlyA, onlyB)
    }

    /// Each group without its entries, as lines.
    static func groupLines(_ value: Any?) -> [String] {
        guard let groups = value as? [[String: Any]] else { return [] }
        return groups.map { group in
            lines(group.filter { $0.key != "parties" }).joined(separator: "; ")
        }
    }

    /// The member entries of the groups, as "role: name" (or "heading: name"), with what the entry says besides:
    /// "observer: Austria (since: 2019; note: https://…)".
    static func entries(_ value: Any?) -> [String] {
        guard let groups = value as? [[String: Any]] else { return [] }
        return groups.flatMap { group -> [String] in
            let label = (group["role"] as? String) ?? (group["heading"] as? String) ?? "members"
            return ((group["parties"] as? [Any]) ?? []).map { entry in
                guard let entry = entry as? [String: Any] else { return "\(label): \(lines(entry).joined(separator: ", "))" }
                let details = entry.keys.filter { $0 != "printed" && $0 != "role" }.sorted().flatMap { key in lines(entry[key]).map { "\(key): \($0)" } }
                return "\((entry["role"] as? String) ?? label): \((entry["printed"] as? String) ?? "?")"
                    + (details.isEmpty ? "" : " (" + details.joined(separator: "; ") + ")")
            }
        }
    }
}

/// One field's change: the lines it had and the lines it has (for members: those removed and those added).
public struct FieldChange: Sendable, Equatable {
    public let field: String
    public let before: [String]
    public let after: [String]

    public init(field: String, before: [String], after: [String]) {
        self.field = field
        self.before = before
        self.after = after
    }
}
