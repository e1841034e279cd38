import Foundation
import RapportTestSupport
import Testing

/// The Slack app end to end over loopback: the real `rapport serve`, the fake Slack sending
/// signed events and recording what `chat.postMessage` posts in the DM.
@Suite(.serialized)
struct SlackDirectMessageEndToEndTests {
    static let person = "U2147483697"
    static let dm = "D024BE91L"

    /// A server for the fake Slack, on the system clock (Slack's signatures are good for five
    /// minutes of it, and retries wait in it).
    struct Serving {
        let rapport: RapportBinary
        let slack: FakeSlack
        let port: Int
        var process: Process
        var events: String { "http://127.0.0.1:\(port)/v1/slack/events" }
        var interactivity: String { "http://127.0.0.1:\(port)/v1/slack/interactivity" }

        init(slack: FakeSlack, token: String? = nil, apiURL: String? = nil, rapport: RapportBinary = RapportBinary(), nudges: String = "") throws {
            self.rapport = rapport
            self.slack = slack
            port = RawConnection.freePort()
            process = try Self.start(rapport, slack: slack, port: port, token: token ?? slack.botToken, apiURL: apiURL ?? slack.apiURL, nudges: nudges)
            try waitUntilServing()
        }

        static func start(_ rapport: RapportBinary, slack: FakeSlack, port: Int, token: String, apiURL: String, nudges: String = "") throws -> Process {
            let config = rapport.folder.path("config.yaml")
            try """
                server:
                  slack_signing_secret: env:RAPPORT_TEST_SLACK_SECRET
                  slack_bot_token: env:RAPPORT_TEST_SLACK_TOKEN
                  slack_api_url: \(apiURL)
                  allow_anyone: true
                \(nudges)
                """.write(toFile: config, atomically: true, encoding: .utf8)
            let environment = environment(config: config, slack: slack, token: token)
            return try rapport.startLogged(["serve", "--port", "\(port)", "--nudge-every", "0"], extraEnvironment: environment, log: "serve.log")
        }

        static func environment(config: String, slack: FakeSlack, token: String) -> [String: String] {
            ["RAPPORT_CONFIG": config, "RAPPORT_NOW": "", "RAPPORT_TEST_SLACK_SECRET": slack.signingSecret, "RAPPORT_TEST_SLACK_TOKEN": token]
        }

        /// `rapport nudge` beside the server, on the same config and store, `after` seconds from now.
        func nudge(after seconds: TimeInterval) throws -> String {
            var later = rapport
            later.now = ISO8601DateFormatter().string(from: Date().addingTimeInterval(seconds))
            var environment = Self.environment(config: rapport.folder.path("config.yaml"), slack: slack, token: slack.botToken)
            environment["RAPPORT_NOW"] = nil
            return try later.run(["nudge"], extraEnvironment: environment).stdout
        }

        func waitUntilServing() throws {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                if slack.send(slack.urlVerification(challenge: "probe"), to: events, timestamp: Self.now(), within: 2)?.status == 200 { return }
                Thread.sleep(forTimeInterval: 0.05)
            }
            Issue.record("rapport serve did not answer: \(rapport.log("serve.log").suffix(2_000))")
        }

        static func now() -> Int { Int(Date().timeIntervalSince1970) }

        /// Sends the person's DM as an event and checks it was acknowledged.
        @discardableResult
        func say(_ text: String, id: String, retry: Int? = nil) -> Int? {
            let status = slack.send(slack.directMessage(text, from: SlackDirectMessageEndToEndTests.person, channel: SlackDirectMessageEndToEndTests.dm, eventID: id),
                                    to: events, timestamp: Self.now(), retry: retry)?.status
            #expect(status == 200, "\(text): \(rapport.log("serve.log").suffix(1_000))")
            return status
        }

