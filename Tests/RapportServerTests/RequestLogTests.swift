import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RapportApp
import RapportServer
import RapportAppTestSupport
import RapportCore
import RapportTestSupport
import Synchronization
import Testing

/// The server's request log: one line per request with its status, and never a secret or the
/// chat text, whatever the request carried.
struct RequestLogTests {
    /// A swift-log handler that keeps every line, metadata included, as text.
    struct CapturingHandler: LogHandler {
        final class Lines: Sendable {
            let value = Mutex<[String]>([])
        }

        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = self.metadata.merging(event.metadata ?? [:]) { _, new in new }
            let text = "\(event.level) \(event.message) " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            lines.value.withLock { $0.append(text) }
        }
    }

    @Test func eachRequestIsLoggedOnceWithItsStatusAndNothingSecret() async throws {
        let folder = TemporaryDirectory()
        let chat = ChatService(services: try await TestServices.open(store: folder.path("r.sqlite")), clock: { Fixtures.monday })
        let secret = "s3cret-token-xyz"
        let policy = ChatServerPolicy(token: secret, users: ["web:U1": "local"], mattermostTokens: ["mm-secret-abc"])
        let lines = CapturingHandler.Lines()
        let logger = Logger(label: "test") { _ in CapturingHandler(lines: lines) }
        let app = Application(router: buildRouter(chat: chat, policy: policy), logger: logger)
        try await app.test(.router) { client in
            let body = ByteBuffer(string: #"{"user":"U1","text":"prep Anna Berg"}"#)
            try await client.execute(uri: "/v1/chat?debug=\(secret)", method: .post, headers: [.authorization: "Bearer \(secret)"], body: body) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/chat", method: .post, headers: [.authorization: "Bearer wrong-\(secret)"], body: body) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v1/mattermost", method: .post, body: ByteBuffer(string: "token=mm-secret-abc&user_id=U1&text=status")) { #expect($0.status == .ok) }
        }
        let logged = lines.value.withLock { $0 }
        let answered = logged.filter { $0.contains("answered") }
        #expect(answered.count == 3, "\(logged)")
        #expect(answered[0].contains("http.method=POST") && answered[0].contains("http.path=/v1/chat ") && answered[0].contains("http.status=200"), "\(answered[0])")
        #expect(answered[1].contains("http.status=401"), "\(answered[1])")
        #expect(answered[2].contains("http.path=/v1/mattermost") && answered[2].contains("http.status=200"), "\(answered[2])")
        #expect(answered.allSatisfy { $0.contains("duration_ms=") })
        for line in logged {
            #expect(!line.contains(secret) && !line.contains("mm-secret-abc") && !line.contains("Anna Berg"), "\(line)")
        }
    }

    @Test func anUploadCutShortIsLoggedAsTheFourHundredItIsAnsweredAndAResetOneAsAbandoned() async throws {
        let folder = TemporaryDirectory()
        let chat = ChatService(services: try await TestServices.open(store: folder.path("r.sqlite")), clock: { Fixtures.monday })
        let lines = CapturingHandler.Lines()
        let logger = Logger(label: "test") { _ in CapturingHandler(lines: lines) }
        let app = Application(router: buildRouter(chat: chat, policy: ChatServerPolicy(token: "t0ken", users: ["web:U1": "local"])), logger: logger)
        let upload = "POST /v1/chat HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t0ken\r\nContent-Length: 100\r\n\r\n{\"user\":"
        let response = try await app.test(.live) { client in
            // Real sockets: each client declares 100 bytes and sends 8. One stops sending (FIN)...
            let port = try #require(client.port)
            let cut = try RawConnection(port: port)
            cut.send(upload)
            cut.finishSending()
            // A generous wait: the suite's tests that wait on processes can hold the few threads the
            // in-process server needs.
            let response = await cut.readUntilClosedOffThePool(within: 30).text
            // ...the other drops the connection (RST) once the server is reading its body.
            let reset = try RawConnection(port: port)
            reset.send(upload)
            try await Task.sleep(for: .milliseconds(200))
            reset.reset()
            try await Task.sleep(for: .milliseconds(300))
            return response
        }
        #expect(response.hasPrefix("HTTP/1.1 400"), "\(response)")
        let logged = lines.value.withLock { $0 }
        let requests = logged.filter { $0.contains("http.path=/v1/chat") }
        #expect(requests.count == 2, "\(requests)")
        #expect(requests.first?.hasPrefix("info answered ") == true && requests.first?.contains("http.status=400") == true, "\(requests)")
        #expect(requests.last?.hasPrefix("info abandoned by the client ") == true && requests.last?.contains("http.status") == false, "\(requests)")
        #expect(!logged.contains { $0.hasPrefix("error ") }, "an aborted upload is not an error of the server's: \(logged)")
    }
}
