/// Why the store could not be opened or used; each message names the path and says what to do.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case cannotCreateDirectory(path: String, reason: String)
    case notWritable(path: String)
    case notADatabase(path: String)
    case cannotOpen(path: String, reason: String)
    /// The store has migrations this build does not know: a newer rapport wrote it.
    case newerStore(path: String)
    case failed(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let reason):
            return "cannot create the folder for the store at \(path) (\(reason)); choose another place with --store PATH or RAPPORT_STORE"
        case .notWritable(let path):
            return "the store at \(path) is not writable; fix its permissions or choose another place with --store PATH or RAPPORT_STORE"
        case .notADatabase(let path):
            return "the file at \(path) is not a rapport store (it is not an SQLite database); nothing was changed. Move it aside or choose another place with --store PATH"
        case .cannotOpen(let path, let reason):
            return "cannot open the store at \(path): \(reason)"
        case .newerStore(let path):
            return "the store at \(path) was written by a newer rapport; upgrade rapport, or open it with the version that wrote it (nothing was changed)"
        case .failed(let path, let reason):
            return "the store at \(path) could not save or read: \(reason)"
        }
    }
}
