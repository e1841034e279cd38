#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A shared library opened at run time, so that rapport pays for loading it only when it is used.
final class DynamicLibrary: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    let name: String

    /// Opens the first of `names` that loads; nil when none does.
    init?(_ names: [String]) {
        for name in names {
            if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) {
                self.handle = handle
                self.name = name
                return
            }
        }
        return nil
    }

    /// The address of a symbol, or nil.
    func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(handle, name)
    }

    /// A symbol as a C function of type `T`.
    func function<T>(_ name: String, as type: T.Type) -> T? {
        symbol(name).map { unsafeBitCast($0, to: type) }
    }
}
