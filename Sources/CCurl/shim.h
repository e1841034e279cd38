// libcurl's declarations only: rapport loads libcurl with dlopen when it first posts, because
// linking it costs every start ~3.5 ms (it pulls in some thirty libraries). Variadic functions
// cannot be called from Swift, so these typed wrappers call them through a looked-up pointer.
#include <curl/curl.h>

typedef CURLcode (*ccurl_variadic_fn)(CURL *, int, ...);

static inline CURLcode ccurl_setopt_long(void *fn, CURL *handle, CURLoption option, long value) {
    return ((ccurl_variadic_fn)fn)(handle, (int)option, value);
}

static inline CURLcode ccurl_setopt_pointer(void *fn, CURL *handle, CURLoption option, const void *value) {
    return ((ccurl_variadic_fn)fn)(handle, (int)option, value);
}

static inline CURLcode ccurl_setopt_write_callback(void *fn, CURL *handle, CURLoption option, curl_write_callback callback) {
    return ((ccurl_variadic_fn)fn)(handle, (int)option, callback);
}

static inline CURLcode ccurl_getinfo_long(void *fn, CURL *handle, CURLINFO info, long *value) {
    return ((ccurl_variadic_fn)fn)(handle, (int)info, value);
}
