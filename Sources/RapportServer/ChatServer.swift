import Hummingbird
import RapportApp

/// The routes of `rapport serve`: `/healthz`, and one route collection per chat platform, each
/// handing its messages to the same conversation. `timeZones` says where a sender's own time
/// zone comes from (Slack's `users.info`); without it dates are read in the configured one.
public func buildRouter(chat: ChatService, policy: ChatServerPolicy, timeZones: (any PersonTimeZones)? = nil) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.get("/healthz") { _, _ -> String in "ok" }
    router.addRoutes(ChatPlatformController(platform: GenericChatPlatform(), chat: chat, policy: policy).routes)
    router.addRoutes(ChatPlatformController(platform: SlackSlashCommand(), chat: chat, policy: policy, timeZones: timeZones).routes)
    router.addRoutes(ChatPlatformController(platform: SlackEvents(), chat: chat, policy: policy, timeZones: timeZones).routes)
    router.addRoutes(ChatPlatformController(platform: SlackButtonPress(), chat: chat, policy: policy, timeZones: timeZones).routes)
    router.addRoutes(ChatPlatformController(platform: MattermostWebhook(), chat: chat, policy: policy).routes)
    router.addRoutes(ChatPlatformController(platform: MattermostButtonPress(), chat: chat, policy: policy).routes)
    return router
}
