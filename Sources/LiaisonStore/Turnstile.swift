import Synchronization

/// Lets a fixed number of callers through at once, the others in the order they came.
///
/// With one lane it guards the SQLite connection, which every request shares: a transaction must not see
/// another's statements (SQLite refuses a BEGIN inside a transaction, and a second request's statements would
/// otherwise run, and be rolled back, inside the first's). With a few lanes it bounds CPU-heavy work such as
/// password hashing, so that a burst of sign-ins queues instead of taking every thread.
package final class Turnstile: Sendable {
    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    package init(lanes: Int) {
        state = Mutex(State(free: max(1, lanes)))
    }

    package func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await enter()
        defer { leave() }
        return try await body()
    }

    package func run<T: Sendable>(_ body: () async -> T) async -> T {
        await enter()
        defer { leave() }
        return await body()
    }

    private func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                guard state.free > 0 else {
                    state.waiting.append(continuation)
                    return false
                }
                state.free -= 1
                return true
            }
            if now { continuation.resume() }
        }
    }

    private func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.free += 1
                return nil
            }
            // The lane passes straight to the next in line.
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
