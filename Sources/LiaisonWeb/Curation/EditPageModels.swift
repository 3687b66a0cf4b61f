import Foundation
import LiaisonCore
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
    let reason: Field
    /// The network's latest revision when the form was opened (a save on a newer one is refused).
    var revision: Int64 = 0

    init(_ network: Network, draft: NetworkDraft, failure: NetworkEditFailure?, t: Localizer) {
        slug = network.slug
        name = network.displayName
        problems = failure?.errors.map(\.description) ?? []
        hasProblems = !problems.isEmpty
        func field(_ name: String, _ value: String, long: Bool = false) -> Field {
            // A list's problems name its line (`references[2].address`): shown beside the list.
            let error = failure?.error(for: name) ?? failure?.errors.first { error in
                switch error {
                case let .invalidValue(field, _, _), let .missingField(field), let .duplicate(field, _): field.hasPrefix(name + "[")
                default: false
                }
            }
            return Field(name: name, label: t["edit_field.\(name)"], value: value, error: error?.description, long: long)
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
        texts = [field("name", draft.name), field("acronym", draft.acronym), field("other_names", draft.otherNames, long: true),
                 field("purpose_en", draft.purposeEN, long: true), field("purpose_fr", draft.purposeFR, long: true),
                 field("status_since", draft.statusSince), field("status_until", draft.statusUntil), field("status_note", draft.statusNote),
                 field("founded", draft.founded), field("website", draft.website), field("notes", draft.notes, long: true),
                 field("references", draft.references, long: true), field("relations", draft.relations, long: true)]
        singles = [single("section", Section.self, draft.section), single("scope", Scope.self, draft.scope),
                   single("status", NetworkStatusValue.self, draft.status)]
        multiples = [multiple("crime_areas", CrimeArea.self, draft.crimeAreas), multiple("instruments", Instrument.self, draft.instruments),
                     multiple("member_types", MemberType.self, draft.memberTypes)]
        reason = field("reason", draft.reason)
    }
}

/// A network's history: each revision with who, when, why and what changed.
struct HistoryPage {
    struct Change {
        let field: String
        let before: [String]
        let after: [String]
    }

    struct Item {
        let seq: Int64
        let at: String
        let actor: String
        let reason: String
        let action: String
        let changes: [Change]
        let restorable: Bool
    }

    let slug: String
    let name: String
    let items: [Item]
    let canRestore: Bool

    /// `canRemove`: undoing a network's creation (removing it) is offered too.
    init(_ network: Network, revisions: [Revision], canRestore: Bool, canRemove: Bool, t: Localizer) {
        slug = network.slug
        name = network.displayName
        self.canRestore = canRestore
        let format = t.dateTimeFormat
        items = revisions.map { revision in
            let change = NetworkRevisionChange.decode(revision.change)
            let action = change?.action.rawValue
                ?? ((try? JSONSerialization.jsonObject(with: Data(revision.change.utf8))) as? [String: Any])?["action"] as? String ?? "changed"
            return Item(seq: revision.seq, at: revision.at.formatted(format), actor: revision.actor, reason: revision.reason,
                        action: t["history_action.\(action)"],
                        changes: change?.differences().map { Change(field: t["edit_field.\($0.field)"], before: $0.before, after: $0.after) } ?? [],
                        restorable: revision.seq == revisions.first?.seq && canRestore && (change != nil || (canRemove && action == "created")))
        }
    }
}
