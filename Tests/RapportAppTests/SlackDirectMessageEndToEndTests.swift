import Foundation
import GRDB
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
        /// The server's fixed clock (`RAPPORT_NOW`), which events and presses are signed at; nil: the system clock.
        let fixedNow: Date?
        var events: String { "http://127.0.0.1:\(port)/v1/slack/events" }
        var interactivity: String { "http://127.0.0.1:\(port)/v1/slack/interactivity" }

        init(
            slack: FakeSlack, token: String? = nil, apiURL: String? = nil, rapport: RapportBinary = RapportBinary(), nudges: String = "", fixedNow: Date? = nil
        ) throws {
            self.rapport = rapport
            self.slack = slack
            self.fixedNow = fixedNow
            port = RawConnection.freePort()
            process = try Self.start(
                rapport, slack: slack, port: port, token: token ?? slack.botToken, apiURL: apiURL ?? slack.apiURL, nudges: nudges, fixedNow: fixedNow)
            try waitUntilServing()
        }

        static func start(
            _ rapport: RapportBinary, slack: FakeSlack, port: Int, token: String, apiURL: String, nudges: String = "", fixedNow: Date? = nil
        ) throws -> Process {
            let config = rapport.folder.path("config.yaml")
            try """
                server:
                  slack_signing_secret: env:RAPPORT_TEST_SLACK_SECRET
                  slack_bot_token: env:RAPPORT_TEST_SLACK_TOKEN
                  slack_api_url: \(apiURL)
                  allow_anyone: true
                \(nudges)
                """.write(toFile: config, atomically: true, encoding: .utf8)
            var environment = environment(config: config, slack: slack, token: token)
            if let fixedNow { environment["RAPPORT_NOW"] = ISO8601DateFormatter().string(from: fixedNow) }
            return try rapport.startLogged(["serve", "--port", "\(port)", "--nudge-every", "0"], extraEnvironment: environment, log: "serve.log")
        }

        static func environment(config: String, slack: FakeSlack, token: String) -> [String: String] {
            ["RAPPORT_CONFIG": config, "RAPPORT_NOW": "", "RAPPORT_TEST_SLACK_SECRET": slack.signingSecret, "RAPPORT_TEST_SLACK_TOKEN": token]
        }

        /// `rapport nudge` beside the server, on the same config and store, with its clock at `moment`.
        func nudge(at moment: Date) throws -> String {
            var later = rapport
            later.now = ISO8601DateFormatter().string(from: moment)
            var environment = Self.environment(config: rapport.folder.path("config.yaml"), slack: slack, token: slack.botToken)
            environment["RAPPORT_NOW"] = nil
            return try later.run(["nudge"], extraEnvironment: environment).stdout
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
                if slack.send(slack.urlVerification(challenge: "probe"), to: events, timestamp: timestamp, within: 2)?.status == 200 { return }
                Thread.sleep(forTimeInterval: 0.05)
            }
            Issue.record("rapport serve did not answer: \(rapport.log("serve.log").suffix(2_000))")
        }

        static func now() -> Int { Int(Date().timeIntervalSince1970) }
        /// What Slack signs a request with now, by the server's clock.
        var timestamp: Int { fixedNow.map { Int($0.timeIntervalSince1970) } ?? Self.now() }

        /// Sends the person's DM as an event and checks it was acknowledged.
        @discardableResult
        func say(_ text: String, id: String, retry: Int? = nil) -> Int? {
            let status = slack.send(slack.directMessage(text, from: SlackDirectMessageEndToEndTests.person, channel: SlackDirectMessageEndToEndTests.dm, eventID: id),
                                    to: events, timestamp: timestamp, retry: retry)?.status
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
                                    timestamp: timestamp, contentType: "application/x-www-form-urlencoded")
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

    @Test func datesAreReadInThePersonsOwnTimeZoneAskedOfSlackOnce() throws {
        let slack = try FakeSlack()
        // The server's clock is Stockholm's (RapportBinary's TZ); the person is in Auckland, 12 hours on.
        slack.setTimeZone("Pacific/Auckland", of: Self.person)
        let server = try Serving(slack: slack)
        defer { server.stop() }
        server.say("prep Anna Berg", id: "EvZ0")
        _ = Self.posts(slack, count: 1)
        let asked = Date()
        server.say("tomorrow 14:00", id: "EvZ1")
        let posted = Self.posts(slack, count: 2)
        #expect(posted.count == 2, "\(server.rapport.log("serve.log").suffix(1_000))")
        var auckland = Calendar(identifier: .gregorian)
        auckland.timeZone = TimeZone(identifier: "Pacific/Auckland")!
        let tomorrow = auckland.date(byAdding: .day, value: 1, to: auckland.startOfDay(for: asked))!
        let expected = auckland.date(bySettingHour: 14, minute: 0, second: 0, of: tomorrow)!
        let queue = try DatabaseQueue(path: server.rapport.storePath)
        let state = try queue.read { db in try String.fetchOne(db, sql: "SELECT state FROM conversations ORDER BY id DESC LIMIT 1") } ?? ""
        // The slot holds the moment in seconds since 1970: Auckland's 14:00, not Stockholm's (12 hours apart).
        let moments = state.matches(of: /"date"\s*:\s*([0-9.]+)/).compactMap { Double($0.output.1) }
        #expect(moments.contains(expected.timeIntervalSince1970), "\(expected) in \(moments): \(state.prefix(600))")
        for (index, answer) in ["An introduction to the CFO of her firm", "no", "She chairs the CFO network in Karlstad"].enumerated() {
            server.say(answer, id: "EvZ\(index + 2)")
            _ = Self.posts(slack, count: index + 3)
        }
        #expect(slack.usersInfoCalls == 1, "asked once, then kept: \(slack.usersInfoCalls)")
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
        // (users.info is refused with invalid_auth too, earlier: wait for the reply's refusal.)
        while !revoked.rapport.log("serve.log").contains("Slack refused it: invalid_auth"), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
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

    @Test func aReflectionStartedFromItsNudgeIsAnsweredByButtonsAndFinishesWithAFollowUpWhoseDoneIsPressedOnce() throws {
        let slack = try FakeSlack()
        let routes = "nudges:\n  routes: { reflect: dm, followup: dm }\n"
        let iso = ISO8601DateFormatter()
        let monday = try #require(iso.date(from: "2026-11-23T09:00:00Z"))  // 10:00 in Stockholm
        let rapport = RapportBinary()
        var server = try Serving(slack: slack, rapport: rapport, nudges: routes, fixedNow: monday)
        for (index, answer) in [
            "prep Anna Berg", "tomorrow 14:00", "An introduction to their CFO", "no", "She chairs the CFO network in Karlstad",
            "partly", "I help builders cut heating costs", "A speaker for her network", "Who decides on the pilot budget?",
        ].enumerated() {
            server.say(answer, id: "EvR\(index)")
            _ = Self.posts(slack, count: index + 1)
        }
        #expect(slack.posts(in: Self.dm).count == 9, "\(server.rapport.log("serve.log").suffix(1_000))")
        server.stop()

        // Tuesday 17:00, after the meeting: the server runs on, its clock there, and `rapport nudge` asks in the DM.
        let tuesday = monday.addingTimeInterval(31 * 3600)
        server = try Serving(slack: slack, rapport: rapport, nudges: routes, fixedNow: tuesday)
        // The server's own reply loop may post it first (a DM nudge goes by the bot): one post either way.
        let sent = try server.nudge(at: tuesday)
        let asking = try #require(Self.posts(slack, in: Self.person, count: 1).first, "\(sent) \(slack.posts.map(\.channel)) \(slack.refused)")
        #expect(slack.posts(in: Self.person).count == 1, "\(slack.posts(in: Self.person).map(\.text))")
        #expect(asking.buttons.map(\.text) == ["Reflect", "Later"], "\(asking.buttons)")
        server.press("Reflect", on: asking, actionTS: "1548426420.000001")
        // The reflection's first question comes with its buttons, though the store gave its id only as it saved it.
        let first = try #require(Self.posts(slack, in: Self.person, count: 2).dropFirst().first, "\(server.rapport.log("serve.log").suffix(1_000))")
        #expect(first.text?.hasPrefix("Before the meeting you wanted “An introduction to their CFO”. Did you get it?") == true, "\(first.text ?? "")")
        #expect(first.buttons.map(\.text) == ["Yes", "Partly", "No"], "\(first.buttons)")
        #expect(first.buttons.first?.value.hasPrefix("s") == true, "named by its start: \(first.buttons.first?.value ?? "")")
        server.press("Yes", on: first, actionTS: "1548426420.000002")
        server.press("Yes", on: first, actionTS: "1548426420.000003")  // the impatient thumb again
        let pressed = Self.posts(slack, in: Self.person, count: 4)
        #expect(pressed.count == 4, "\(pressed.map(\.text))")
        #expect(pressed.last?.text?.hasPrefix("That question was already answered; the question now is:") == true, "\(pressed.last?.text ?? "")")
        let answers = [
            "She offered to introduce me to their CFO", "1", "A speaker for her network", "A name", "1", "call Eva 2026-11-25 15:00", "done",
            "recommended Jan Kowalski for their warehouse project", "done", "yes", "every 6 weeks",
        ]
        for (index, answer) in answers.enumerated() {
            _ = slack.send(slack.directMessage(answer, from: Self.person, channel: Self.person, eventID: "EvRf\(index)"), to: server.events, timestamp: server.timestamp)
            _ = Self.posts(slack, in: Self.person, count: 5 + index)
        }
        let card = try #require(slack.posts(in: Self.person).last)
        #expect(card.blockTexts.joined(separator: "\n").contains("call Eva"), "the card, with its follow-up: \(card.blockTexts) \(card.text ?? "")")
        server.stop()

        // Wednesday 15:30: the follow-up is due, in the DM, with [Done]; pressed twice, done once.
        let wednesday = try #require(iso.date(from: "2026-11-25T14:30:00Z"))
        let before = slack.posts(in: Self.person).count
        server = try Serving(slack: slack, rapport: rapport, nudges: routes, fixedNow: wednesday)
        defer { server.stop() }
        let due = try server.nudge(at: wednesday)
        let followUp = try #require(Self.posts(slack, in: Self.person, count: before + 1).dropFirst(before).first { $0.text?.contains("call Eva") == true },
                                    "\(due) \(slack.posts(in: Self.person).dropFirst(before).map(\.text))")
        #expect(followUp.buttons.map(\.text) == ["Done", "Snooze a week"], "\(followUp.buttons)")
        let shown = slack.posts(in: Self.person).count
        server.press("Done", on: followUp, actionTS: "1548426421.000001")
        server.press("Done", on: followUp, actionTS: "1548426421.000002")
        let told = Self.posts(slack, in: Self.person, count: shown + 2)
        #expect(told.dropFirst(shown).first?.text?.hasPrefix("Done: call Eva") == true, "\(told.dropFirst(shown).map(\.text))")
        let queue = try DatabaseQueue(path: rapport.storePath)
        let done = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM followups WHERE done_at IS NOT NULL") }
        #expect(done == 1, "done once")
        #expect(slack.refused.isEmpty, "\(slack.refused)")
    }
}
