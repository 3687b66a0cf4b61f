extension Optional {
    /// `map` with an asynchronous transform (a lookup that only happens when there is something to look up).
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
