import Foundation
import Hummingbird
import Logging
import RapportApp
import RapportCore
import RapportDelivery

/// How the server answers: its token, who may talk to it, how big a request may be.
public struct ChatServerPolicy: Sendable {
    /// The bearer token `POST /v1/chat` requires; nil refuses every request to it.
    public var token: String?
    /// Chat user id → profile key (`local` shares the terminal's conversations).
    public var users: [String: String]
    /// Answer users that are not in `users`, each under their own key.
    public var allowAnyone: Bool
    public var maxBodyBytes: Int

    public init(token: String?, users: [String: String] = [:], allowAnyone: Bool = false, maxBodyBytes: Int = 64 * 1024) {
        self.token = token
        self.users = users
        self.allowAnyone = allowAnyone
        self.maxBodyBytes = maxBodyBytes
    }

    /// The profile key a chat user's conversations are stored under, or nil when the user is not let in.
    public func userKey(for user: String) -> String? {
        if let mapped = users[user] { return mapped }
        return allowAnyone ? "chat:" + user : nil
    }

    /// Whether an `Authorization` header carries the token, compared in constant time.
    func authorizes(_ header: String?) -> Bool {
        guard let token, !token.isEmpty, let header, header.hasPrefix("Bearer ") else { return false }
        return HMACSHA256.constantTimeEqual(Array(header.dropFirst(7).utf8), Array(token.utf8))
    }
}

/// The body of `POST /v1/chat`.
struct ChatRequest: Decodable {
    var user: String
    var text: String
    var lang: String?
}

/// The routes of `rapport serve`: a health check and the generic JSON chat.
public func buildRouter(chat: ChatService, policy: ChatServerPolicy) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: LogRequestsMiddleware(.info))
    router.get("/healthz") { _, _ -> String in "ok" }
    router.post("/v1/chat") { request, context -> Response in
        guard policy.authorizes(request.headers[.authorization]) else {
            throw HTTPError(.unauthorized, message: "a valid bearer token is required")
        }
        let body = try await request.body.collect(upTo: policy.maxBodyBytes)
        let message: ChatRequest
        do {
            message = try JSONDecoder().decode(ChatRequest.self, from: Data(buffer: body))
        } catch {
            throw HTTPError(.badRequest, message: "the body must be JSON with \"user\" and \"text\" strings")
        }
        guard !message.user.isEmpty, message.user.count <= 200 else {
            throw HTTPError(.badRequest, message: "\"user\" must be a non-empty id")
        }
        guard let userKey = policy.userKey(for: message.user) else {
            throw HTTPError(.forbidden, message: "this rapport does not know you yet; ask the person who runs it to add your user id")
        }
        let reply: ChatService.Reply
        do {
            reply = try await chat.handle(text: message.text, userKey: userKey)
        } catch {
            context.logger.error("chat turn failed", metadata: ["chat.user": .string(userKey), "error": .string("\(error)")])
            throw HTTPError(.internalServerError, message: "the conversation could not be saved; try again")
        }
        var buffer = ByteBuffer()
        buffer.writeBytes(try JSONEncoder().encode(reply))
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }
    return router
}
