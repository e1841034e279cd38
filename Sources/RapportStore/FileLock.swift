import Foundation

/// An exclusive lock between processes, on a file of its own (`flock`). Not on the store file
/// itself: closing any descriptor of a file drops the process's SQLite locks on it.
enum FileLock {
    /// Runs `body` holding the lock on `path` (waiting for it); without a path, just runs it.
    static func holding<T>(_ path: String?, _ body: () throws -> T) throws -> T {
        guard let path else { return try body() }
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
