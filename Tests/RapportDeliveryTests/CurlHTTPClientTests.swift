import Foundation
import RapportDelivery
import RapportTestSupport
import Testing

/// libcurl against a real server on 127.0.0.1.
struct CurlHTTPClientTests {
    @Test func postsTheBodyAndHeadersAndReturnsStatusHeadersAndBody() throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.respond(status: 201, headers: ["X-Reply": "yes"], body: "created"))
        let client = try CurlHTTPClient()
        let response = try client.post(url: server.url + "/hook?x=1", headers: [("Content-Type", "application/json")], body: Array(#"{"text":"hi"}"#.utf8))
        #expect(response.status == 201)
        #expect(response.headers["x-reply"] == "yes")
        #expect(response.text == "created")
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/hook?x=1")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["user-agent"] == "rapport/0.1")
        #expect(request.text == #"{"text":"hi"}"#)
    }

    @Test func reusesTheConnectionForTheNextPost() throws {
        let server = try LoopbackHTTPServer()
        let client = try CurlHTTPClient()
        for index in 0..<5 {
            let response = try client.post(url: server.url + "/\(index)", headers: [], body: Array("\(index)".utf8))
            #expect(response.status == 200)
        }
        #expect(server.requests.map(\.path) == ["/0", "/1", "/2", "/3", "/4"])
        #expect(server.connections == 1)
    }

    /// A webhook that answers with a gigabyte (or without end) is read only as far as its first
    /// 64 KB: the transfer stops there, and the status and headers still say what happened.
    @Test(arguments: [1 << 30, nil] as [Int?])
    func aHugeReplyIsReadOnlyToItsCapAndTheTransferStopped(bytes: Int?) throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.stream(status: 200, headers: ["X-Reply": "yes"], bytes: bytes))
        let client = try CurlHTTPClient()
        let response = try client.post(url: server.url + "/huge", headers: [], body: Array("{}".utf8))
        #expect(response.status == 200)
        #expect(response.headers["x-reply"] == "yes")
        #expect(response.body.count == CurlHTTPClient.maximumBodyBytes)
        #expect(response.body.allSatisfy { $0 == UInt8(ascii: "x") })
        #expect(DeliveryVerdict(kind: .slack, response: response, now: Date()) == .delivered)
        // Hung up, not drained: past the cap only what the sockets' buffers held was ever sent.
        #expect(server.streamedBytes < 64 << 20, "\(server.streamedBytes) bytes were sent")
        // The same client goes on with the next message, on a new connection.
        #expect(try client.post(url: server.url + "/next", headers: [], body: []).status == 200)
        #expect(server.requests.map(\.path) == ["/huge", "/next"])
    }

    @Test func aRefusedConnectionIsATransportError() throws {
        let (url, descriptor) = LoopbackHTTPServer.refusingURL()
        defer { close(descriptor) }
        #expect {
            try CurlHTTPClient().post(url: url, headers: [], body: [])
        } throws: { error in
            guard case .transport(let code, _) = error as? DeliveryError else { return false }
            return code == 7  // CURLE_COULDNT_CONNECT
        }
    }

    @Test func aSlowServerTimesOut() throws {
        let server = try LoopbackHTTPServer()
        // Far slower than the timeout: on a loaded machine curl may only look at its clock
        // after the reply is in, and a 2 s reply once came back as a 200.
        server.enqueue(.slow(seconds: 10))
        let client = try CurlHTTPClient(timeouts: .init(connect: .seconds(1), total: .milliseconds(300)))
        #expect {
            try client.post(url: server.url, headers: [], body: [])
        } throws: { error in
            guard case .transport(let code, _) = error as? DeliveryError else { return false }
            return code == 28  // CURLE_OPERATION_TIMEDOUT
        }
    }

    @Test func aDroppedConnectionIsATransportError() throws {
        let server = try LoopbackHTTPServer()
        server.enqueue(.drop)
        #expect(throws: DeliveryError.self) { try CurlHTTPClient().post(url: server.url, headers: [], body: []) }
    }

    @Test func onlyHTTPAndHTTPSAreAllowed() throws {
        #expect {
            try CurlHTTPClient().post(url: "file:///etc/passwd", headers: [], body: [])
        } throws: { error in
            guard case .transport(let code, _) = error as? DeliveryError else { return false }
            return code == 1  // CURLE_UNSUPPORTED_PROTOCOL
        }
    }
}
