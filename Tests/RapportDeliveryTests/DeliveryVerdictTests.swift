import Foundation
import RapportDelivery
import Testing

struct DeliveryVerdictTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func verdict(_ kind: WebhookKind, _ status: Int, headers: [String: String] = [:], body: String = "") -> DeliveryVerdict {
        DeliveryVerdict(kind: kind, response: HTTPResponse(status: status, headers: headers, body: Array(body.utf8)), now: now)
    }

    @Test func twoHundredsAreDelivered() {
        #expect(verdict(.slack, 200, body: "ok") == .delivered)
        #expect(verdict(.generic, 204) == .delivered)
    }

    @Test func throttlingHonoursRetryAfterInSecondsOrAsADate() {
        #expect(verdict(.slack, 429, headers: ["retry-after": "30"]) == .retry(after: .seconds(30), reason: "throttled (429)"))
        #expect(verdict(.generic, 429, headers: ["retry-after": "Fri, 15 Jan 2027 08:00:30 GMT"]) == .retry(after: .seconds(30), reason: "throttled (429)"))
        #expect(verdict(.googlechat, 429) == .retry(after: nil, reason: "throttled (429)"))
    }

    @Test func discordsRetryAfterComesFromTheBodyWhenTheHeaderIsMissing() {
        #expect(verdict(.discord, 429, body: #"{"message":"You are being rate limited.","retry_after":1.5,"global":false}"#)
            == .retry(after: .milliseconds(1500), reason: "throttled (429)"))
        // Reported in milliseconds by some webhook routes (discord-api-docs #4722).
        #expect(verdict(.discord, 429, body: #"{"retry_after":64000}"#) == .retry(after: .seconds(64), reason: "throttled (429)"))
    }

    /// Numbers a server sends are not trusted: past a day they mean a day, and what is not a
    /// wait at all (negative, infinite, not a number) is no wait asked for.
    @Test(arguments: [
        ("1e20", DeliveryVerdict.longestWait), ("9.3e15", DeliveryVerdict.longestWait), ("9223372036854775807", DeliveryVerdict.longestWait),
        ("1e308", DeliveryVerdict.longestWait), ("86401", DeliveryVerdict.longestWait), ("86400", .seconds(86400)), ("0", .zero),
        ("inf", nil), ("-inf", nil), ("infinity", nil), ("nan", nil), ("-5", nil), ("-1e20", nil),
    ] as [(String, Duration?)])
    func remoteRetryAfterIsClampedToADayAndNonsenseIgnored(header: String, expected: Duration?) {
        for kind in WebhookKind.allCases {
            #expect(verdict(kind, 429, headers: ["retry-after": header]) == .retry(after: expected, reason: "throttled (429)"), "\(kind)")
            #expect(verdict(kind, 503, headers: ["retry-after": header]) == .retry(after: expected, reason: "server error 503"), "\(kind)")
        }
        #expect(verdict(.teams, 200, headers: ["retry-after": header], body: "HTTP error 429") == .retry(after: expected, reason: "throttled (Teams reported 429 in a 200 reply)"))
    }

    @Test func anHTTPDateFarAheadIsADayAndOneInThePastIsNow() {
        #expect(verdict(.slack, 429, headers: ["retry-after": "Fri, 31 Dec 9999 23:59:59 GMT"]) == .retry(after: DeliveryVerdict.longestWait, reason: "throttled (429)"))
        #expect(verdict(.slack, 429, headers: ["retry-after": "Fri, 31 Dec 99999999999 23:59:59 GMT"]) == .retry(after: nil, reason: "throttled (429)"), "not an HTTP date")
        #expect(verdict(.slack, 429, headers: ["retry-after": "Mon, 1 Jan 1990 00:00:00 GMT"]) == .retry(after: .zero, reason: "throttled (429)"))
        #expect(verdict(.slack, 429, headers: ["retry-after": "Fri, 15 Jan 2027 08:00:30 GMT"]) == .retry(after: .seconds(30), reason: "throttled (429)"))
    }

    @Test(arguments: [
        (#"{"retry_after":1e300}"#, DeliveryVerdict.longestWait), (#"{"retry_after":1e20}"#, DeliveryVerdict.longestWait),
        (#"{"retry_after":86400001}"#, DeliveryVerdict.longestWait), (#"{"retry_after":-3}"#, nil), (#"{"retry_after":-1e300}"#, nil),
    ] as [(String, Duration?)])
    func discordsBodyRetryAfterIsClampedToADayAndNonsenseIgnored(body: String, expected: Duration?) {
        #expect(verdict(.discord, 429, body: body) == .retry(after: expected, reason: "throttled (429)"))
    }

    @Test func teamsReportsThrottlingInsideA200() {
        let reply = verdict(.teams, 200, body: "Microsoft Teams endpoint returned HTTP error 429 with ContextId ...")
        #expect(reply == .retry(after: nil, reason: "throttled (Teams reported 429 in a 200 reply)"))
        #expect(verdict(.teams, 200, body: "1") == .delivered)
    }

    @Test func serverErrorsAndTimeoutsAreRetried() {
        #expect(verdict(.slack, 500, body: "rollup_error") == .retry(after: nil, reason: "server error 500: rollup_error"))
        #expect(verdict(.generic, 503, headers: ["retry-after": "5"]) == .retry(after: .seconds(5), reason: "server error 503"))
        #expect(verdict(.generic, 408) == .retry(after: nil, reason: "server error 408"))
    }

    @Test(arguments: [(400, "invalid_payload"), (403, "action_prohibited"), (404, "channel_not_found"), (410, "channel_is_archived")])
    func permanentErrorsAreNotRetried(status: Int, body: String) {
        #expect(verdict(.slack, status, body: body) == .permanent(reason: "refused with \(status): \(body)"))
    }

    /// A reply's text is shown in a terminal and stored as the outbox's last error: whatever
    /// the server sent, nothing in it may move the cursor, retitle the window or reorder text.
    @Test func theReplyQuotedInAReasonCarriesNoTerminalControl() {
        let hostile = "\u{1B}]0;owned\u{07}bad\u{1B}[2J request\u{9B}31m \u{90}dcs\u{9C}\u{85}line\r\nnext\u{202E}gnp.exe\u{2066}"
        #expect(verdict(.slack, 400, body: hostile) == .permanent(reason: "refused with 400: bad request line nextgnp.exe"))
        #expect(verdict(.generic, 500, body: hostile) == .retry(after: nil, reason: "server error 500: bad request line nextgnp.exe"))
        // The quote is cut after the cleaning, so an escape cannot straddle the cut.
        let long = String(repeating: "\u{1B}[31m", count: 500) + String(repeating: "x", count: 200)
        #expect(verdict(.slack, 400, body: long) == .permanent(reason: "refused with 400: " + String(repeating: "x", count: 120) + "…"))
        #expect(verdict(.slack, 400, body: "\u{1B}]0;only an escape\u{07}") == .permanent(reason: "refused with 400"))
    }

    @Test func redirectsAreFailures() {
        #expect(verdict(.generic, 301) == .permanent(reason: "redirected (301); a webhook URL should answer itself"))
    }
}

/// Slack's Web API answers 200 either way: the verdict reads `ok` and `error`.
struct SlackWebAPIVerdictTests {
    private func verdict(_ status: Int, _ body: String, headers: [String: String] = [:]) -> DeliveryVerdict {
        DeliveryVerdict(kind: .slackBot, response: HTTPResponse(status: status, headers: headers, body: Array(body.utf8)), now: Date(timeIntervalSince1970: 0))
    }

    @Test func okIsDeliveredAndOkFalseIsNot() {
        #expect(verdict(200, #"{"ok":true,"channel":"D024BE91L","ts":"1503435956.000247"}"#) == .delivered)
        for error in ["channel_not_found", "invalid_auth", "not_authed", "account_inactive", "token_revoked", "not_in_channel"] {
            #expect(verdict(200, #"{"ok":false,"error":"\#(error)"}"#) == .permanent(reason: "Slack refused it: \(error)"), "\(error)")
        }
    }

    @Test func ratelimitedAndSlacksOwnTroubleAreRetried() {
        #expect(verdict(200, #"{"ok":false,"error":"ratelimited"}"#, headers: ["retry-after": "3"]) == .retry(after: .seconds(3), reason: "throttled (Slack said ratelimited)"))
        #expect(verdict(200, #"{"ok":false,"error":"internal_error"}"#) == .retry(after: nil, reason: "Slack said internal_error"))
        #expect(verdict(429, "", headers: ["retry-after": "30"]) == .retry(after: .seconds(30), reason: "throttled (429)"))
    }

    @Test func anAnswerThatIsNotSlacksJSONIsNotTakenForAPost() {
        guard case .permanent(let reason) = verdict(200, "ok") else {
            Issue.record("a plain ok was taken as delivered")
            return
        }
        #expect(reason.hasPrefix("the answer is not Slack's Web API JSON"))
    }
}
