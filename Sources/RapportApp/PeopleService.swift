import Foundation
import RapportCore

/// A team admin's view of the people in a store: who has records, what one of them has coming
/// up, and forgetting everything of someone who left. The terminal shows the local profile's
/// records; this is the only way to another person's, and only when asked by key.
public struct PeopleService: Sendable {
    let people: any PeopleStore
    let home: HomeService

    public init(people: any PeopleStore, home: HomeService) {
        self.people = people
        self.home = home
    }

    /// The people the store holds anything of, by key.
    public func list(limit: Int = 1_000) async throws -> [UserKey] {
        try await people.people(limit: limit)
    }

    /// One person's home screen: their meetings, follow-ups and unfinished conversations.
    public func overview(of person: UserKey, now: Date) async throws -> HomeService.Overview {
        try await home.overview(owner: person, now: now)
    }

    /// Removes everything of one person, for good.
    public func forget(_ person: UserKey) async throws -> ForgottenRecords {
        try await people.forget(owner: person)
    }

    /// A person as an admin types one: the stored key (`slack:T0TEAM:U0ALICE`, `web::alice`) or
    /// the config's form (`slack:U0ALICE`, `profile:alice`, `local`).
    public static func person(_ text: String) throws -> UserKey {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let key = UserKey(stored: trimmed) ?? UserKey(configured: trimmed) else { throw RapportError.notAPerson(trimmed) }
        return key
    }
}
