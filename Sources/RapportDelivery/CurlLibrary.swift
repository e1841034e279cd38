import CCurl

/// libcurl's functions, looked up once when the first request is made.
struct CurlLibrary: @unchecked Sendable {
    let globalInit: @convention(c) (Int) -> CURLcode
    let easyInit: @convention(c) () -> UnsafeMutableRawPointer?
    let easyCleanup: @convention(c) (UnsafeMutableRawPointer?) -> Void
    let easyReset: @convention(c) (UnsafeMutableRawPointer?) -> Void
    let easyPerform: @convention(c) (UnsafeMutableRawPointer?) -> CURLcode
    let easyStrerror: @convention(c) (CURLcode) -> UnsafePointer<CChar>?
    let slistAppend: @convention(c) (UnsafeMutablePointer<curl_slist>?, UnsafePointer<CChar>?) -> UnsafeMutablePointer<curl_slist>?
    let slistFreeAll: @convention(c) (UnsafeMutablePointer<curl_slist>?) -> Void
    /// The variadic `curl_easy_setopt` and `curl_easy_getinfo`, called through the C shims.
    let setopt: UnsafeMutableRawPointer
    let getinfo: UnsafeMutableRawPointer

    /// Loads libcurl and initialises it once per process.
    static let shared: Result<CurlLibrary, DeliveryError> = {
        guard let library = DynamicLibrary(["libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so", "libcurl.4.dylib"]) else {
            return .failure(.curlUnavailable("libcurl.so.4 not found"))
        }
        guard let globalInit = library.function("curl_global_init", as: (@convention(c) (Int) -> CURLcode).self),
            let easyInit = library.function("curl_easy_init", as: (@convention(c) () -> UnsafeMutableRawPointer?).self),
            let easyCleanup = library.function("curl_easy_cleanup", as: (@convention(c) (UnsafeMutableRawPointer?) -> Void).self),
            let easyReset = library.function("curl_easy_reset", as: (@convention(c) (UnsafeMutableRawPointer?) -> Void).self),
            let easyPerform = library.function("curl_easy_perform", as: (@convention(c) (UnsafeMutableRawPointer?) -> CURLcode).self),
            let easyStrerror = library.function("curl_easy_strerror", as: (@convention(c) (CURLcode) -> UnsafePointer<CChar>?).self),
            let slistAppend = library.function("curl_slist_append", as: (@convention(c) (UnsafeMutablePointer<curl_slist>?, UnsafePointer<CChar>?) -> UnsafeMutablePointer<curl_slist>?).self),
            let slistFreeAll = library.function("curl_slist_free_all", as: (@convention(c) (UnsafeMutablePointer<curl_slist>?) -> Void).self),
            let setopt = library.symbol("curl_easy_setopt"),
            let getinfo = library.symbol("curl_easy_getinfo")
        else {
            return .failure(.curlUnavailable("\(library.name) lacks an expected function"))
        }
        let curl = CurlLibrary(
            globalInit: globalInit, easyInit: easyInit, easyCleanup: easyCleanup, easyReset: easyReset, easyPerform: easyPerform,
            easyStrerror: easyStrerror, slistAppend: slistAppend, slistFreeAll: slistFreeAll, setopt: setopt, getinfo: getinfo)
        let code = curl.globalInit(Int(CURL_GLOBAL_DEFAULT))
        guard code == CURLE_OK else { return .failure(.curlUnavailable("curl_global_init failed with \(code.rawValue)")) }
        return .success(curl)
    }()

    func message(_ code: CURLcode) -> String {
        easyStrerror(code).map { String(cString: $0) } ?? "curl error \(code.rawValue)"
    }
}
