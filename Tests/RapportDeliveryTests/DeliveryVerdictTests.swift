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

    @Test func redirectsAreFailures() {
        #expect(verdict(.generic, 301) == .permanent(reason: "redirected (301); a webhook URL should answer itself"))
    }
}