        /// Presses the button labelled `label` on a post, as Slack's interactivity sends it, and
        /// checks it was acknowledged (within Slack's 3 seconds).
        func press(_ label: String, on post: FakeSlack.Post, actionTS: String, by user: String = SlackDirectMessageEndToEndTests.person) {
            guard let button = post.buttons.first(where: { $0.text == label }) else {
                Issue.record("no “\(label)” button on “\(post.text ?? "")”: \(post.buttons.map(\.text))")
                return
            }
            let started = Date()
            let answer = slack.send(slack.press(button, on: post, from: user, actionTS: actionTS), to: interactivity,
                                    timestamp: Self.now(), contentType: "application/x-www-form-urlencoded")
            #expect(answer?.status == 200, "\(label): \(rapport.log("serve.log").suffix(1_000))")
            #expect(Date().timeIntervalSince(started) < 3, "acknowledged within Slack's 3 seconds")
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Waits (up to `seconds`) until the DM holds `count` posts; returns them.
    static func posts(_ slack: FakeSlack, count: Int, within seconds: Double = 20) -> [FakeSlack.Post] {
        let deadline = Date().addingTimeInterval(seconds)
        while slack.posts(in: dm).count < count, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return slack.posts(in: dm)
    }

    @Test func aPersonPrepsByDMUntilTheCardArrivesAndRetriesTheBotsOwnPostsAndEditsChangeNothing() throws {
        let slack = try FakeSlack()
        let server = try Serving(slack: slack)
        defer { server.stop() }
        let answers = [
            "prep Anna Berg", "tomorrow 14:00", "An introduction to the CFO of her firm", "no", "She chairs the CFO network in Karlstad",
            "partly", "I help builders cut heating costs", "A speaker for her network", "Who decides on the pilot budget?",
        ]
        for (index, answer) in answers.enumerated() {
            server.say(answer, id: "Ev\(index)")
            if index == 1 {
                // Slack gave up waiting and sends the same event again; the bot's own reply and an edit come too.
                server.say(answer, id: "Ev\(index)", retry: 1)
                _ = slack.send(slack.botsOwnMessage("→ Tue", channel: Self.dm, eventID: "EvBot"), to: server.events, timestamp: Serving.now())
                _ = slack.send(slack.edit(to: "prep Bob", from: Self.person, channel: Self.dm, eventID: "EvEdit"), to: server.events, timestamp: Serving.now())
            }
            let posted = Self.posts(slack, count: index + 1)
            #expect(posted.count == index + 1, "reply to “\(answer)”: \(posted.map(\.text)) \(server.rapport.log("serve.log").suffix(1_000))")
        }
        let posted = slack.posts(in: Self.dm)
        #expect(posted.count == answers.count, "one reply per message, none for the retry, the bot's post or the edit")
        #expect(posted.first?.text?.hasPrefix("When do you meet Anna Berg?") == true)
        #expect(posted[1].text?.contains("this meeting with Anna") == true, "\(posted[1].text ?? "")")
        let card = try #require(posted.last?.text)
        // Had the retried “tomorrow 14:00” been applied, it would be the goal and every later answer one step off.
        #expect(card.contains("An introduction to the CFO of her firm") && card.contains("Who decides on the pilot budget?"), "\(card)")
        #expect(!card.contains("Goal: tomorrow"), "\(card)")
        #expect(slack.refused.isEmpty, "\(slack.refused)")
    }

    @Test func aPersonAnswersByTextAndByButtonsAPressTwiceIsTakenOnceAndTheCardComesAsBlocks() throws {
        let slack = try FakeSlack()
        let server = try Serving(slack: slack)
        defer { server.stop() }
        func reply(_ count: Int) -> FakeSlack.Post? {
            let posted = Self.posts(slack, count: count)
            #expect(posted.count == count, "\(posted.map(\.text)) \(server.rapport.log("serve.log").suffix(1_000))")
            return posted.count == count ? posted.last : nil
        }
        server.say("prep Anna Berg", id: "EvB0")
        #expect(reply(1)?.buttons == [], "“when” is typed")
        server.say("tomorrow 14:00", id: "EvB1")
        _ = reply(2)
        server.say("An introduction to the CFO of her firm", id: "EvB2")
        let already = try #require(reply(3))
        #expect(already.text?.hasPrefix("Could you get this through the contacts you already have?") == true)
        #expect(already.buttons.map(\.text) == ["Yes", "No", "Not sure"])
        #expect(already.blockTypes == ["section", "actions"])
        server.press("No", on: already, actionTS: "1548426417.840180")
        let whyThem = try #require(reply(4))
        #expect(whyThem.text?.hasPrefix("Why Anna?") == true, "\(whyThem.text ?? "")")
        server.say("She chairs the CFO network in Karlstad", id: "EvB3")
        let knows = try #require(reply(5))
        #expect(knows.buttons.map(\.text) == ["Yes", "Partly", "No"])
        // Pressed twice, as an impatient thumb does: the first is the answer, the second is told so.
        server.press("Partly", on: knows, actionTS: "1548426418.000001")
        server.press("Partly", on: knows, actionTS: "1548426418.000002")
        // Both replies may be posted before either is looked at: wait for the second, read both.
        let both = Self.posts(slack, count: 7)
        #expect(both.count == 7, "\(both.map(\.text))")
        let pitch = try #require(both.count == 7 ? both[5] : nil)
        let polite = both[6]
        #expect(polite.text?.hasPrefix("That question was already answered; the question now is:") == true, "\(polite.text ?? "")")
        #expect(pitch.text.map { polite.text?.contains($0.prefix(20)) == true } == true, "the polite reply asks the pitch question again")
        for (index, answer) in ["I help builders cut heating costs", "A speaker for her network", "Who decides on the pilot budget?"].enumerated() {
            server.say(answer, id: "EvB\(index + 4)")
            _ = reply(8 + index)
        }
        let card = try #require(slack.posts(in: Self.dm).last)
        #expect(card.blockTypes.first == "section" || card.blockTypes.first == "header", "\(card.blockTypes)")
        #expect(card.blockTypes.contains("header") && card.blockTypes.filter { $0 == "section" }.count >= 3, "\(card.blockTypes)")
        #expect(card.buttons.isEmpty)
        let shown = card.blockTexts.joined(separator: "\n")
        // Had the second press been taken, “2” would have answered the pitch question (and been
        // coached), not been told so; the answers that follow are where they were typed.
        #expect(shown.contains("I help builders cut heating costs") && shown.contains("A speaker for her network"), "\(shown)")
        #expect(shown.contains("Who decides on the pilot budget?"), "\(shown)")
        #expect(card.text?.contains("I help builders cut heating costs") == true, "the text is the notification's fallback")
        #expect(slack.refused.isEmpty, "\(slack.refused)")
    }

    @Test func a429IsWaitedOutAndDeliversOnceAndInvalidAuthIsReportedAndNotRetried() throws {
        let slack = try FakeSlack()
        slack.fail(.rateLimited(seconds: 1))
        let server = try Serving(slack: slack)
        server.say("help", id: "EvHelp")
        #expect(Self.posts(slack, count: 1).count == 1)
        Thread.sleep(forTimeInterval: 1.5)
        #expect(slack.posts(in: Self.dm).count == 1, "delivered once")
        #expect(slack.postMessageCalls == 2, "the 429, then the post")
        server.stop()

        let revoked = try Serving(slack: slack, token: "xoxb-0000-revoked")
        defer { revoked.stop() }
        revoked.say("help", id: "EvHelp2")
        let deadline = Date().addingTimeInterval(20)
        while !revoked.rapport.log("serve.log").contains("invalid_auth"), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(revoked.rapport.log("serve.log").contains("Slack refused it: invalid_auth"), "\(revoked.rapport.log("serve.log").suffix(1_000))")
        Thread.sleep(forTimeInterval: 6)  // longer than the loop's idle look: a retry would have come
        #expect(slack.postMessageCalls == 3, "tried once, not again")
        #expect(slack.posts(in: Self.dm).count == 1)
    }

    @Test func aRestartBetweenATurnAndItsReplyLosesNoReply() throws {
        let slack = try FakeSlack()
        let (nowhere, descriptor) = LoopbackHTTPServer.refusingURL()
        defer { close(descriptor) }
        let rapport = RapportBinary()
        var server = try Serving(slack: slack, apiURL: nowhere + "/api", rapport: rapport)
        server.say("prep Anna Berg", id: "EvRestart")
        // Slack cannot be reached; the server is killed with the reply still in its outbox.
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()
        #expect(slack.postMessageCalls == 0)
        server.process = try Serving.start(rapport, slack: slack, port: server.port, token: slack.botToken, apiURL: slack.apiURL)
        defer { server.stop() }
        try server.waitUntilServing()
        // Killed mid-post, its claim lasts 30 s (NudgeService.replyLease); else it is posted at start.
        let posted = Self.posts(slack, count: 1, within: 60)
        #expect(posted.count == 1, "\(rapport.log("serve.log").suffix(1_500))")
        #expect(posted.first?.text?.hasPrefix("When do you meet Anna Berg?") == true)
    }

    /// Waits (up to `seconds`) until `channel` holds `count` posts; returns them.
    static func posts(_ slack: FakeSlack, in channel: String, count: Int, within seconds: Double = 20) -> [FakeSlack.Post] {
        let deadline = Date().addingTimeInterval(seconds)
        while slack.posts(in: channel).count < count, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return slack.posts(in: channel)
    }

    @Test func aReminderNudgeInTheDMHasPrepNowWhosePressStartsThePrepOnceAndOnlyForItsOwner() throws {
        let slack = try FakeSlack()
        let server = try Serving(slack: slack, nudges: "nudges:\n  routes: { reminder: dm }\n")
        defer { server.stop() }
        let answers = [
            "prep Anna Berg", "tomorrow 14:00", "An introduction to the CFO of her firm", "no", "She chairs the CFO network in Karlstad",
            "partly", "I help builders cut heating costs", "A speaker for her network", "Who decides on the pilot budget?",
        ]
        for (index, answer) in answers.enumerated() {
            server.say(answer, id: "EvN\(index)")
            _ = Self.posts(slack, count: index + 1)
        }
        #expect(slack.posts(in: Self.dm).count == answers.count, "\(server.rapport.log("serve.log").suffix(1_000))")
        // Two days on, `rapport nudge` posts the reminder in the person's DM (a user id as channel).
        let sent = try server.nudge(after: 2 * 24 * 3600)
        #expect(sent.hasPrefix("Sent 1."), "\(sent)")
        let nudge = try #require(slack.posts(in: Self.person).first, "\(slack.posts.map(\.channel)) \(slack.refused)")
        #expect(nudge.text?.contains("Meeting with Anna Berg") == true, "\(nudge.text ?? "")")
        #expect(nudge.text?.contains("An introduction to the CFO of her firm") == true, "the DM shows the goal")
        #expect(nudge.blockTypes == ["section", "section", "actions"], "\(nudge.blockTypes)")
        #expect(nudge.buttons.map(\.text) == ["Prep now"])
        #expect(nudge.buttons.first?.value.hasPrefix("nudge|prep|m") == true && nudge.buttons.first?.value.hasSuffix("|" + Self.person) == true)

        // Someone else's press changes nothing, and is told so.
        server.press("Prep now", on: nudge, actionTS: "1548426419.000001", by: "U0STRANGER")
        let refused = Self.posts(slack, in: Self.person, count: 2)
        #expect(refused.last?.text == "That button is on someone else’s nudge, so it changed nothing.", "\(refused.map(\.text))")
        // The owner's press starts the prep with Anna, as `prep Anna Berg` does; a second press starts no other.
        server.press("Prep now", on: nudge, actionTS: "1548426419.000002")
        let started = Self.posts(slack, in: Self.person, count: 3)
        #expect(started.last?.text?.contains("When do you meet Anna Berg?") == true, "\(started.map(\.text)) \(server.rapport.log("serve.log").suffix(1_000))")
        server.press("Prep now", on: nudge, actionTS: "1548426419.000003")
        let again = Self.posts(slack, in: Self.person, count: 4)
        #expect(again.count == 4)
        #expect(again.last?.text?.hasPrefix("You have a conversation open") == true, "\(again.last?.text ?? "")")
        #expect(again.last?.text?.contains("When do you meet Anna Berg?") == true, "the question under way, asked again")
        // The same press retried by Slack is answered once.
        server.press("Prep now", on: nudge, actionTS: "1548426419.000003")
        Thread.sleep(forTimeInterval: 1.5)
        #expect(slack.posts(in: Self.person).count == 4)
        server.say("tomorrow 15:00", id: "EvN-after")
        let answered = Self.posts(slack, count: answers.count + 1)
        #expect(answered.count == answers.count + 1, "the prep the press started takes the next message")
        #expect(answered.last?.text?.contains("When do you meet") == false, "\(answered.last?.text ?? "")")
        #expect(slack.refused.isEmpty, "\(slack.refused)")
    }
}
