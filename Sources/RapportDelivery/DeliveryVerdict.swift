import Foundation
import RapportCore

/// What one attempt's result means for the message: delivered, try again (perhaps not before a
/// given time), or give up and dead-letter it.
public enum DeliveryVerdict: Sendable, Equatable {
    case delivered
    /// A transient failure; `after` is the wait the server asked for, when it asked.
    case retry(after: Duration?, reason: String)
    /// A failure that retrying will not fix (bad payload, missing or archived channel, revoked URL).
    case permanent(reason: String)

    /// The longest wait a server's `Retry-After` (or Discord's `retry_after`) is taken at. A
    /// server asking for more is broken or hostile, and a nudge a day late is still worth
    /// sending; the retry schedule's own waits stop at 14 hours.
    public static let longestWait: Duration = .seconds(24 * 3600)

    /// Reads a platform's answer the way that platform means it.
    public init(kind: WebhookKind, response: HTTPResponse, now: Date) {
        let status = response.status
        let summary = Self.summary(response)
        switch status {
        case 200..<300 where kind == .slackBot:
            self = Self.slackWebAPI(response, now: now)
        case 200..<300:
            // Teams workflows answer 200 and report a throttled post in the body.
            if kind == .teams, response.text.contains("HTTP error 429") {
                self = .retry(after: Self.retryAfter(response, kind: kind, now: now), reason: "throttled (Teams reported 429 in a 200 reply)")
            } else {
                self = .delivered
            }
        case 429:
            self = .retry(after: Self.retryAfter(response, kind: kind, now: now), reason: "throttled (429)")
        case 408, 425, 500..<600:
            self = .retry(after: Self.retryAfter(response, kind: kind, now: now), reason: "server error \(status)\(summary)")
        case 300..<400:
            self = .permanent(reason: "redirected (\(status)); a webhook URL should answer itself")
        case 400..<500 where kind == .mattermostBot:
            self = .permanent(reason: "Mattermost refused it (\(status)): \(Self.mattermostError(response))")
        default:
            self = .permanent(reason: "refused with \(status)\(summary)")
        }
    }

    /// Slack's Web API answers 200 whether or not it posted: `{"ok": true, …}`, or `{"ok": false,
    /// "error": "…"}`. Its own trouble and `ratelimited` pass; anything else (`channel_not_found`,
    /// `invalid_auth`, `not_authed`, `account_inactive`, `token_revoked`…) retrying cannot fix.
    static func slackWebAPI(_ response: HTTPResponse, now: Date) -> DeliveryVerdict {
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any], let ok = object["ok"] as? Bool else {
            return .permanent(reason: "the answer is not Slack's Web API JSON\(summary(response)); is the API URL right?")
        }
        if ok { return .delivered }
        let error = String(InputSanitizer.clean((object["error"] as? String) ?? "unknown_error").prefix(80))
        switch error {
        case "ratelimited":
            return .retry(after: retryAfter(response, kind: .slackBot, now: now) ?? .seconds(1), reason: "throttled (Slack said ratelimited)")
        case "internal_error", "fatal_error", "service_unavailable", "request_timeout":
            return .retry(after: retryAfter(response, kind: .slackBot, now: now), reason: "Slack said \(error)")
        default:
            return .permanent(reason: "Slack refused it: \(error)")
        }
    }

    /// What Mattermost's error JSON (`{"id": "api.post.create_post.channel_not_found.app_error",
    /// "message": …, "status_code": 403}`) says, as its id; else the start of the body.
    static func mattermostError(_ response: HTTPResponse) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any], let id = object["id"] as? String, !id.isEmpty {
            return String(InputSanitizer.clean(id).prefix(120))
        }
        let quote = response.quote(limit: 120)
        return quote.isEmpty ? "no reason given" : quote
    }

    /// The wait a server asked for: `Retry-After` in seconds or as an HTTP date, else Discord's
    /// `retry_after` (seconds as a float; values that can only be milliseconds are read as such).
    /// A wait is at most `longestWait`; a number that is no wait (negative, infinite, not a
    /// number) counts as not asked.
    static func retryAfter(_ response: HTTPResponse, kind: WebhookKind, now: Date) -> Duration? {
        if let header = response.headers["retry-after"]?.trimmingCharacters(in: " ") {
            if let seconds = Double(header) {
                if let wait = wait(seconds: seconds) { return wait }
            } else if let date = httpDate(header) {
                return wait(seconds: max(0, date.timeIntervalSince(now)))
            }
        }
        if kind == .discord,
            let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            let value = (object["retry_after"] as? NSNumber)?.doubleValue
        {
            return wait(seconds: value > 3600 ? value / 1000 : value)
        }
        return nil
    }

    /// A server's number of seconds as a wait no longer than `longestWait`, or nil when it is
    /// not a wait at all. Checked before converting: `Int64(1e20)` traps.
    static func wait(seconds: Double) -> Duration? {
        guard seconds.isFinite, seconds >= 0 else { return nil }
        return .milliseconds(Int64(min(seconds, RetrySchedule.seconds(longestWait)) * 1000))
    }

    /// A short quote of the reply body, for the outbox listing (platforms explain errors there),
    /// cleaned of terminal control: it is printed and stored.
    static func summary(_ response: HTTPResponse) -> String {
        let quote = response.quote(limit: 120)
        return quote.isEmpty ? "" : ": " + quote
    }

    /// An IMF-fixdate (`Wed, 21 Oct 2026 07:28:00 GMT`), its numbers within what the format
    /// allows (a four-digit year), so the calendar is never asked about year 99999999999.
    static func httpDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), (1...31).contains(day),
            let month = months.firstIndex(of: String(parts[2])), let year = Int(parts[3]), (0...9999).contains(year)
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, (0...23).contains(clock[0]), (0...59).contains(clock[1]), (0...60).contains(clock[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month + 1, day: day, hour: clock[0], minute: clock[1], second: clock[2]))
    }
}
