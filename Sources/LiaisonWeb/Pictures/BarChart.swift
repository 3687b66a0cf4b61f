import Foundation

/// A horizontal bar chart drawn on the server as SVG (its name and description for screen readers, readable in
/// print): each bar its label, its length, its figure; the page shows the same figures as a list or table beside it.
struct BarChart {
    struct Bar {
        let label: String
        let y: Int
        let textY: Int
        let width: Int
        let valueX: Int
        let value: String
    }

    let id: String
    let title: String
    let description: String
    let width: Int
    let height: Int
    let bars: [Bar]
    let hasBars: Bool

    static let labelWidth = 250
    static let barWidth = 380
    static let rowHeight = 22
    /// A generous width of one character of a figure at 13 px ("100 %" is about 38 px wide in common sans fonts).
    static let characterWidth = 9

    /// `items`: a label, how long its bar is (0–1 of the longest), and the figure written after it.
    init(id: String, title: String, items: [(label: String, share: Double, value: String)]) {
        self.id = id
        self.title = title
        description = items.map { "\($0.label): \($0.value)" }.joined(separator: "; ")
        bars = items.enumerated().map { index, item in
            let y = 8 + index * Self.rowHeight
            let width = item.share > 0 ? max(2, Int((item.share * Double(Self.barWidth)).rounded())) : 0
            return Bar(label: item.label.count > 34 ? String(item.label.prefix(33)) + "…" : item.label, y: y, textY: y + 14, width: width,
                       valueX: Self.labelWidth + width + 6, value: item.value)
        }
        hasBars = !bars.isEmpty
        height = 8 + max(1, bars.count) * Self.rowHeight
        // Wide enough for the longest figure after the longest bar ("40 (100 %)" was cut at the edge).
        width = max(700, bars.map { $0.valueX + $0.value.unicodeScalars.count * Self.characterWidth + 8 }.max() ?? 0)
    }

    /// Counts, each bar as long as its count is of the largest.
    init(id: String, title: String, counts: [(label: String, count: Int)]) {
        let largest = Double(counts.map(\.count).max() ?? 0)
        self.init(id: id, title: title, items: counts.map { ($0.label, largest > 0 ? Double($0.count) / largest : 0, String($0.count)) })
    }
}
