import Foundation
import LiaisonCore

/// The links of a list shown a page at a time — previous, next, "Page 2 of 5" — named for assistive technology by
/// `label`, and shown only when there is more than one page (the partial `paging`).
struct Paging {
    let label: String
    let previousURL: String
    let hasPrevious: Bool
    let nextURL: String
    let hasNext: Bool
    let text: String
    let shown: Bool

    /// `url`: the address of a page (its number from 1).
    init(page: Int, pages: Int, label: String, t: Localizer, url: (Int) -> String) {
        self.label = label
        hasPrevious = page > 1
        previousURL = hasPrevious ? url(page - 1) : ""
        hasNext = page < pages
        nextURL = hasNext ? url(page + 1) : ""
        text = t.format("page_of", ["page": page, "pages": pages])
        shown = pages > 1
    }

    /// How many pages `total` items make, `perPage` a page (at least one).
    static func count(_ total: Int, perPage: Int) -> Int {
        max(1, (total + perPage - 1) / perPage)
    }

    /// A page's number as a query gives it: a whole number from 1 (1 when absent).
    static func number(_ text: String?, field: String = "page") throws -> Int {
        guard let text else { return 1 }
        guard text.count <= 6, let page = Int(text), page >= 1 else {
            throw InputError.invalidValue(field: field, value: TextRules.preview(text), rule: "must be a whole number from 1")
        }
        return page
    }

    /// Refuses a page past the last, naming the field.
    static func check(_ page: Int, of pages: Int, field: String = "page") throws {
        guard page <= pages else {
            throw InputError.invalidValue(field: field, value: String(page), rule: "must be at most \(pages), the number of pages")
        }
    }
}
