import Foundation
import RapportDelivery
import Testing

/// `users.info` as Slack's docs show it answered, and answers that are not to be believed.
struct SlackUserInfoTests {
    /// The docs' example answer, cut to what matters and what surrounds it.
    static let example = """
        {"ok": true, "user": {"id": "W012A3CDE", "team_id": "T012AB3C4", "name": "spengler", "deleted": false, "color": "9f69e7",
         "real_name": "Egon Spengler", "tz": "America/Los_Angeles", "tz_label": "Pacific Daylight Time", "tz_offset": -25200,
         "profile": {"avatar_hash": "ge3b51ca72de", "real_name": "Egon Spengler", "display_name": "spengler", "team": "T012AB3C4"},
         "is_admin": true, "is_owner": false, "is_bot": false, "updated": 1502138686, "is_app_user": false, "has_2fa": false}}
        """

    @Test func theDocsExampleIsReadAsItsTimeZone() {
        #expect(SlackUserInfo.read(Array(Self.example.utf8)) == .timeZone(TimeZone(identifier: "America/Los_Angeles")!))
    }

    @Test func aRefusalAZoneThatIsNoneAndAnOversizedBodyAreNoTimeZone() {
        #expect(SlackUserInfo.read(Array(#"{"ok": false, "error": "missing_scope", "needed": "users:read"}"#.utf8)) == .unknown(error: "missing_scope"))
        #expect(SlackUserInfo.read(Array(#"{"ok": true, "user": {"id": "U1", "tz": "Mars/Olympus_Mons"}}"#.utf8)) == .unknown(error: nil))
        #expect(SlackUserInfo.read(Array(#"{"ok": true, "user": {"id": "U1"}}"#.utf8)) == .unknown(error: nil))
        #expect(SlackUserInfo.read(Array("not json".utf8)) == .unknown(error: "not a JSON object"))
        let huge = #"{"ok": true, "user": {"tz": "Europe/Oslo", "pad": ""# + String(repeating: "x", count: 70_000) + #""}}"#
        #expect(SlackUserInfo.read(Array(huge.utf8)) == .unknown(error: "not a JSON object"))
    }

    @Test func onlyAUserIdMakesAURL() {
        #expect(SlackUserInfo.url(apiBase: "https://slack.com/api", user: "U2147483697") == "https://slack.com/api/users.info?user=U2147483697")
        #expect(SlackUserInfo.url(apiBase: "https://slack.com/api", user: "U1&token=x") == nil)
        #expect(SlackUserInfo.url(apiBase: "https://slack.com/api", user: "") == nil)
    }
}
