import RapportCore

/// The store as the use-cases see it: its ports, whatever the technology behind them.
public struct StorePorts: Sendable {
    public var conversations: any ConversationStore
    public var records: any RecordStore
    public var outbox: any OutboxQueue
    public var people: any PeopleStore
    public var calendars: any CalendarStore

    /// An adapter that serves them all (the SQLite store, an in-memory one for tests, PostgreSQL).
    public init(_ store: some ConversationStore & RecordStore & OutboxQueue & PeopleStore & CalendarStore) {
        conversations = store
        records = store
        outbox = store
        people = store
        calendars = store
    }
}
