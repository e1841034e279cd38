import Foundation

/// A calendar file's bytes, read straight into the array the reader keeps: through `Data` they
/// would be copied into one, a second feed-sized buffer.
enum FeedFile {
    /// Nil when the file cannot be read; a file that shrinks while it is read is what it had.
    static func bytes(at path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var filled = 0
        let complete = bytes.withUnsafeMutableBytes { buffer -> Bool in
            while filled < buffer.count {
                let count = read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return count == 0 }
                filled += count
            }
            return true
        }
        guard complete else { return nil }
        if filled < bytes.count { bytes.removeSubrange(filled...) }
        return bytes
    }
}
