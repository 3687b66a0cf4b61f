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
    /// Where the labels end (they are right-aligned there) and the bars start.
    let labelX: Int
    let barX: Int
    let bars: [Bar]
    let hasBars: Bool

    static let barWidth = 380
    static let rowHeight = 22
    /// How wide a text is drawn at 13 px, generously, so that no label or figure is cut at an edge whichever sans-serif
    /// font the reader has: capitals and wide letters 11 px, full-width scripts 13 px, anything else 8.5 px (measured in
    /// Chromium: "A knowledge-sharing platform open…", 34 characters, is 238 px wide in Liberation Sans, about 258 px in
    /// DejaVu Sans, the wider fallback; this gives it 297).
    static func textWidth(_ text: String) -> Int {
        let wide = Set("MWmw@%".unicodeScalars)
        let width = text.unicodeScalars.reduce(0.0) { width, scalar in
            width + (scalar.value >= 0x2E80 ? 13 : scalar.properties.isUppercase || wide.contains(scalar) ? 11 : 8.5)
        }
        return Int(width.rounded(.up))
    }
    /// Labels longer than this are cut, with an ellipsis; the table beside the chart has them whole.
    static let labelLength = 40

    /// `items`: a label, how long its bar is (0–1 of the longest), and the figure written after it.
    init(id: String, title: String, items: [(label: String, share: Double, value: String)]) {
        self.id = id
        self.title = title
        description = items.map { "\($0.label): \($0.value)" }.joined(separator: "; ")
        let labels = items.map { $0.label.count > Self.labelLength ? String($0.label.prefix(Self.labelLength - 1)) + "…" : $0.label }
        // Room for the longest label before the bars, for the longest figure after the longest bar.
        let labelEnd = 8 + (labels.map(Self.textWidth).max() ?? 0)
        let barStart = labelEnd + 6
        let bars = zip(items, labels).enumerated().map { index, pair in
            let (item, label) = pair
            let y = 8 + index * Self.rowHeight
            let length = item.share > 0 ? max(2, Int((item.share * Double(Self.barWidth)).rounded())) : 0
            return Bar(label: label, y: y, textY: y + 14, width: length, valueX: barStart + length + 6, value: item.value)
        }
        labelX = labelEnd
        barX = barStart
        self.bars = bars
        hasBars = !bars.isEmpty
        height = 8 + max(1, bars.count) * Self.rowHeight
        width = bars.map { $0.valueX + Self.textWidth($0.value) + 8 }.max() ?? barStart + Self.barWidth
    }

    /// Counts, each bar as long as its count is of the largest.
    init(id: String, title: String, counts: [(label: String, count: Int)]) {
        let largest = Double(counts.map(\.count).max() ?? 0)
        self.init(id: id, title: title, items: counts.map { ($0.label, largest > 0 ? Double($0.count) / largest : 0, String($0.count)) })
    }
}
