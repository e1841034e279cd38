/// HMAC-SHA256 from OpenSSL's libcrypto, which libcurl already brings into the process; loaded
/// on first use like libcurl, so no second cryptography library is compiled into rapport.
public enum HMACSHA256 {
    private typealias HMACFunction = @convention(c) (
        UnsafeRawPointer?, UnsafeRawPointer?, Int32, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?,
        UnsafeMutablePointer<UInt32>?
    ) -> UnsafeMutablePointer<UInt8>?
    private typealias DigestFunction = @convention(c) () -> UnsafeRawPointer?

    private struct Functions: @unchecked Sendable {
        let hmac: HMACFunction
        let sha256: DigestFunction
    }

    private static let functions: Result<Functions, DeliveryError> = {
        guard let library = DynamicLibrary(["libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so", "libcrypto.3.dylib"]),
            let hmac = library.function("HMAC", as: HMACFunction.self),
            let sha256 = library.function("EVP_sha256", as: DigestFunction.self)
        else {
            return .failure(.curlUnavailable("libcrypto (OpenSSL) not found"))
        }
        return .success(Functions(hmac: hmac, sha256: sha256))
    }()

    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) throws(DeliveryError) -> [UInt8] {
        let functions = try functions.get()
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBufferPointer { messageBytes in
                output.withUnsafeMutableBufferPointer { out in
                    functions.hmac(
                        functions.sha256(), keyBytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(key.count),
                        messageBytes.baseAddress ?? UnsafePointer(bitPattern: 1), message.count, out.baseAddress, &length)
                }
            }
        }
        guard result != nil, length == 32 else { throw .curlUnavailable("HMAC failed in libcrypto") }
        return output
    }

    /// Compares two codes in time that does not depend on where they differ.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
