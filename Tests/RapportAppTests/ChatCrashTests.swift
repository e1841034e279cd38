import Foundation
import GRDB
import RapportDelivery
import RapportTestSupport
import Synchronization
import Testing

/// `rapport serve` SIGKILLed while twelve users talk to it at once, then restarted: every turn
/// that was answered is in the store, a retried message is answered with its first reply and not
/// applied again, and every user's prep finishes with each step answered exactly once.
@Suite(.serialized)
struct ChatCrashTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let users = 12

    /// One chat user's side: the messages, how far the server has acknowledged, the replies.
    final class User: @unchecked Sendable {
        // @unchecked: each User is driven by one thread at a time, and read after it is joined.
        let index: Int
        let messages: [String]
        var acknowledged = 0
        var replies: [String] = []

        init(index: Int) {
            self.index = index
            messages = ChatServiceTests.prepAnswers(index)
        }

        func id(_ message: Int) -> String { "u\(index)-m\(message)" }
    }

    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// Posts one message signed with Standard Webhooks; nil when no answer came (server gone).
    static func post(_ client: CurlHTTPClient, port: Int, user: Int, text: String, id: String, timestamp: Int) -> (Int, String)? {
        let body = Array(#"{"user":"U\#(user)","text":"\#(text)"}"#.utf8)
        guard let signer = StandardWebhooks(secret: secret), let headers = try? signer.headers(id: id, timestamp: timestamp, body: body),
              let response = try? client.post(url: "http://127.0.0.1:\(port)/v1/chat", headers: headers + [("Content-Type", "application/json")], body: body)
        else { return nil }
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    static func waitUntilServing(port: Int, timestamp: Int, log: () -> String = { "" }) throws {
        let client = try CurlHTTPClient(timeouts: .init(connect: .seconds(1), total: .seconds(5)))
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if post(client, port: port, user: 0, text: "help", id: "probe-\(UUID())", timestamp: timestamp)?.0 == 200 { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("rapport serve did not answer on port \(port): \(log().suffix(2_000))")
    }

    @Test func killedUnderLoadNoAnsweredTurnIsLostAndNoRetryIsAppliedTwice() throws {
        var rapport = RapportBinary()
        rapport.now = "2026-11-23T10:00:00+01:00"
        let timestamp = Int(ISO8601DateFormatter().date(from: rapport.now)!.timeIntervalSince1970)
        let config = rapport.folder.path("config.yaml")
        try "server:\n  signing_secret: env:RAPPORT_TEST_SIGNING_SECRET\n  allow_anyone: true\n".write(toFile: config, atomically: true, encoding: .utf8)
        let environment = ["RAPPORT_CONFIG": config, "RAPPORT_TEST_SIGNING_SECRET": Self.secret]

        let users = (1...Self.users).map(User.init)
        var generator = SplitMix64(seed: 7)
        let killAfter = Int.random(in: 30...70, using: &generator)
        let port = RawConnection.freePort()
        let server = try rapport.startLogged(["serve", "--port", "\(port)", "--nudge-every", "0"], extraEnvironment: environment, log: "serve.log")
        try Self.waitUntilServing(port: port, timestamp: timestamp, log: { rapport.log("serve.log") })

        // Twelve users talk at once until the server is killed under them.
        let acknowledged = Counter()
        let talk: @Sendable (User) -> Void = { user in
            guard let client = try? CurlHTTPClient(timeouts: .init(connect: .seconds(1), total: .seconds(10))) else { return }
            while user.acknowledged < user.messages.count {
                let message = user.acknowledged
                guard let (status, body) = Self.post(client, port: port, user: user.index, text: user.messages[message], id: user.id(message), timestamp: timestamp),
                      status == 200
                else { return }
                user.replies.append(body)
                user.acknowledged += 1
                acknowledged.value.add(1, ordering: .relaxed)
            }
        }
        let done = DispatchGroup()
        for user in users {
            done.enter()
            Thread { talk(user); done.leave() }.start()
        }
        let deadline = Date().addingTimeInterval(60)
        while acknowledged.value.load(ordering: .relaxed) < killAfter, Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
        done.wait()
        let answeredBeforeKill = users.map(\.acknowledged)
        #expect(answeredBeforeKill.reduce(0, +) >= killAfter)
        #expect(answeredBeforeKill.contains { $0 < ChatServiceTests.prepAnswers(0).count }, "the kill landed mid-conversation: \(answeredBeforeKill)")

        // Every answered turn was committed before its reply: the store has each one.
        let store = try DatabaseQueue(path: rapport.storePath)
        let processed = Set(try store.read { db in try String.fetchAll(db, sql: "SELECT id FROM processed_messages") })
        for user in users {
            for message in 0..<user.acknowledged {
                #expect(processed.contains("web::U\(user.index)/web:\(user.id(message))"), "answered but not stored: \(user.id(message))")
            }
        }
        try store.close()

        // Restarted: the last answered message of each user comes again (its reply was "lost") and
        // gets the same reply; then each user goes on from the message that was in flight.
        let restartPort = RawConnection.freePort()
        let restarted = try rapport.startLogged(["serve", "--port", "\(restartPort)", "--nudge-every", "0"], extraEnvironment: environment, log: "restarted.log")
        try Self.waitUntilServing(port: restartPort, timestamp: timestamp, log: { rapport.log("restarted.log") })
        let client = try CurlHTTPClient()
        for user in users {
            if user.acknowledged > 0 {
                let last = user.acknowledged - 1
                let again = Self.post(client, port: restartPort, user: user.index, text: user.messages[last], id: user.id(last), timestamp: timestamp)
                #expect(again?.1 == user.replies[last], "a retry is answered with its first reply")
            }
            for message in user.acknowledged..<user.messages.count {
                let answer = Self.post(client, port: restartPort, user: user.index, text: user.messages[message], id: user.id(message), timestamp: timestamp)
                #expect(answer?.0 == 200)
                if message == user.messages.count - 1 {
                    #expect(answer?.1.contains("Prep card: Person \(user.index), Tue 24 Nov 14:00") == true, "\(answer?.1 ?? "no answer")")
                }
            }
        }
        restarted.terminate()
        restarted.waitUntilExit()
        #expect(restarted.terminationStatus == 0)

        let final = try DatabaseQueue(path: rapport.storePath)
        let meetings = try final.read { db in
            try Row.fetchAll(db, sql: "SELECT c.user_key, m.goal FROM meetings m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel LIKE 'chat%'")
                .map { ($0["user_key"] as String, $0["goal"] as String) }
        }
        #expect(meetings.count == Self.users, "one meeting per user, none twice: \(meetings)")
        for (userKey, goal) in meetings { #expect(goal == "An introduction to the CFO of firm \(userKey.dropFirst("web::U".count))") }
        let answers = try final.read { db in
            try Row.fetchAll(db, sql: "SELECT count(*) AS n, count(DISTINCT step) AS steps FROM answers a JOIN conversations c ON c.id = a.conversation_id WHERE c.channel LIKE 'chat%' GROUP BY a.conversation_id")
                .map { ($0["n"] as Int, $0["steps"] as Int) }
        }
        #expect(answers.count == Self.users)
        #expect(answers.allSatisfy { $0.0 == $0.1 && $0.0 == ChatServiceTests.prepAnswers(0).count - 1 }, "each step answered once: \(answers)")
    }
}
