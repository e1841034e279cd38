import Hummingbird
import RapportApp

/// The routes of `rapport serve`: a health check and one route collection per chat platform —
/// the generic JSON chat, Slack slash commands, Slack's Events API and its button presses, and
/// Mattermost — five ways into one ChatService.
public func buildRouter(chat: ChatService, policy: ChatServerPolicy) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.get("/healthz") { _, _ -> String in "ok" }
    router.addRoutes(ChatPlatformController(platform: GenericChatPlatform(), chat: chat, policy: policy).routes)
    router.addRoutes(ChatPlatformController(platform: SlackSlashCommand(), chat: chat, policy: policy).routes)
    router.addRoutes(ChatPlatformController(platform: SlackEvents(), chat: chat, policy: policy).routes)
    router.addRoutes(ChatPlatformController(platform: SlackButtonPress(), chat: chat, policy: policy).routes)
    router.addRoutes(ChatPlatformController(platform: MattermostWebhook(), chat: chat, policy: policy).routes)
    return router
}
