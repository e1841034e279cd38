import Foundation
import Logging
import RapportApp
import RapportCore
import RapportPostgres

/// Opens the team store the settings name: `store: postgres://…`, its password from
/// `store_password` (`env:NAME` allowed), else `PGPASSWORD` or `~/.pgpass`.
public struct PostgresTeamStore: TeamStoreOpening {
    let connections: Int
    let logger: Logger

    public init(connections: Int = 20, logger: Logger = Logger(label: "rapport.postgres")) {
        self.connections = connections
        self.logger = logger
    }

    public func open(_ settings: RapportSettings, planner: any NudgePlanning) async throws -> StorePorts {
        let environment = settings.paths.environment
        var password: String?
        if let configured = settings.storePassword {
            do {
                password = try SecretReference.resolve(configured, environment: environment)
            } catch {
                throw RapportError.invalidConfig(path: "store_password", reason: "it names \(error.variable), which is not set")
            }
        }
        let location = try PostgresLocation(url: settings.storePath, password: password, environment: environment)
        return StorePorts(try await PostgresStore.open(location, planner: planner, connections: connections, logger: logger))
    }
}
