import Foundation

/// Work spread over the machine's cores, for building snapshots and reading imports.
enum Parallel {
    /// `transform` applied to every element at once (as far as there are cores), the results in order.
    static func map<T: Sendable>(_ elements: Range<Int>, _ transform: @Sendable (Int) -> T) -> [T] {
        let results = Results<T>(count: elements.count)
        DispatchQueue.concurrentPerform(iterations: elements.count) { offset in
            results.store(transform(elements.lowerBound + offset), at: offset)
        }
        return results.all
    }

    /// Two pieces of work at once.
    static func both<A: Sendable, B: Sendable>(_ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (A, B) {
        let a = Results<A>(count: 1), b = Results<B>(count: 1)
        DispatchQueue.concurrentPerform(iterations: 2) { which in
            if which == 0 { a.store(first(), at: 0) } else { b.store(second(), at: 0) }
        }
        return (a.all[0], b.all[0])
    }
}

/// Results stored once each by the task that computed them, read when all are done.
final class Results<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [T?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func store(_ value: T, at index: Int) { lock.withLock { values[index] = value } }

    var all: [T] { lock.withLock { values.map { $0! } } }
}
