import Foundation

/// Markdown as people write it in a meeting's description, an agenda or minutes, read into a tree a template
/// renders through the project's one escaper: no HTML in the text reaches a page as HTML (it shows as written),
/// and a link goes only to `http`, `https` or `mailto` addresses.
///
/// The subset: paragraphs, headings (`#` to `######`), bulleted and numbered lists (nested by indentation),
/// quotes (`>`), fenced code (```), rules (`---`), emphasis (`*a*`, `_a_`), strong (`**a**`, `__a__`), code
/// spans, links (`[text](https://…)`), autolinks (`<https://…>`) and bare `http(s)://` addresses, backslash
/// escapes, hard line breaks (two spaces or `\` at a line's end).
///
/// Work is linear in the text: every scan moves forward, delimiters are matched with a stack each element of
/// which is pushed and popped once, a candidate address is checked in constant time against indexes made in one
/// backward pass, and nesting stops at `maxDepth` (quotes, lists) and `maxEmphasis` — deeper markers are text.
public enum Markdown {
    public static let maxDepth = 8
    /// Emphasis markers open at once, at most (each run of at most three: emphasis nests no deeper than 2 × this).
    public static let maxEmphasis = 8

    public indirect enum Block: Equatable, Sendable {
        case paragraph([Inline])
        case heading(level: Int, [Inline])
        case list(ordered: Bool, start: Int, items: [[Block]])
        case quote([Block])
        case code(String)
        case rule
    }

    public indirect enum Inline: Equatable, Sendable {
        case text(String)
        case emphasis([Inline])
        case strong([Inline])
        case code(String)
        case link(url: String, [Inline])
        case lineBreak
    }

    /// The blocks of a text.
    public static func parse(_ text: String) -> [Block] {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map { String($0).replacingOccurrences(of: "\t", with: "    ") }
        return blocks(lines[...], depth: 0)
    }

    /// The text without its marks, for a plain-text mail: links as "text (address)", list items with "- " or
    /// "1. ", quotes with "> ", blocks separated by a blank line.
    public static func plainText(_ blocks: [Block]) -> String {
        blocks.map { plain($0, indent: "") }.joined(separator: "\n\n")
    }

