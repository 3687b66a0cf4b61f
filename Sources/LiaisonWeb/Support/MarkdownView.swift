import LiaisonCore

/// Markdown as a template shows it (partials `md-blocks` and `md-inline`): every text goes through the escaper
/// like any other value, so no HTML in the source reaches the page as HTML. Headings start below the page's own
/// (`#` is shown as `h{1 + headingOffset}`).
struct MarkdownView {
    let blocks: [Block]
    let isEmpty: Bool

    init(_ source: String, headingOffset: Int = 2) {
        blocks = Markdown.parse(source).map { Block($0, offset: headingOffset) }
        isEmpty = blocks.isEmpty
    }

    struct Block {
        var isParagraph = false, isHeading = false, isList = false, isOrdered = false, isQuote = false, isCode = false, isRule = false
        var level = 0
        var start = 1
        var inlines: [Inline] = []
        var items: [Item] = []
        var blocks: [Block] = []
        var code = ""

        init(_ block: Markdown.Block, offset: Int) {
            switch block {
            case let .paragraph(inlines):
                isParagraph = true
                self.inlines = inlines.map(Inline.init)
            case let .heading(level, inlines):
                isHeading = true
                self.level = min(6, level + offset)
                self.inlines = inlines.map(Inline.init)
            case let .list(ordered, start, items):
                isList = true
                isOrdered = ordered
                self.start = start
                self.items = items.map { Item(blocks: $0.map { Block($0, offset: offset) }) }
            case let .quote(blocks):
                isQuote = true
                self.blocks = blocks.map { Block($0, offset: offset) }
            case let .code(text):
                isCode = true
                code = text
            case .rule:
                isRule = true
            }
        }
    }

    struct Item {
        let blocks: [Block]
    }

    struct Inline {
        var isText = false, isEmphasis = false, isStrong = false, isCode = false, isLink = false, isBreak = false
        var text = ""
        var url = ""
        var children: [Inline] = []

        init(_ inline: Markdown.Inline) {
            switch inline {
            case let .text(value):
                isText = true
                text = value
            case let .emphasis(inlines):
                isEmphasis = true
                children = inlines.map(Inline.init)
            case let .strong(inlines):
                isStrong = true
                children = inlines.map(Inline.init)
            case let .code(value):
                isCode = true
                text = value
            case let .link(url, inlines):
                isLink = true
                self.url = url
                children = inlines.map(Inline.init)
            case .lineBreak:
                isBreak = true
            }
        }
    }
}
