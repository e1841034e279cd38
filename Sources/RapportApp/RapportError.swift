import RapportCore

/// Why a command could not go on: one sentence naming the thing and what to do.
public enum RapportError: Error, CustomStringConvertible {
    case unknownFlow(id: String, available: [String])
    case invalidFlow(FlowErrors)
    case unreadableFile(path: String)
    case missingPrompts
    case invalidLexicon(FlowErrors)
    case invalidConfig(path: String, reason: String)
    /// A config key whose value is out of its range, e.g. `server.max_connections`.
    case invalidSetting(key: String, requirement: String, value: String)
    case invalidNow(String)
    case unknownTimeZone(String)
    case unknownConversation(Int64)
    /// Turns kept being committed by another front end while this one tried.
    case busyConversation(Int64)
    case unknownDestination(name: String, available: [String])
    case unknownCalendar(name: String, available: [String])
    case calendarExists(name: String)
    /// A calendar source that is neither an http(s) or webcal URL nor a readable file.
    case unusableCalendarSource(source: String, reason: String)
    /// A team store named to a program that cannot open one.
    case teamStoreNeedsServer(String)
    case notAPerson(String)

    public var description: String {
        switch self {
        case .unknownFlow(let id, let available):
            return "there is no flow named '\(id)'; available flows: \(available.joined(separator: ", "))"
        case .invalidFlow(let errors):
            return "a flow file has errors:\n" + errors.description
        case .unreadableFile(let path):
            return "cannot read \(path); check that it exists and is UTF-8 text"
        case .missingPrompts:
            return "cannot find the built-in flows (Prompts/); run rapport from its repository or installation, or pass --prompts DIR"
        case .invalidLexicon(let errors):
            return "a lexicon file has errors:\n" + errors.description
        case .invalidConfig(let path, let reason):
            return "the config file \(path) is not valid: \(reason)"
        case .invalidSetting(let key, let requirement, let value):
            return "\(key) in the config file must be \(requirement), not \(value)"
        case .invalidNow(let value):
            return "RAPPORT_NOW='\(value)' is not an ISO 8601 moment such as 2026-12-01T10:00:00+01:00"
        case .unknownTimeZone(let name):
            return "'\(name)' is not a time zone; use a name such as Europe/Stockholm"
        case .unknownConversation(let id):
            return "there is no conversation #\(id)"
        case .busyConversation(let id):
            return "conversation #\(id) keeps being answered elsewhere; try again in a moment"
        case .notAPerson(let text):
            return "'\(InputSanitizer.clean(text))' is not a person's key; use one that 'rapport people' lists, such as slack:T0TEAM:U0ALICE or local"
        case .teamStoreNeedsServer(let url):
            let shown = url.split(separator: "?").first.map(String.init) ?? url
            return "the store \(shown) is a PostgreSQL team store, which rapport-server opens; build it next to rapport with make serve"
        case .unknownDestination(let name, let available):
            let known = available.isEmpty ? "none is configured (see destinations: in config/rapport.yaml)" : "configured: " + available.joined(separator: ", ")
            return "there is no destination named '\(name)'; \(known)"
        case .unknownCalendar(let name, let available):
            let known = available.isEmpty ? "none is added yet (rapport calendar add URL)" : "added: " + available.joined(separator: ", ")
            return "there is no calendar named '\(name)'; \(known)"
        case .calendarExists(let name):
            return "there is already a calendar named '\(name)'; choose another with --name NAME"
        case .unusableCalendarSource(let source, let reason):
            return "cannot use \(source) as a calendar: \(reason)"
        }
    }
}
