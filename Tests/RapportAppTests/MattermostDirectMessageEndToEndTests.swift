import FakeMattermost
import Foundation
import RapportTestSupport
import Testing

/// The Mattermost bot end to end over loopback: the real `rapport serve` holding the fake
/// Mattermost's event stream, answering the person's DMs with posts through the REST API, and
/// taking the presses of its buttons as Mattermost's server sends them.
@Suite(.serialized)
struct MattermostDirectMessageEndToEndTests {
    static let secret = "a-secret-only-rapport-knows-4f1c"

    struct Serving {
        let rapport: RapportBinary
        let mattermost: FakeMattermost
        let port: Int
        var process: Process

        init(_ mattermost: FakeMattermost, rapport: RapportBinary = RapportBinary(), port: Int = RawConnection.freePort(), nudges: String = "", fixedNow: String = "") async throws {
            self.rapport = rapport
            self.mattermost = mattermost
            self.port = port
            let config = rapport.folder.path("config.yaml")
            try """
                server:
                  mattermost_url: \(mattermost.url)
                  mattermost_bot_token: env:RAPPORT_TEST_MM_TOKEN
                  mattermost_actions_secret: env:RAPPORT_TEST_MM_SECRET
                  public_url: http://127.0.0.1:\(port)/
                  allow_anyone: true
                \(nudges)
                """.write(toFile: config, atomically: true, encoding: .utf8)
            self.fixedNow = fixedNow
            process = try Self.start(rapport, config: config, port: port, token: mattermost.botToken, fixedNow: fixedNow)
            try await waitForStream(upgrades: mattermost.socketUpgrades + 1)
        }

        /// The server's `RAPPORT_NOW` (empty: the system clock).
        let fixedNow: String

        static func start(_ rapport: RapportBinary, config: String, port: Int, token: String, fixedNow: String = "") throws -> Process {
            var environment = environment(config: config, token: token)
            environment["RAPPORT_NOW"] = fixedNow
            return try rapport.startLogged(["serve", "--port", "\(port)", "--nudge-every", "0"], extraEnvironment: environment, log: "serve.log")
        }

        static func environment(config: String, token: String) -> [String: String] {
            ["RAPPORT_CONFIG": config, "RAPPORT_NOW": "", "RAPPORT_TEST_MM_TOKEN": token, "RAPPORT_TEST_MM_SECRET": MattermostDirectMessageEndToEndTests.secret]
        }

        /// `rapport nudge` beside the server, on the same config and store, `after` seconds from now.
        /// Waited for on a thread of its own: the fake Mattermost answers on the test's task pool,
        /// which a blocking wait (here and in the other suites) could leave without a free thread.
        func nudge(after seconds: TimeInterval) async -> String {
            var later = rapport
            later.now = ISO8601DateFormatter().string(from: Date().addingTimeInterval(seconds))
            var environment = Self.environment(config: rapport.folder.path("config.yaml"), token: mattermost.botToken)
            environment["RAPPORT_NOW"] = nil
            let run = later, variables = environment
            return await withCheckedContinuation { continuation in
                Thread { continuation.resume(returning: (try? run.run(["nudge"], extraEnvironment: variables).stdout) ?? "rapport nudge did not run") }.start()
            }
        }

        /// Waits until the bot has connected `upgrades` times in all and holds its stream open.
        func waitForStream(upgrades: Int) async throws {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                if mattermost.socketUpgrades >= upgrades, mattermost.openSockets >= 1 { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            Issue.record("the bot did not connect: \(rapport.log("serve.log").suffix(2_000))")
        }

        /// Waits (up to 20 s) until the bot has posted `count` times in the DM; returns its posts.
        func botPosts(_ count: Int) async throws -> [FakeMattermost.Post] {
            let deadline = Date().addingTimeInterval(20)
            while mattermost.botPosts.count < count, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            let posts = mattermost.botPosts
            #expect(posts.count == count, "\(posts.map(\.message)) \(rapport.log("serve.log").suffix(1_500))")
            return posts
        }

        mutating func restart() async throws {
            stop()
            let upgrades = mattermost.socketUpgrades
            process = try Self.start(rapport, config: rapport.folder.path("config.yaml"), port: port, token: mattermost.botToken, fixedNow: fixedNow)
            try await waitForStream(upgrades: upgrades + 1)
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }
    }

