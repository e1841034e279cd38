import RapportCore

/// The store as the use-cases see it: its four ports, whatever the technology behind them.
public struct StorePorts: Sendable {
    public var conversations: any ConversationStore
    public var records: any RecordStore
    public var outbox: any OutboxQueue
    public var calendars: any CalendarStore

    /// An adapter that serves all four (the SQLite store, an in-memory one for tests, PostgreSQL).
    public init(_ store: some ConversationStore & RecordStore & OutboxQueue & CalendarStore) {
        conversations = store
        records = store
        outbox = store
        calendars = store
    }
}
