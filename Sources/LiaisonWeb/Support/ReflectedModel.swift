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
    private var properties: [String: Any]?

    init(_ value: Any) {
        self.value = value
    }

    var description: String { String(describing: value) }

    func child(named name: String) -> Any? {
        if properties == nil {
            var read: [String: Any] = [:]
            for case let (label?, property) in Mirror(reflecting: value).children {
                if let found = Self.unwrapped(property) { read[label] = Self.boxed(found) }
            }
            properties = read
        }
        return properties?[name]
    }

    /// The value an Optional holds (nil for none); any other value as it is.
    private static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first.flatMap { unwrapped($0.value) }
    }

    /// Structs and classes boxed; arrays with their elements boxed; everything else as it is.
    static func boxed(_ value: Any) -> Any {
        switch value {
        case is String, is Substring, is Bool, is Int, is Int64, is Double, is MustacheParent, is MustacheLambda,
             is MustacheCustomRenderable, is MustacheCustomRepresentation:
            return value
        case let array as [Any]:
            return array.map(boxed)
        default:
            switch Mirror(reflecting: value).displayStyle {
            case .struct?, .class?: return ReflectedModel(value)
            default: return value
            }
        }
    }
}