    @Test func aPersonPrepsByDMAnswersByTextAndButtonsAndGetsTheCardWhatever() async throws {
        let mattermost = try await FakeMattermost.start()
        defer { mattermost.stop() }
        var server = try await Serving(mattermost)
        defer { server.stop() }

        let first = await mattermost.say("prep Anna Berg")
        var posts = try await server.botPosts(1)
        #expect(posts.first?.message.hasPrefix("When do you meet Anna Berg?") == true, "\(posts.first?.message ?? "")")
        #expect(posts.first?.buttons == [], "“when” is typed")
        // The same event again (a second replica's stream, a reconnect): answered once.
        await mattermost.resend(first)
        await mattermost.say("tomorrow 14:00")
        posts = try await server.botPosts(2)
        #expect(posts[1].message.contains("this meeting with Anna"), "\(posts[1].message)")

        // Stopped and started between two answers: the bot connects again and the prep goes on.
        try await server.restart()
        await mattermost.say("An introduction to the CFO of her firm")
        posts = try await server.botPosts(3)
        let already = posts[2]
        #expect(already.message.hasPrefix("Could you get this through the contacts you already have?"), "\(already.message)")
        #expect(already.buttons.map(\.name) == ["Yes", "No", "Not sure"])
        #expect(already.buttons.allSatisfy { $0.url == "http://127.0.0.1:\(server.port)/v1/mattermost/actions" }, "\(already.buttons.map(\.url))")

        // A press whose context was not signed by this rapport is refused and changes nothing.
        let forged = mattermost.press("No", on: already, context: #"{"signature":"00","value":"c1|v3|already|no"}"#)
        #expect(forged?.status == 401, "\(String(describing: forged))")
        let pressed = mattermost.press("No", on: already)
        #expect(pressed?.status == 200 && pressed?.body == "{}", "\(String(describing: pressed)) \(server.rapport.log("serve.log").suffix(1_000))")
        posts = try await server.botPosts(4)
        #expect(posts[3].message.hasPrefix("Why Anna?"), "\(posts[3].message)")
        await mattermost.say("She chairs the CFO network in Karlstad")
        posts = try await server.botPosts(5)
        let knows = posts[4]
        #expect(knows.buttons.map(\.name) == ["Yes", "Partly", "No"])
        // Pressed twice, as an impatient thumb does: the first is the answer, the second is told so.
        _ = mattermost.press("Partly", on: knows)
        _ = mattermost.press("Partly", on: knows)
        posts = try await server.botPosts(7)
        #expect(posts[6].message.hasPrefix("That question was already answered; the question now is:"), "\(posts[6].message)")
        for (index, answer) in ["I help builders cut heating costs", "A speaker for her network", "Who decides on the pilot budget?"].enumerated() {
            await mattermost.say(answer)
            posts = try await server.botPosts(8 + index)
        }
        let card = try #require(posts.last)
        let attachment = try #require(card.attachments.first, "the card is an attachment: \(card.message)")
        #expect(attachment.title?.contains("Anna Berg") == true, "\(attachment.title ?? "")")
        let fields = attachment.fields.map { $0.joined(separator: ": ") }.joined(separator: "\n")
        #expect(fields.contains("An introduction to the CFO of her firm") && fields.contains("I help builders cut heating costs"), "\(fields)")
        #expect(fields.contains("Who decides on the pilot budget?"), "\(fields)")
        #expect(card.buttons.isEmpty)
        #expect(mattermost.refused.isEmpty, "\(mattermost.refused)")
        #expect(mattermost.botPosts.count == 10, "one reply per message and press, none for the resent event or the forged press")
    }

    @Test func aThrottledReplyWaitsForItsRetryAfterAndMentionsInTextAreEscaped() async throws {
        let mattermost = try await FakeMattermost.start()
        defer { mattermost.stop() }
        let server = try await Serving(mattermost)
        defer { server.stop() }
        mattermost.fail(.rateLimited(seconds: 1))
        let asked = Date()
        await mattermost.say("prep @channel [Anna](http://evil.example)")
        let posts = try await server.botPosts(1)
        #expect(Date().timeIntervalSince(asked) >= 0.9, "posted only after the Retry-After")
        #expect(mattermost.refused == ["rate limited"])
        let message = try #require(posts.first?.message)
        // The name is quoted back, but neither pings the channel nor becomes a link.
        #expect(message.contains("@\u{2060}channel") && !message.contains("@channel"), "\(message)")
        #expect(message.contains(#"\[Anna\](http"#) && !message.contains("[Anna]("), "\(message)")
    }

    @Test func aReminderInTheDMOpensItFirstAndItsPrepNowStartsThePrepForItsOwnerOnly() async throws {
        let mattermost = try await FakeMattermost.start()
        defer { mattermost.stop() }
        let server = try await Serving(mattermost, nudges: "nudges:\n  routes: { reminder: dm }\n")
        defer { server.stop() }
        let answers = [
            "prep Anna Berg", "tomorrow 14:00", "An introduction to the CFO of her firm", "no", "She chairs the CFO network in Karlstad",
            "partly", "I help builders cut heating costs", "A speaker for her network", "Who decides on the pilot budget?",
        ]
        for (index, answer) in answers.enumerated() {
            await mattermost.say(answer)
            _ = try await server.botPosts(index + 1)
        }
        // Two days on, `rapport nudge` opens the person's DM with the bot and posts the reminder there.
        let sent = await server.nudge(after: 2 * 24 * 3600)
        #expect(sent.hasPrefix("Sent 1."), "\(sent) \(mattermost.refused) \((try? server.rapport.run(["outbox"], extraEnvironment: Serving.environment(config: server.rapport.folder.path("config.yaml"), token: mattermost.botToken)).stdout) ?? "")")
        #expect(mattermost.usersMeCalls == 1 && mattermost.directChannelOpens == 1)
        var posts = try await server.botPosts(answers.count + 1)
        let nudge = try #require(posts.last)
        #expect(nudge.message.contains("Meeting with Anna Berg") && nudge.message.contains("An introduction to the CFO of her firm"), "\(nudge.message)")
        #expect(nudge.buttons.map(\.name) == ["Prep now"])

        // Someone else's press changes nothing, and is told so.
        #expect(mattermost.press("Prep now", on: nudge, by: "zz9stranger000000000000000")?.status == 200)
        posts = try await server.botPosts(answers.count + 2)
        #expect(posts.last?.message == "That button is on someone else’s nudge, so it changed nothing.", "\(posts.last?.message ?? "")")
        // The owner's press starts the prep with Anna; a second press starts no other.
        #expect(mattermost.press("Prep now", on: nudge)?.status == 200)
        posts = try await server.botPosts(answers.count + 3)
        #expect(posts.last?.message.contains("When do you meet Anna Berg?") == true, "\(posts.last?.message ?? "")")
        #expect(mattermost.press("Prep now", on: nudge)?.status == 200)
        posts = try await server.botPosts(answers.count + 4)
        #expect(posts.last?.message.hasPrefix("You have a conversation open") == true, "\(posts.last?.message ?? "")")
        #expect(mattermost.refused.isEmpty, "\(mattermost.refused)")
    }

    /// The README's DM prep, as the fake records it: compared with
    /// `Transcripts/mattermost-dm-prep.txt`, and written to `RAPPORT_DEMO_OUT` when it is set
    /// (`make demo-dm`), or over the golden file with `RAPPORT_RECORD=1`.
    @Test func aWholeDMPrepWithButtonsReadsAsTheREADMEShowsIt() async throws {
        let mattermost = try await FakeMattermost.start()
        defer { mattermost.stop() }
        let server = try await Serving(mattermost, fixedNow: "2026-11-23T10:00:00+01:00")
        defer { server.stop() }
        var count = 0
        func next() async throws -> FakeMattermost.Post {
            count += 1
            return try #require(try await server.botPosts(count).last)
        }
        await mattermost.say("prep Anna Berg")
        _ = try await next()
        await mattermost.say("tomorrow 14:00")
        _ = try await next()
        await mattermost.say("An introduction to the CFO of her firm")
        _ = mattermost.press("No", on: try await next())
        _ = try await next()
        await mattermost.say("She chairs the CFO network in Karlstad")
        _ = mattermost.press("Partly", on: try await next())
        _ = try await next()
        for answer in ["I help builders cut heating costs", "A speaker for her network", "Who decides on the pilot budget?"] {
            await mattermost.say(answer)
            _ = try await next()
        }
        let transcript = mattermost.transcript
        let environment = ProcessInfo.processInfo.environment
        if let out = environment["RAPPORT_DEMO_OUT"], !out.isEmpty { try transcript.write(toFile: out, atomically: true, encoding: .utf8) }
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Transcripts/mattermost-dm-prep.txt")
        if environment["RAPPORT_RECORD"] == "1" { try transcript.write(to: golden, atomically: true, encoding: .utf8) }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(transcript == expected, "the DM changed; if on purpose, RAPPORT_RECORD=1 rewrites the golden file and the README's copy")
    }
}
