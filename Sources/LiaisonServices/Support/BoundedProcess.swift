import Foundation

/// Runs a program on untrusted input within limits: killed after `timeout`, its output cut at `outputLimit` bytes
/// (it is killed then too), and, where `prlimit` is installed, at most `memoryLimit` bytes of memory and
/// `timeout` seconds of CPU. Its error output is dropped (a hostile file can make it say anything).
struct BoundedProcess {
    let executable: String
    var timeout: Duration = .seconds(20)
    var outputLimit = 8 * 1024 * 1024
    var memoryLimit = 1024 * 1024 * 1024
    /// Where it waits its turn: the process-wide `shared` gate unless one of its own is given (a test that times a
    /// program must not count the wait behind the documents other tests read).
    var gate: Gate = BoundedProcess.shared

    struct Result {
        let status: Int32
        let output: [UInt8]
        /// Stopped for taking too long or saying too much.
        let stopped: Bool
        /// How long the program ran: from its start until its end was seen, measured on the thread that reads it (not
        /// by the awaiting task, which a busy machine may resume long after).
        let ran: Duration
    }

    static let prlimit = ["/usr/bin/prlimit", "/bin/prlimit"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Where the timers that stop programs run.
    static let timers = DispatchQueue(label: "liaison.bounded-process.timers")

    /// Programs run at once, at most (each may take a core and `memoryLimit`); the others wait their turn.
    static let shared = Gate(width: 2)

    func run(_ arguments: [String]) async throws -> Result {
        let gate = self.gate
        await gate.enter()
        defer { Task { await gate.leave() } }
        return try await runNow(arguments)
    }

    private func runNow(_ arguments: [String]) async throws -> Result {
        let process = Process()
        let seconds = max(1, Int(timeout.components.seconds))
        if let prlimit = Self.prlimit {
            process.executableURL = URL(fileURLWithPath: prlimit)
            process.arguments = ["--as=\(memoryLimit)", "--cpu=\(seconds)", "--", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let started = ContinuousClock.now
        try process.run()
        let running = Running(process: process, output: output.fileHandleForReading)
        let limit = outputLimit
        // The timer runs on a queue of its own, not as a task: on a machine whose concurrency threads are all busy, a
        // sleeping task woke only after the program had run its whole course (seen in CI: `sleep 30` not stopped).
        let killer = DispatchWorkItem { running.stop() }
        let (whole, fraction) = timeout.components
        Self.timers.asyncAfter(deadline: .now() + .nanoseconds(Int(whole) * 1_000_000_000 + Int(fraction / 1_000_000_000)), execute: killer)
        let (bytes, status, ended) = await running.finish(keeping: limit, stopPast: true)
        killer.cancel()
        return Result(status: status, output: bytes, stopped: running.stopped, ran: ended - started)
    }
}

/// A started process, shared by the reader, the timer and the caller: stopped (killed) once, from any of them.
final class Running: @unchecked Sendable {
    let process: Process
    let output: FileHandle

    /// Reads the output on a thread of its own (reading blocks), keeping its first `limit` bytes — and, with
    /// `stopPast`, stopping the program once it says more — until the program has ended and all it wrote is read; gives
    /// that, its exit status (128 + the signal's number when a signal ended it) and when its end was seen.
    ///
    /// Neither the pipe's closing nor Foundation's own notice of the end is waited for: both hang on descriptors that a
    /// program started at the same moment by another thread (or the program's own child) can inherit and hold open long
    /// after this program ended (seen in CI: `sleep 30` killed after its second, its reader still waiting twenty seconds
    /// later). The end is asked of the system itself (`waitid`, leaving the process for Foundation to collect).
    func finish(keeping limit: Int, stopPast: Bool) async -> (output: [UInt8], status: Int32, ended: ContinuousClock.Instant) {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { [self] in
                var bytes: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 64 * 1024)
                let descriptor = output.fileDescriptor
                reading: while true {
                    var wanted = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    let ready = poll(&wanted, 1, 100)
                    if ready < 0 && errno == EINTR { continue }
                    guard ready > 0 else {
                        // Nothing for a tenth of a second: done once the program has ended (what it wrote was read).
                        if exitStatus(waiting: false) == nil { continue } else { break }
                    }
                    let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { break }
                    bytes.append(contentsOf: chunk[0..<min(count, max(0, limit + 1 - bytes.count))])
                    if bytes.count > limit {
                        bytes.removeLast(bytes.count - limit)
                        if stopPast {
                            stop()
                            break reading
                        }
                    }
                }
                let status = exitStatus(waiting: true) ?? -1
                continuation.resume(returning: (bytes, status, ContinuousClock.now))
            }
        }
    }

    /// The program's exit status once it has ended (nil while it runs, when not `waiting`), asked of the system without
    /// collecting the process (Foundation collects it, whenever it notices).
    func exitStatus(waiting: Bool) -> Int32? {
        while true {
            var info = siginfo_t()
            let result = waitid(P_PID, id_t(process.processIdentifier), &info, WEXITED | WNOWAIT | (waiting ? 0 : WNOHANG))
            if result == 0 {
                let child = info._sifields._sigchld
                guard child.si_pid != 0 else { return nil }
                return info.si_code == CLD_EXITED ? child.si_status : 128 + child.si_status
            }
            if errno == EINTR { continue }
            // Collected already: Foundation noticed the end first and knows the status (or is about to say it: having
            // collected the process, it ends its wait at once).
            guard waiting || !process.isRunning else { return nil }
            process.waitUntilExit()
            return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        }
    }

    private let lock = NSLock()
    private var wasStopped = false

    init(process: Process, output: FileHandle) {
        self.process = process
        self.output = output
    }

    func stop() {
        lock.withLock {
            guard process.isRunning else { return }
            wasStopped = true
            kill(process.processIdentifier, SIGKILL)
        }
    }

    var stopped: Bool { lock.withLock { wasStopped } }
}

/// At most `width` holders at once; the others wait, first come first served.
actor Gate {
    private let width: Int
    private var holders = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(width: Int) {
        self.width = width
    }

    func enter() async {
        if holders < width {
            holders += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the place to the first waiting, or frees it.
    func leave() {
        if waiting.isEmpty {
            holders -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
