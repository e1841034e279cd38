import Foundation
@testable import RapportServer
import Testing

/// Frames of Mattermost's WebSocket event stream, as its API reference shows them, and frames
/// that are not to be answered.
struct MattermostEventTests {
    static let bot = "pbyt3sgmmifzfe1fzyqgqg6cfh"
    static let person = "k5thx4o6ctbf7g5c8tqqhawf1o"

    static func posted(_ post: [String: Any], channelType: String = "D", mentions: [String]? = nil, event: String = "posted") -> String {
        let postJSON = String(decoding: try! JSONSerialization.data(withJSONObject: post), as: UTF8.self)
        var data: [String: Any] = ["channel_display_name": "@anna.berg", "channel_name": "\(bot)__\(person)", "channel_type": channelType, "post": postJSON,
                                   "sender_name": "@anna.berg", "set_online": true, "team_id": ""]
        if let mentions { data["mentions"] = String(decoding: try! JSONSerialization.data(withJSONObject: mentions), as: UTF8.self) }
        let object: [String: Any] = ["event": event, "data": data, "broadcast": ["omit_users": NSNull(), "user_id": "", "channel_id": "qmd5oqtwoibz8cuzxzg5ekshgr", "team_id": ""], "seq": 7]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func post(_ message: String, user: String = person, type: String = "", props: [String: Any] = [:], root: String = "") -> [String: Any] {
        ["id": "hs3qz1p4ejgp3bwzwuo6ukdgse", "create_at": 1_764_750_000_000, "user_id": user, "channel_id": "qmd5oqtwoibz8cuzxzg5ekshgr", "root_id": root,
         "message": message, "type": type, "props": props]
    }

    @Test func helloSaysWhoTheBotIs() {
        let hello = #"{"event":"hello","data":{"server_version":"10.5.0"},"broadcast":{"omit_users":null,"user_id":"pbyt3sgmmifzfe1fzyqgqg6cfh","channel_id":"","team_id":""},"seq":0}"#
        #expect(MattermostEvent.read(hello, botUserID: nil) == .hello(botUserID: Self.bot))
    }

    @Test func aDirectMessageIsATurnInItsChannel() {
        #expect(MattermostEvent.read(Self.posted(Self.post("  prep Anna Berg ")), botUserID: Self.bot)
            == .message(platform: .mattermost, user: Self.person, text: "prep Anna Berg", postID: "hs3qz1p4ejgp3bwzwuo6ukdgse", channel: "qmd5oqtwoibz8cuzxzg5ekshgr", thread: nil))
    }

    @Test func theBotsOwnPostsOtherBotsSystemMessagesAndOtherEventsAreNot() {
        #expect(MattermostEvent.read(Self.posted(Self.post("When do you meet Anna?", user: Self.bot)), botUserID: Self.bot) == .ignored)
        #expect(MattermostEvent.read(Self.posted(Self.post("deploy done", user: "otherbot", props: ["from_bot": "true"])), botUserID: Self.bot) == .ignored)
        #expect(MattermostEvent.read(Self.posted(Self.post("hook", props: ["from_webhook": "true"])), botUserID: Self.bot) == .ignored)
        #expect(MattermostEvent.read(Self.posted(Self.post("anna joined", type: "system_join_channel")), botUserID: Self.bot) == .ignored)
        #expect(MattermostEvent.read(Self.posted(Self.post("prep Bob"), event: "post_edited"), botUserID: Self.bot) == .ignored)
        #expect(MattermostEvent.read(#"{"event":"typing","data":{"parent_id":"","user_id":"k5"},"seq":3}"#, botUserID: Self.bot) == .ignored)
    }

    @Test func inAChannelOnlyAMentionIsATurnAnsweredInItsThread() {
        #expect(MattermostEvent.read(Self.posted(Self.post("lunch?"), channelType: "O"), botUserID: Self.bot) == .ignored)
        #expect(MattermostEvent.read(Self.posted(Self.post("@rapport prep Anna"), channelType: "O", mentions: ["someone"]), botUserID: Self.bot) == .ignored)
        #expect(MattermostEvent.read(Self.posted(Self.post("@rapport prep Anna"), channelType: "O", mentions: [Self.bot]), botUserID: Self.bot)
            == .message(platform: .mattermost, user: Self.person, text: "prep Anna", postID: "hs3qz1p4ejgp3bwzwuo6ukdgse", channel: "qmd5oqtwoibz8cuzxzg5ekshgr", thread: "hs3qz1p4ejgp3bwzwuo6ukdgse"))
        // Before hello, no mention can be recognised.
        #expect(MattermostEvent.read(Self.posted(Self.post("@rapport prep Anna"), channelType: "O", mentions: [Self.bot]), botUserID: nil) == .ignored)
    }

    @Test func brokenOversizedAndStrangeFramesAreNothing() {
        #expect(MattermostEvent.read("not json", botUserID: Self.bot) == .ignored)
        #expect(MattermostEvent.read(#"{"event":"posted","data":{"channel_type":"D","post":"{not json"}}"#, botUserID: Self.bot) == .ignored)
        #expect(MattermostEvent.read(Self.posted(Self.post(String(repeating: "x", count: MattermostEvent.maximumFrameBytes))), botUserID: Self.bot) == .ignored)
        var hostile = Self.post("hi")
        hostile["user_id"] = "k5\u{1b}[2J"
        #expect(MattermostEvent.read(Self.posted(hostile), botUserID: Self.bot) == .ignored, "an id with terminal control is no id")
    }

    @Test func theServersURLBecomesItsEventStreamsURL() {
        #expect(MattermostBot.socketURL("https://chat.example.com/") == "wss://chat.example.com/api/v4/websocket")
        #expect(MattermostBot.socketURL("http://127.0.0.1:8065") == "ws://127.0.0.1:8065/api/v4/websocket")
        #expect(MattermostBot.socketURL("ftp://chat.example.com") == nil)
    }
}
