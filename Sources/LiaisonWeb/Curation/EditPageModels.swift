import Foundation
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// The edit form of a network: each field with its value and, when refused, the problem beside it.
struct EditPage {
    struct Field {
        let name: String
        let label: String
        let value: String
        let error: String?
        let long: Bool
    }

    struct ChoiceField {
        let name: String
        let label: String
        let choices: [Choice]
        let error: String?
    }

    let slug: String
    let name: String
    let problems: [String]
    let hasProblems: Bool
    let texts: [Field]
    let singles: [ChoiceField]
    let multiples: [ChoiceField]
    /// Each field's source (optional), in a part of the form that is open when any has a value or a problem.
    let sources: [Field]
    let sourcesOpen: Bool
    let reason: Field
    /// The network's latest revision when the form was opened (a save on a newer one is refused).
    var revision: Int64 = 0
    /// The changes saved meanwhile, when a save was refused for them.
    var conflict: ConflictNotice?

    init(_ network: Network, draft: NetworkDraft, failure: NetworkEditFailure?, t: Localizer) {
        slug = network.slug
        name = network.displayName
        problems = failure?.errors.map(\.description) ?? []
        hasProblems = !problems.isEmpty
        func field(_ name: String, _ value: String, long: Bool = false) -> Field {
            // A list's problems name its line (`references[2].address`): shown beside the list.
            Field(name: name, label: t["edit_field.\(name)"], value: value, error: failure?.first(under: name)?.description, long: long)
        }
        func single<T: Vocabulary>(_ name: String, _ type: T.Type, _ value: String) -> ChoiceField {
            ChoiceField(name: name, label: t["edit_field.\(name)"],
                        choices: T.allCases.map { Choice(value: $0.rawValue, label: $0.label(t.language), selected: $0.rawValue == value) },
                        error: failure?.error(for: name)?.description)
        }
        func multiple<T: Vocabulary>(_ name: String, _ type: T.Type, _ values: [String]) -> ChoiceField {
            ChoiceField(name: name, label: t["edit_field.\(name)"],
                        choices: T.allCases.map { Choice(value: $0.rawValue, label: $0.label(t.language), selected: values.contains($0.rawValue)) },
                        error: failure?.error(for: name)?.description)
        }
        texts = [field("name", draft.name), field("name_fr", draft.nameFR), field("acronym", draft.acronym), field("other_names", draft.otherNames, long: true),
                 field("purpose_en", draft.purposeEN, long: true), field("purpose_fr", draft.purposeFR, long: true),
                 field("status_since", draft.statusSince), field("status_until", draft.statusUntil), field("status_note", draft.statusNote),
                 field("founded", draft.founded), field("website", draft.website), field("hosted_by", draft.hostedBy),
                 field("stated_member_count", draft.statedMemberCount), field("printed_name", draft.printedName),
                 field("notes", draft.notes, long: true),
                 field("references", draft.references, long: true), field("relations", draft.relations, long: true)]
        // Not established is a choice too: the function is the platform's reading of a network, given only on evidence.
        var function = single("function", NetworkFunction.self, draft.function)
        function = ChoiceField(name: function.name, label: function.label,
                               choices: [Choice(value: "", label: t["function_not_established"], selected: draft.function.isEmpty)] + function.choices,
                               error: function.error)
        let open = ChoiceField(name: "open_membership", label: t["edit_field.open_membership"],
                               choices: [Choice(value: "", label: t["open_membership_no"], selected: draft.openMembership.isEmpty),
                                         Choice(value: "1", label: t["open_membership_yes"], selected: !draft.openMembership.isEmpty)],
                               error: failure?.error(for: "open_membership")?.description)
        // Whether a French text is the network's own or official one, or a translation written for Liaison.
        func translated(_ name: String, _ value: String) -> ChoiceField {
            ChoiceField(name: name, label: t["edit_field.\(name)"],
                        choices: [Choice(value: "", label: t["translated_no"], selected: value.isEmpty),
                                  Choice(value: "1", label: t["translated_yes"], selected: !value.isEmpty)],
                        error: failure?.error(for: name)?.description)
        }
        singles = [single("section", Section.self, draft.section), single("scope", Scope.self, draft.scope),
                   single("status", NetworkStatusValue.self, draft.status), function, open,
                   translated("name_fr_translated", draft.nameFRTranslated), translated("purpose_fr_translated", draft.purposeFRTranslated)]
        multiples = [multiple("crime_areas", CrimeArea.self, draft.crimeAreas), multiple("instruments", Instrument.self, draft.instruments),
                     multiple("member_types", MemberType.self, draft.memberTypes)]
        sources = SourcedField.allCases.map { sourced in
            Field(name: "source_\(sourced.rawValue)", label: t.format("edit_source_label", ["field": t.fieldName(sourced.rawValue)]),
                  value: draft.sources[sourced.rawValue] ?? "", error: failure?.error(for: "source_\(sourced.rawValue)")?.description, long: false)
        }
        sourcesOpen = sources.contains { !$0.value.isEmpty || $0.error != nil }
        reason = field("reason", draft.reason)
    }
}

