import Mustache

/// A page model as swift-mustache reads it, reflected once per object instead of once per lookup.
///
/// swift-mustache finds `{{name}}` in a plain struct with a new `Mirror` each time, walking every property, and a
/// name a loop's row lacks (`{{t.key}}` in a table) is looked for that way in each object down the context stack:
/// on a page of a few hundred rows that reflection was most of the time spent rendering (measured with perf on
/// `/countries`). This box reads an object's properties once, keeps them by name, and boxes the structs and
/// classes among them (and in arrays) in turn. What a lookup finds is unchanged: a property that is nil is not
/// found (the stack is searched further), as with the Mirror; strings, numbers, Booleans, dictionaries and
/// swift-mustache's own protocols are handed over as they are.
final class ReflectedModel: MustacheParent, CustomStringConvertible {
    private let value: Any
    /// The object's properties by name, as reflected (read once, at the first lookup).
    private var properties: [String: Any]?
    /// The properties looked up so far, unwrapped and boxed (nil: none, or a nil Optional).
    private var found: [String: Any?] = [:]

    init(_ value: Any) {
        self.value = value
    }

    var description: String { String(describing: value) }

    func child(named name: String) -> Any? {
        if let known = found[name] { return known }
        if properties == nil {
            var read: [String: Any] = [:]
            for case let (label?, property) in Mirror(reflecting: value).children { read[label] = property }
            properties = read
        }
        let child = properties?[name].flatMap(Self.unwrapped).map(Self.boxed)
        found[name] = .some(child)
        return child
    }

    /// The value an Optional holds (nil for none); any other value as it is.
    private static func unwrapped(_ value: Any) -> Any? {
        guard let optional = value as? any AnyOptional else { return value }
        return optional.wrapped.flatMap(unwrapped)
    }

    /// Structs and classes boxed; arrays with their elements boxed; everything else (text, numbers, Booleans,
    /// dictionaries such as the strings `t`, enums, and models that name their own children) as they are.
    static func boxed(_ value: Any) -> Any {
        switch value {
        case is String, is Bool, is Int: return value
        case let array as [Any]: return array.map(boxed)
        case let parent as MustacheParent: return parent
        default:
            switch Mirror(reflecting: value).displayStyle {
            case .struct?, .class?: return ReflectedModel(value)
            default: return value
            }
        }
    }
}

/// An Optional of any type, seen through `Any`.
private protocol AnyOptional {
    var wrapped: Any? { get }
}

extension Optional: AnyOptional {
    fileprivate var wrapped: Any? { self.map { $0 as Any } }
}
