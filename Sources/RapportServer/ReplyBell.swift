import Foundation

/// Wakes the reply loop when a reply was put in the outbox, so it is posted now rather than at
/// the loop's next look. A ring while the loop is busy is kept for its next wait.
public final class ReplyBell: @unchecked Sendable {
    // @unchecked: `rung` and `waiter` are only touched under `lock`.
    private let lock = NSLock()
    private var rung = false
    private var waiter: CheckedContinuation<Void, Never>?

    public init() {}

    public func ring() {
        let waiter = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            guard let waiter = self.waiter else {
                rung = true
                return nil
            }
            self.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the next ring (at once if one came since the last wait), after `duration`, or
    /// when the task is cancelled.
    func wait(upTo duration: Duration) async {
        let timer = Task { [weak self] in
            guard (try? await Task.sleep(for: duration)) != nil else { return }
            self?.ring()
        }
        defer { timer.cancel() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = lock.withLock { () -> Bool in
                    if rung || Task.isCancelled {
                        rung = false
                        return true
                    }
                    waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            ring()
        }
        // A timer's ring that lost the race to another is not kept for the next wait.
        lock.withLock { rung = false }
    }
}