    /// Whether an address may be a link's target.
    public static func isSafeURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard safeSchemes.contains(where: { lower.hasPrefix($0) }) else { return false }
        return !text.unicodeScalars.contains(where: isUnsafeInURL)
    }

    static let safeSchemes = ["https://", "http://", "mailto:"]

    /// A scalar no address of a link may hold: controls, spaces, quotes, angle brackets, backslashes, backticks.
    static func isUnsafeInURL(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value <= 0x20 || scalar == "\"" || scalar == "<" || scalar == ">" || scalar == "\\" || scalar == "`" || scalar.value == 0x7F
    }

    // MARK: Blocks

    private static func indentation(_ line: String) -> Int {
        line.prefix { $0 == " " }.count
    }

    private static func isBlank(_ line: String) -> Bool {
        line.allSatisfy { $0 == " " }
    }

    /// A list item's marker: (ordered, number, width of marker and its space).
    private static func listMarker(_ line: String) -> (ordered: Bool, number: Int, width: Int)? {
        let indent = indentation(line)
        guard indent < 4 else { return nil }
        let rest = line.dropFirst(indent)
        if let first = rest.first, "-*+".contains(first) {
            let after = rest.dropFirst()
            guard after.isEmpty || after.first == " " else { return nil }
            return (false, 0, indent + 1 + (after.isEmpty ? 0 : 1))
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        let after = rest.dropFirst(digits.count)
        guard let dot = after.first, dot == "." || dot == ")" else { return nil }
        let next = after.dropFirst()
        guard next.isEmpty || next.first == " " else { return nil }
        return (true, Int(digits) ?? 1, indent + digits.count + 1 + (next.isEmpty ? 0 : 1))
    }

    private static func isRule(_ line: String) -> Bool {
        let marks = line.filter { $0 != " " }
        guard marks.count >= 3, let first = marks.first, "-*_".contains(first), indentation(line) < 4 else { return false }
        return marks.allSatisfy { $0 == first }
    }

    private static func heading(_ line: String) -> (Int, String)? {
        let trimmed = line.drop { $0 == " " }
        guard indentation(line) < 4 else { return nil }
        let hashes = trimmed.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes) else { return nil }
        let rest = trimmed.dropFirst(hashes)
        guard rest.isEmpty || rest.first == " " else { return nil }
        var text = rest.trimmingCharacters(in: .whitespaces)
        // A closing run of #s is not part of the heading.
        let closing = text.reversed().prefix { $0 == "#" }.count
        if closing > 0, closing == text.count || text.dropLast(closing).last == " " {
            text = String(text.dropLast(closing)).trimmingCharacters(in: .whitespaces)
        }
        return (hashes, text)
    }

    private static func isFence(_ line: String) -> Bool {
        indentation(line) < 4 && line.drop { $0 == " " }.hasPrefix("```")
    }

    private static func isQuote(_ line: String) -> Bool {
        indentation(line) < 4 && line.drop { $0 == " " }.first == ">"
    }

    /// Whether a line starts a block other than a paragraph (and so ends a paragraph before it).
    private static func interrupts(_ line: String) -> Bool {
        heading(line) != nil || isFence(line) || isQuote(line) || isRule(line) || listMarker(line) != nil
    }

    private static func blocks(_ lines: ArraySlice<String>, depth: Int) -> [Block] {
        var result: [Block] = []
        var index = lines.startIndex
        while index < lines.endIndex {
            let line = lines[index]
            if isBlank(line) {
                index += 1
            } else if depth < maxDepth, isFence(line) {
                var code: [String] = []
                index += 1
                while index < lines.endIndex, !isFence(lines[index]) {
                    code.append(lines[index])
                    index += 1
                }
                index = min(index + 1, lines.endIndex)
                result.append(.code(code.joined(separator: "\n")))
            } else if let (level, text) = heading(line) {
                result.append(.heading(level: level, inlines(text)))
                index += 1
            } else if isRule(line) {
                result.append(.rule)
                index += 1
            } else if depth < maxDepth, isQuote(line) {
                var quoted: [String] = []
                while index < lines.endIndex, !isBlank(lines[index]) {
                    let current = lines[index]
                    if isQuote(current) {
                        var rest = current.drop { $0 == " " }.dropFirst()
                        if rest.first == " " { rest = rest.dropFirst() }
                        quoted.append(String(rest))
                    } else if quoted.isEmpty || interrupts(current) {
                        break
                    } else {
                        quoted.append(current)  // a paragraph's lazy continuation
                    }
                    index += 1
                }
                result.append(.quote(blocks(quoted[...], depth: depth + 1)))
            } else if depth < maxDepth, let marker = listMarker(line) {
                var items: [[Block]] = []
                while index < lines.endIndex, let current = listMarker(lines[index]), current.ordered == marker.ordered {
                    var content = [String(lines[index].dropFirst(current.width))]
                    index += 1
                    // The item goes on while lines are indented past its marker, or are blank before such a line.
                    while index < lines.endIndex {
                        let next = lines[index]
                        if isBlank(next) {
                            var ahead = index + 1
                            while ahead < lines.endIndex, isBlank(lines[ahead]) { ahead += 1 }
                            guard ahead < lines.endIndex, indentation(lines[ahead]) >= current.width else { break }
                            content.append(contentsOf: lines[index..<ahead].map { _ in "" })
                            index = ahead
                        } else if indentation(next) >= current.width {
                            content.append(String(next.dropFirst(current.width)))
                            index += 1
                        } else if !interrupts(next), let last = content.last, !isBlank(last) {
                            content.append(next)  // lazy continuation of the item's paragraph
                            index += 1
                        } else {
                            break
                        }
                    }
                    items.append(blocks(content[...], depth: depth + 1))
                    // Blank lines between items.
                    var ahead = index
                    while ahead < lines.endIndex, isBlank(lines[ahead]) { ahead += 1 }
                    if ahead < lines.endIndex, let next = listMarker(lines[ahead]), next.ordered == marker.ordered { index = ahead }
                }
                result.append(.list(ordered: marker.ordered, start: marker.number, items: items))
            } else {
                var text: [String] = []
                while index < lines.endIndex, !isBlank(lines[index]), text.isEmpty || !interrupts(lines[index]) {
                    text.append(lines[index])
                    index += 1
                }
                result.append(.paragraph(paragraph(text)))
            }
        }
        return result
    }

    /// A paragraph's lines, each trimmed, read as one text: joined by a space, or by a hard break after two spaces
    /// or a backslash.
    private static func paragraph(_ lines: [String]) -> [Inline] {
        var joined = ""
        for (index, line) in lines.enumerated() {
            let last = index == lines.count - 1
            let hard = !last && (line.hasSuffix("  ") || (line.hasSuffix("\\") && !line.hasSuffix("\\\\")))
            var text = line.drop { $0 == " " }
            while text.last == " " { text = text.dropLast() }
            if hard, text.last == "\\" { text = text.dropLast() }
            joined += text
            if !last { joined += hard ? "\n" : " " }
        }
        return inlines(joined)
    }

    // MARK: Inlines

    private enum Piece {
        case node(Inline)
        /// A run of `*` or `_` that may open, with how many of it are left.
        case delimiter(Character, count: Int)
        case bracket
    }

    /// Inline content, in one pass. The pieces wait on a stack; where the open brackets and the openers of each
    /// delimiter are on it is kept beside it, so that a closer finds its opener without searching the stack.
    /// A line feed in the text is a hard line break.
    static func inlines(_ text: String) -> [Inline] {
        let chars = Array(text)
        let n = chars.count
        // Where the next `)`, `>` and whitespace are, from each position (scanned once, backwards).
        // Where the next character an address may not hold is (`nextUnsafe`), and how many characters that end a
        // sentence rather than an address come right before each position (`trailing`): each candidate address is
        // then checked in constant time, and a String is made only of one that is taken.
        var nextClose = [Int](repeating: n, count: n + 1), nextAngle = [Int](repeating: n, count: n + 1), nextSpace = [Int](repeating: n, count: n + 1)
        var nextUnsafe = [Int](repeating: n, count: n + 1), trailing = [Int](repeating: 0, count: n + 1)
        if n > 0 {
            for i in stride(from: n - 1, through: 0, by: -1) {
                nextClose[i] = chars[i] == ")" ? i : nextClose[i + 1]
                nextAngle[i] = chars[i] == ">" ? i : nextAngle[i + 1]
                nextSpace[i] = chars[i].isWhitespace ? i : nextSpace[i + 1]
                nextUnsafe[i] = chars[i].unicodeScalars.contains(where: isUnsafeInURL) ? i : nextUnsafe[i + 1]
            }
            for i in 1...n { trailing[i] = ".,;:!?)'\"".contains(chars[i - 1]) ? trailing[i - 1] + 1 : 0 }
        }
        /// Whether `chars[start..<end]` is an address `isSafeURL` takes, without making it a String.
        func isSafe(_ start: Int, _ end: Int) -> Bool {
            guard end > start, nextUnsafe[start] >= end else { return false }
            return safeSchemes.contains { scheme in
                scheme.count <= end - start && zip(scheme, chars[start..<(start + scheme.count)]).allSatisfy { $0 == Character($1.lowercased()) }
            }
        }
        // Where each backtick run starts, by its length, for matching code spans forwards only.
        var runs: [Int: [Int]] = [:]
        var i = 0
        while i < n {
            if chars[i] == "`" {
                var j = i
                while j < n, chars[j] == "`" { j += 1 }
                runs[j - i, default: []].append(i)
                i = j
            } else {
                i += 1
            }
        }
        var runCursor: [Int: Int] = [:]

        var stack: [Piece] = []
        var brackets: [Int] = []
        var openers: [Character: [Int]] = ["*": [], "_": []]
        // Brackets below this index can no longer make a link (no link inside a link).
        var inactiveBelow = 0
        var text = ""
        func flush() {
            if !text.isEmpty { stack.append(.node(.text(text))); text = "" }
        }
        /// The stack cut back to `count` pieces, the indexes beside it with it.
        func truncate(_ count: Int) {
            stack.removeSubrange(count...)
            inactiveBelow = min(inactiveBelow, count)
            while let last = brackets.last, last >= count { brackets.removeLast() }
            for c in ["*", "_"] as [Character] {
                while let last = openers[c]?.last, last >= count { openers[c]?.removeLast() }
            }
        }
        /// The pieces from `start` on, as nodes, taken off the stack.
        func take(from start: Int) -> [Inline] {
            let children = resolve(Array(stack[start...]))
            truncate(start)
            return children
        }
        func isPunctuationOrSpace(_ c: Character?) -> Bool {
            guard let c else { return true }
            return c.isWhitespace || c.isPunctuation || c.isSymbol
        }

        i = 0
        while i < n {
            let c = chars[i]
            switch c {
            case "\n":
                flush()
                stack.append(.node(.lineBreak))
                i += 1
            case "\\" where i + 1 < n && chars[i + 1].isASCII && (chars[i + 1].isPunctuation || chars[i + 1].isSymbol):
                text.append(chars[i + 1])
                i += 2
            case "`":
                var j = i
                while j < n, chars[j] == "`" { j += 1 }
                let length = j - i
                let positions = runs[length] ?? []
                var cursor = runCursor[length] ?? 0
                while cursor < positions.count, positions[cursor] <= i { cursor += 1 }
                runCursor[length] = cursor
                if cursor < positions.count {
                    let end = positions[cursor]
                    var code = String(chars[j..<end]).replacingOccurrences(of: "\n", with: " ")
                    if code.count >= 2, code.first == " ", code.last == " ", code.contains(where: { $0 != " " }) {
                        code = String(code.dropFirst().dropLast())
                    }
                    flush()
                    stack.append(.node(.code(code)))
                    runCursor[length] = cursor + 1
                    i = end + length
                } else {
                    text.append(contentsOf: chars[i..<j])
                    i = j
                }
            case "*", "_":
                var j = i
                while j < n, chars[j] == c { j += 1 }
                // A long run (a line of underscores) is text; so is a marker past `maxEmphasis` open ones: emphasis
                // nests no deeper than that, however the text is written.
                guard j - i <= 3 else {
                    text.append(contentsOf: chars[i..<j])
                    i = j
                    continue
                }
                let before: Character? = i > 0 ? chars[i - 1] : nil
                let after: Character? = j < n ? chars[j] : nil
                let leftFlanking = !(after?.isWhitespace ?? true) && (!isPunctuationOrSpace(after) || isPunctuationOrSpace(before))
                let rightFlanking = !(before?.isWhitespace ?? true) && (!isPunctuationOrSpace(before) || isPunctuationOrSpace(after))
                // `_` inside a word (snake_case) is a letter.
                let canOpen = c == "*" ? leftFlanking : leftFlanking && (!rightFlanking || isPunctuationOrSpace(before))
                let canClose = c == "*" ? rightFlanking : rightFlanking && (!leftFlanking || isPunctuationOrSpace(after))
                flush()
                var count = j - i
                // Close against the nearest opener of the same character, unless an open bracket is between.
                while canClose, count > 0, let opener = openers[c]?.last, (brackets.last ?? -1) < opener,
                      case let .delimiter(_, openCount) = stack[opener] {
                    let used = min(openCount, count) >= 2 ? 2 : 1
                    let inner = take(from: opener + 1)
                    let node: Inline = used == 2 ? .strong(inner) : .emphasis(inner)
                    if openCount > used {
                        stack[opener] = .delimiter(c, count: openCount - used)
                        stack.append(.node(node))
                    } else {
                        stack[opener] = .node(node)
                        openers[c]?.removeLast()
                    }
                    count -= used
                }
                if count > 0 {
                    if canOpen, (openers["*"]?.count ?? 0) + (openers["_"]?.count ?? 0) < Self.maxEmphasis {
                        openers[c]?.append(stack.count)
                        stack.append(.delimiter(c, count: count))
                    } else {
                        text.append(String(repeating: c, count: count))
                    }
                }
                i = j
            case "[":
                flush()
                brackets.append(stack.count)
                stack.append(.bracket)
                i += 1
            case "]":
                if let opener = brackets.last {
                    // A link: `](address)` right after, and a `[` that may still make one.
                    if opener >= inactiveBelow, i + 1 < n, chars[i + 1] == "(" {
                        let close = nextClose[i + 2]
                        if close < n, nextSpace[i + 2] > close, isSafe(i + 2, close) {
                            let url = String(chars[(i + 2)..<close])
                            flush()
                            let children = take(from: opener + 1)
                            truncate(opener)
                            stack.append(.node(.link(url: url, children)))
                            inactiveBelow = stack.count
                            i = close + 1
                            continue
                        }
                    }
                    // Not a link: the `[` is text again.
                    flush()
                    stack[opener] = .node(.text("["))
                    brackets.removeLast()
                }
                text.append("]")
                i += 1
            case "<":
                let end = nextAngle[i + 1]
                if end < n, nextSpace[i + 1] > end, isSafe(i + 1, end) {
                    let url = String(chars[(i + 1)..<end])
                    flush()
                    stack.append(.node(.link(url: url, [.text(url.hasPrefix("mailto:") ? String(url.dropFirst(7)) : url)])))
                    i = end + 1
                } else {
                    text.append(c)
                    i += 1
                }
            case "h" where (i == 0 || chars[i - 1].isWhitespace || chars[i - 1] == "(") && startsBareURL(chars, at: i):
                // Trailing punctuation ends the sentence, not the address.
                let end = max(i, nextSpace[i] - trailing[nextSpace[i]])
                if end - i > 8, isSafe(i, end) {
                    let url = String(chars[i..<end])
                    flush()
                    stack.append(.node(.link(url: url, [.text(url)])))
                    i = end
                } else {
                    text.append(c)
                    i += 1
                }
            default:
                text.append(c)
                i += 1
            }
        }
        flush()
        return resolve(stack)
    }

    private static func startsBareURL(_ chars: [Character], at i: Int) -> Bool {
        let http: [Character] = Array("http://"), https: [Character] = Array("https://")
        func has(_ prefix: [Character]) -> Bool {
            i + prefix.count <= chars.count && Array(chars[i..<(i + prefix.count)]) == prefix
        }
        return has(https) || has(http)
    }

    /// The pieces left as nodes: unmatched delimiters and brackets become their text.
    private static func resolve(_ pieces: [Piece]) -> [Inline] {
        merged(pieces.map { piece in
            switch piece {
            case let .node(node): node
            case let .delimiter(c, count): .text(String(repeating: c, count: count))
            case .bracket: .text("[")
            }
        })
    }

    /// Adjacent texts joined into one (each appended once to a growing text: linear, however many pieces).
    private static func merged(_ nodes: [Inline]) -> [Inline] {
        var result: [Inline] = []
        var text = "", hasText = false
        for node in nodes {
            if case let .text(next) = node {
                text.append(next)
                hasText = true
                continue
            }
            if hasText { result.append(.text(text)); text = ""; hasText = false }
            result.append(node)
        }
        if hasText { result.append(.text(text)) }
        return result
    }

    // MARK: Plain text

    private static func plain(_ block: Block, indent: String) -> String {
        switch block {
        case let .paragraph(inlines): return indent + plain(inlines, indent: indent)
        case let .heading(_, inlines): return indent + plain(inlines, indent: indent)
        case .rule: return indent + "----"
        case let .code(text): return text.split(separator: "\n", omittingEmptySubsequences: false).map { indent + "    " + $0 }.joined(separator: "\n")
        case let .quote(blocks): return blocks.map { plain($0, indent: indent + "> ") }.joined(separator: "\n" + indent + ">\n")
        case let .list(ordered, start, items):
            return items.enumerated().map { offset, blocks in
                let marker = ordered ? "\(start + offset). " : "- "
                let body = blocks.map { plain($0, indent: indent + String(repeating: " ", count: marker.count)) }.joined(separator: "\n")
                return indent + marker + body.dropFirst(indent.count + marker.count)
            }.joined(separator: "\n")
        }
    }

    private static func plain(_ inlines: [Inline], indent: String) -> String {
        inlines.map { inline in
            switch inline {
            case let .text(text), let .code(text): text
            case let .emphasis(children), let .strong(children): plain(children, indent: indent)
            case let .link(url, children):
                plain(children, indent: indent) == url || "mailto:" + plain(children, indent: indent) == url
                    ? plain(children, indent: indent) : "\(plain(children, indent: indent)) (\(url))"
            case .lineBreak: "\n" + indent
            }
        }.joined()
    }
}