/// A network's history: each revision with who, when, why and what changed; the latest change can be undone and
/// any earlier version restored.
struct HistoryPage {
    struct Item {
        let seq: Int64
        let at: String
        let actor: String
        let reason: String
        let action: String
        let changes: [DiffLine]
        let undoable: Bool
        let restorable: Bool
    }

    let slug: String
    let name: String
    let items: [Item]

    /// `canRemove`: undoing a network's creation (removing it) is offered too.
    init(_ network: Network, revisions: [Revision], canRestore: Bool, canRemove: Bool, t: Localizer) {
        slug = network.slug
        name = network.displayName
        // Each revision decoded once.
        let changes = revisions.map { NetworkRevisionChange.decode($0.change) }
        items = revisions.enumerated().map { index, revision in
            let change = changes[index]
            let action = revision.action
            // Revisions are newest first: the one before in the list is the next one in time. A version is known when
            // the revision keeps its state, or the next one keeps the state before it (`NetworkRevisionChange.state`).
            let versionKnown = change != nil || (index > 0 && changes[index - 1] != nil)
            return Item(seq: revision.seq, at: t.dateTime(revision.at), actor: t.actor(revision), reason: t.reason(revision),
                        action: t["history_action.\(action.rawValue)"], changes: DiffLine.lines(change?.differences() ?? [], t: t),
                        undoable: index == 0 && canRestore && (change != nil || (canRemove && action == .created)),
                        restorable: index > 0 && canRestore && action != .deleted && versionKnown)
        }
    }
}

/// What others saved on an entry since a form was opened, shown beside the refused save (409) with the person's
/// own input kept; the form then carries the entry's latest revision, so saving again replaces their change knowingly.
struct ConflictNotice {
    struct Saved {
        let at: String
        let actor: String
        let reason: String
        let changes: [DiffLine]
    }

    let saved: [Saved]
    /// The revision the form carries from now on.
    let latest: Int64

    init?(_ conflict: WriteConflict?, t: Localizer) {
        guard let conflict, let latest = conflict.latest, !conflict.meanwhile.isEmpty else { return nil }
        self.latest = latest
        saved = conflict.meanwhile.map { revision in
            Saved(at: t.dateTime(revision.at), actor: t.actor(revision), reason: t.reason(revision),
                  changes: DiffLine.lines(NetworkRevisionChange.decode(revision.change)?.differences() ?? [], t: t))
        }
    }
}

/// One field's change as the history and the restore page show it.
struct DiffLine {
    let field: String
    let before: [String]
    let after: [String]

    static func lines(_ changes: [FieldChange], t: Localizer) -> [DiffLine] {
        changes.map { DiffLine(field: t.fieldName($0.field), before: $0.before, after: $0.after) }
    }
}

/// Restoring an earlier version: what it would change in the entry as it is now, and the reason to give.
struct RestorePage {
    let slug: String
    let name: String
    let seq: Int64
    let at: String
    let actor: String
    let revisionReason: String
    let changes: [DiffLine]
    let latest: Int64
    let problems: [String]
    let hasProblems: Bool
    let reason: String
    let reasonError: String?
    let conflict: ConflictNotice?

    init(_ network: Network, revision: Revision, version: Network, latest: Int64, reason: String, failure: NetworkEditFailure?,
         conflict: WriteConflict? = nil, t: Localizer) {
        slug = network.slug
        name = network.displayName
        seq = revision.seq
        at = t.dateTime(revision.at)
        actor = revision.actor
        revisionReason = revision.reason
        changes = DiffLine.lines((try? NetworkRevisionChange(action: .restored, before: network, after: version).differences()) ?? [], t: t)
        self.conflict = ConflictNotice(conflict, t: t)
        self.latest = self.conflict?.latest ?? latest
        problems = failure?.errors.map(\.description) ?? []
        hasProblems = !problems.isEmpty
        self.reason = reason
        reasonError = failure?.error(for: "reason")?.description
    }
}
