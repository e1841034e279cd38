import PostgresNIO

/// The text of a statement PostgreSQL parses and plans once per connection, under its name.
protocol PreparedSQL: Sendable {
    static var name: String { get }
    static var sql: String { get }
    /// One type per `$n`, in order: the parameters' types never depend on a call's values.
    static var bindingDataTypes: [PostgresDataType] { get }
}

/// One run of a prepared statement: its SQL from `SQL`, its values bound in order at the call.
struct Prepared<SQL: PreparedSQL>: PostgresPreparedStatement {
    static var name: String { SQL.name }
    static var sql: String { SQL.sql }
    static var bindingDataTypes: [PostgresDataType] { SQL.bindingDataTypes }
    typealias Row = PostgresRow

    private let bindings: PostgresBindings

    init(_ bind: (inout PostgresBindings) throws -> Void) rethrows {
        var bindings = PostgresBindings(capacity: SQL.bindingDataTypes.count)
        try bind(&bindings)
        assert(bindings.count == SQL.bindingDataTypes.count, "\(SQL.name) binds \(SQL.bindingDataTypes.count) values")
        self.bindings = bindings
    }

    func makeBindings() throws -> PostgresBindings { bindings }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
