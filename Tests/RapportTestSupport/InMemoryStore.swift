import Foundation
import RapportCore

/// The store ports held in memory, for fast tests of the use-cases: the same rules as the SQLite
/// store (versions, owners, leases, one record's nudges re-planned per write), checked by the
/// same contract suite, and nothing kept when the process ends.
public actor InMemoryStore: ConversationStore, RecordStore, OutboxQueue, PeopleStore, CalendarStore {
    private struct ConversationRow {
        var stored: StoredConversation
        var answers: [RecordedAnswer]
    }

    private struct ContactRow {
        var contact: Contact
        var owner: UserKey
        var lastInteraction: Date?
        var nextContactDue: Date?
    }

    private struct MeetingRow {
        var meeting: Meeting
        var owner: UserKey
        var conversationID: Int64?
    }

    private struct FollowUpRow {
        var followUp: FollowUp
        var owner: UserKey
    }

    private struct OutboxRow {
        var entry: OutboxEntry
        var subject: String?
        var leaseUntil: Date?
        var claimant: String?
    }

    private struct FeedRow {
        var feed: CalendarFeed
        var owner: UserKey
    }

    /// A forgotten person's event: its feed and a digest of its UID.
    private struct ForgottenEventKey: Hashable {
        var feedID: Int64
        var digest: String
    }

    private struct EventRow {
        var feedID: Int64
        var owner: UserKey
        var draft: CalendarMeetingDraft
        var meetingID: Int64?
        var cancelled: Bool
    }

    private let planner: any NudgePlanning
    private var nextID: Int64 = 0
    private var conversations: [Int64: ConversationRow] = [:]
    private var processed: [String: String] = [:]
    private var profiles: [UserKey: [String: String]] = [:]
    private var contacts: [Int64: ContactRow] = [:]
    private var meetings: [Int64: MeetingRow] = [:]
    private var reflections: [Int64: Reflection] = [:]  // by meeting
    private var followUps: [Int64: FollowUpRow] = [:]
    private var interactions: [(owner: UserKey, interaction: Interaction)] = []
    private var outbox: [Int64: OutboxRow] = [:]
    private var holdsByDestination: [String: DestinationHold] = [:]
    private var fingerprint: String?
    private var feeds: [Int64: FeedRow] = [:]
    private var calendarEvents: [Int64: EventRow] = [:]
    private var forgottenEvents: Set<ForgottenEventKey> = []

    public init(planner: any NudgePlanning) {
        self.planner = planner
    }

    private func newID() -> Int64 {
        nextID += 1
        return nextID
    }

    // MARK: - ConversationStore

    public func conversation(id: Int64) async throws -> StoredConversation? {
        conversations[id]?.stored
    }

    public func openConversations(owner: UserKey, flowID: String?, limit: Int) async throws -> [ConversationSummary] {
        let open = conversations.values.map(\.stored).filter { $0.owner == owner && $0.state.isOpen && (flowID == nil || $0.state.flowID == flowID) }
        return Array(open.sorted { ($0.updatedAt, $0.id) > ($1.updatedAt, $1.id) }.prefix(limit).map(\.summary))
    }

    public func start(_ start: ConversationStart) async throws -> CommitResult {
        if let message = start.message, let reply = processed[message.id.stored(sender: start.owner)] { return .alreadyProcessed(reply: reply) }
        let id = newID()
        let stored = StoredConversation(id: id, owner: start.owner, state: start.state, version: 1, lastChannel: start.channel, createdAt: start.now, updatedAt: start.now)
        conversations[id] = ConversationRow(stored: stored, answers: start.answers)
        if let message = start.message { record(message, sender: start.owner, now: start.now) }
        return .committed(stored, meetingID: nil)
    }

    public func commit(_ turn: TurnCommit) async throws -> CommitResult {
        if let message = turn.message, let reply = processed[message.id.stored(sender: turn.owner)] { return .alreadyProcessed(reply: reply) }
        guard var row = conversations[turn.conversationID], row.stored.owner == turn.owner else {
            if turn.onlyIfNewest { return .stale }
            throw InMemoryStoreError("there is no conversation #\(turn.conversationID)")
        }
        guard row.stored.version == turn.readVersion else { return .stale }
        if turn.onlyIfNewest, try await newestOpenConversation(owner: turn.owner)?.id != turn.conversationID { return .stale }
        // All or nothing: what a failing finish wrote is put back as it was.
        let saved = (nextID, conversations, processed, profiles, contacts, meetings, reflections, followUps, interactions, outbox)
        let savedCalendar = (feeds, calendarEvents)
        row.stored.state = turn.state
        row.stored.version += 1
        row.stored.lastChannel = turn.channel
        row.stored.updatedAt = turn.now
        row.answers += turn.answers
        conversations[turn.conversationID] = row
        let meetingID: Int64?
        do {
            meetingID = try turn.outcome.map { try write($0, owner: turn.owner, conversationID: turn.conversationID, now: turn.now) } ?? nil
        } catch {
            (nextID, conversations, processed, profiles, contacts, meetings, reflections, followUps, interactions, outbox) = saved
            (feeds, calendarEvents) = savedCalendar
            throw error
        }
        if let message = turn.message { record(message, sender: turn.owner, now: turn.now) }
        return .committed(row.stored, meetingID: meetingID)
    }

    public func answers(conversationID: Int64) async throws -> [RecordedAnswer] {
        conversations[conversationID]?.answers ?? []
    }

    public func processedReply(_ id: MessageID, sender: UserKey) async throws -> String? {
        processed[id.stored(sender: sender)]
    }

    public func claim(_ message: ProcessedMessage, sender: UserKey, now: Date) async throws -> String? {
        if let reply = processed[message.id.stored(sender: sender)] { return reply }
        record(message, sender: sender, now: now)
        return nil
    }

    /// The claim and the reply it queues, together.
    private func record(_ message: ProcessedMessage, sender: UserKey, now: Date) {
        processed[message.id.stored(sender: sender)] = message.reply
        _ = enqueue(message.deliveries, now: now)
    }

    // MARK: - RecordStore

    public func profile(owner: UserKey) async throws -> [String: String] {
        profiles[owner] ?? [:]
    }

    public func contacts(matching query: String, owner: UserKey, limit: Int) async throws -> [Contact] {
        let own = contacts.values.filter { $0.owner == owner }.map(\.contact)
        let key = ContactName.key(query)
        guard !key.isEmpty else { return [] }
        if let exact = own.first(where: { ContactName.key($0.name) == key }) { return [exact] }
        return Array(own.filter { ContactName.matches(query: query, name: $0.name) }.sorted { ContactName.key($0.name) < ContactName.key($1.name) }.prefix(limit))
    }

    public func meeting(id: Int64, owner: UserKey) async throws -> Meeting? {
        meetings[id].flatMap { $0.owner == owner ? named($0.meeting) : nil }
    }

    public func meetings(contactID: Int64, owner: UserKey) async throws -> [Meeting] {
        byStart(meetings.values.filter { $0.owner == owner && $0.meeting.contactID == contactID && !($0.meeting.cancelled && $0.meeting.fromCalendar) }.map { named($0.meeting) })
    }

    public func meetings(owner: UserKey, startingFrom start: Date?, limit: Int) async throws -> [Meeting] {
        let own = meetings.values.filter { row in
            row.owner == owner && !(row.meeting.cancelled && row.meeting.fromCalendar) && start.map { from in row.meeting.startsAt.map { $0 >= from } ?? false } ?? true
        }
        return Array(byStart(own.map { named($0.meeting) }).prefix(limit))
    }

    public func awaitingReflection(owner: UserKey, now: Date, limit: Int) async throws -> [Meeting] {
        let waiting = meetings.values.filter {
            $0.owner == owner && !$0.meeting.reflected && !$0.meeting.cancelled && ($0.meeting.startsAt.map { $0 <= now } ?? false)
        }
        return Array(waiting.map { named($0.meeting) }.sorted { ($0.startsAt!, $0.id) > ($1.startsAt!, $1.id) }.prefix(limit))
    }

    public func reflection(meetingID: Int64, owner: UserKey) async throws -> Reflection? {
        meetings[meetingID]?.owner == owner ? reflections[meetingID] : nil
    }

    public func openFollowUps(owner: UserKey, dueBefore: Date?, limit: Int) async throws -> [FollowUp] {
        let open = followUps.values.filter { row in row.owner == owner && row.followUp.doneAt == nil && (dueBefore.map { row.followUp.due < $0 } ?? true) }
        return Array(open.map { named($0.followUp) }.sorted { ($0.due, $0.id) < ($1.due, $1.id) }.prefix(limit))
    }

    public func followUp(id: Int64, owner: UserKey) async throws -> FollowUp? {
        followUps[id].flatMap { $0.owner == owner ? named($0.followUp) : nil }
    }

    public func doneFollowUps(owner: UserKey, limit: Int) async throws -> [FollowUp] {
        let done = followUps.values.filter { $0.owner == owner && $0.followUp.doneAt != nil }
        return Array(done.map { named($0.followUp) }.sorted { ($0.doneAt!, $0.id) > ($1.doneAt!, $1.id) }.prefix(limit))
    }

    public func followUps(contactID: Int64, meetingID: Int64?, owner: UserKey, includeDone: Bool) async throws -> [FollowUp] {
        let chosen = followUps.values.filter {
            $0.owner == owner && $0.followUp.contactID == contactID && (meetingID == nil || $0.followUp.meetingID == meetingID) && (includeDone || $0.followUp.doneAt == nil)
        }
        return chosen.map { named($0.followUp) }.sorted { ($0.due, $0.id) < ($1.due, $1.id) }
    }

    public func keepInTouch(owner: UserKey, now: Date, dueBefore: Date?, limit: Int) async throws -> [KeepInTouch] {
        let warm = contacts.values.filter { row in
            row.owner == owner && row.nextContactDue != nil && (dueBefore.map { row.nextContactDue! < $0 } ?? true)
        }.sorted { ($0.nextContactDue!, $0.contact.id) < ($1.nextContactDue!, $1.contact.id) }.prefix(limit)
        return warm.compactMap { row in
            guard let cadence = row.contact.keepInTouch else { return nil }
            let met = meetings.values.filter { $0.meeting.contactID == row.contact.id && !$0.meeting.cancelled }.compactMap(\.meeting.startsAt).filter { $0 <= now }.max()
            return KeepInTouch(contact: row.contact, cadence: cadence, due: row.nextContactDue!, lastInteraction: [row.lastInteraction, met].compactMap { $0 }.max())
        }
    }

    public func interactions(contactID: Int64, owner: UserKey) async throws -> [Interaction] {
        interactions.filter { $0.owner == owner && $0.interaction.contactID == contactID }.map(\.interaction)
    }

    public func markDone(followUpID: Int64, owner: UserKey, now: Date) async throws -> FollowUp? {
        guard let row = followUps[followUpID], row.owner == owner else { return nil }
        let before = named(row.followUp)
        guard before.doneAt == nil else { return before }
        followUps[followUpID]?.followUp.doneAt = now
        recordInteraction(contactID: before.contactID, owner: owner, kind: .followUpDone, note: before.text, at: now)
        replan(followUp: followUpID, now: now)
        replan(contact: before.contactID, now: now)
        return before
    }

    public func snooze(followUpID: Int64, owner: UserKey, until due: WhenValue, now: Date) async throws -> FollowUp? {
        guard let row = followUps[followUpID], row.owner == owner else { return nil }
        followUps[followUpID]?.followUp.due = due.date
        followUps[followUpID]?.followUp.hasTime = due.hasTime
        replan(followUp: followUpID, now: now)
        return named(followUps[followUpID]!.followUp)
    }

    public func logInteraction(contactName: String, note: String, owner: UserKey, now: Date) async throws -> Contact {
        let id = upsertContact(named: contactName, owner: owner, now: now)
        recordInteraction(contactID: id, owner: owner, kind: .note, note: note, at: now)
        replan(contact: id, now: now)
        return contacts[id]!.contact
    }

    public func contacts(owner: UserKey, limit: Int) async throws -> [Contact] {
        Array(contacts.values.filter { $0.owner == owner }.map(\.contact).sorted { ContactName.key($0.name) < ContactName.key($1.name) }.prefix(limit))
    }

    public func contacts(closeTo query: String, owner: UserKey, limit: Int) async throws -> [Contact] {
        let prefixes = ContactName.closenessPrefixes(of: query)
        let candidates = contacts.values.filter { row in
            row.owner == owner && ContactName.key(row.contact.name).split(separator: " ").contains { word in prefixes.contains { word.hasPrefix($0) } }
        }
        let scored = candidates.compactMap { row in ContactName.closeness(query: query, name: row.contact.name).map { (row.contact, $0) } }
        return Array(scored.sorted { ($0.1, ContactName.key($0.0.name)) < ($1.1, ContactName.key($1.0.name)) }.prefix(limit).map(\.0))
    }

    public func renameContact(id: Int64, to name: String, owner: UserKey, now: Date) async throws -> ContactRename {
        guard let row = contacts[id], row.owner == owner else { return .noSuchContact }
        let key = ContactName.key(name)
        if let other = contacts.values.first(where: { $0.owner == owner && $0.contact.id != id && ContactName.key($0.contact.name) == key }) {
            return .taken(other.contact)
        }
        contacts[id]?.contact.name = name
        replanEverything(ofContact: id, now: now)
        return .renamed(contacts[id]!.contact)
    }

    public func mergeContact(id: Int64, into target: Int64, owner: UserKey, now: Date) async throws -> Contact? {
        guard id != target, let from = contacts[id], from.owner == owner, let into = contacts[target], into.owner == owner else { return nil }
        for (key, row) in meetings where row.meeting.contactID == id { meetings[key]?.meeting.contactID = target }
        for (key, row) in followUps where row.followUp.contactID == id { followUps[key]?.followUp.contactID = target }
        interactions = interactions.map { entry in
            var entry = entry
            if entry.interaction.contactID == id { entry.interaction.contactID = target }
            return entry
        }
        if into.contact.knowsWhatIDo == nil, from.contact.knowsWhatIDo != nil {
            contacts[target]?.contact.knowsWhatIDo = from.contact.knowsWhatIDo
            contacts[target]?.contact.knowsWhatIDoAt = from.contact.knowsWhatIDoAt
        }
        if into.contact.keepInTouch == nil, from.contact.keepInTouch != nil {
            contacts[target]?.contact.keepInTouch = from.contact.keepInTouch
            contacts[target]?.contact.keepInTouchSince = from.contact.keepInTouchSince
        }
        contacts[target]?.lastInteraction = interactions.filter { $0.interaction.contactID == target }.map(\.interaction.at).max()
        contacts[id] = nil
        _ = sync(.contact(id), [], now: now)
        replanEverything(ofContact: target, now: now)
        return contacts[target]!.contact
    }

    public func deleteContact(id: Int64, owner: UserKey, now: Date) async throws -> Bool {
        guard let row = contacts[id], row.owner == owner else { return false }
        let gone = meetings.values.filter { $0.meeting.contactID == id }
        let goneFollowUps = followUps.values.filter { $0.followUp.contactID == id }.map(\.followUp.id)
        let subjects = Set(gone.map { NudgeSubject.meeting($0.meeting.id).stored } + goneFollowUps.map { NudgeSubject.followUp($0).stored } + [NudgeSubject.contact(id).stored])
        outbox = outbox.filter { !subjects.contains($0.value.subject ?? "") }
        for meeting in gone {
            if let conversation = meeting.conversationID { conversations[conversation] = nil }
            if let conversation = reflections[meeting.meeting.id]?.conversationID { conversations[conversation] = nil }
            reflections[meeting.meeting.id] = nil
            meetings[meeting.meeting.id] = nil
        }
        let goneMeetings = Set(gone.map(\.meeting.id))
        let series = Set(calendarEvents.values.filter { $0.meetingID.map(goneMeetings.contains) == true }.map {
            ForgottenEventKey(feedID: $0.feedID, digest: ForgottenEvent.digest(uid: $0.draft.uid))
        })
        forgottenEvents.formUnion(series)
        calendarEvents = calendarEvents.filter { !series.contains(ForgottenEventKey(feedID: $0.value.feedID, digest: ForgottenEvent.digest(uid: $0.value.draft.uid))) }
        for followUp in goneFollowUps { followUps[followUp] = nil }
        interactions.removeAll { $0.interaction.contactID == id }
        // The owner's conversations about them that wrote nothing (an unfinished prep).
        let key = ContactName.key(row.contact.name)
        for (conversationID, conversation) in conversations where conversation.stored.owner == owner
            && conversation.stored.state.contactName.map({ ContactName.key($0) == key }) == true {
            conversations[conversationID] = nil
        }
        contacts[id] = nil
        return true
    }

    public func moveMeeting(id: Int64, to when: WhenValue, owner: UserKey, now: Date) async throws -> Meeting? {
        guard let row = meetings[id], row.owner == owner else { return nil }
        meetings[id]?.meeting.startsAt = when.date
        meetings[id]?.meeting.hasTime = when.hasTime
        meetings[id]?.meeting.cancelled = false
        replan(meeting: id, now: now)
        replan(contact: row.meeting.contactID, now: now)
        return named(meetings[id]!.meeting)
    }

    public func cancelMeeting(id: Int64, owner: UserKey, now: Date) async throws -> Meeting? {
        guard let row = meetings[id], row.owner == owner else { return nil }
        meetings[id]?.meeting.cancelled = true
        replan(meeting: id, now: now)
        replan(contact: row.meeting.contactID, now: now)
        return named(meetings[id]!.meeting)
    }

    private func replanEverything(ofContact id: Int64, now: Date) {
        for meeting in meetings.values where meeting.meeting.contactID == id { replan(meeting: meeting.meeting.id, now: now) }
        for followUp in followUps.values where followUp.followUp.contactID == id { replan(followUp: followUp.followUp.id, now: now) }
        replan(contact: id, now: now)
    }

    // MARK: - OutboxQueue

    /// Puts messages in the outbox directly (tests); a key already there is left as it is.
    @discardableResult
    public func enqueue(_ drafts: [OutboxDraft], now: Date) -> Int {
        var added = 0
        for draft in drafts where !outbox.values.contains(where: { $0.entry.key == draft.key }) {
            let id = newID()
            outbox[id] = OutboxRow(
                entry: OutboxEntry(
                    id: id, key: draft.key, destination: draft.destination, kind: draft.kind, payload: draft.payload, dueAt: draft.dueAt, attempts: 0,
                    nextAttemptAt: draft.dueAt, status: .pending, lastError: nil, sentAt: nil, createdAt: now),
                subject: draft.subject?.stored)
            added += 1
        }
        return added
    }

    public func claimDue(now: Date, lease: Duration, limit: Int, claimant: String, excluding: Set<String>) async throws -> [OutboxEntry] {
        let held = Set(holdsByDestination.values.filter { $0.until > now }.map(\.destination)).union(excluding)
        let due = outbox.values.filter {
            $0.entry.status == .pending && $0.entry.nextAttemptAt <= now && ($0.leaseUntil.map { $0 <= now } ?? true) && !held.contains($0.entry.destination)
        }.sorted { ($0.entry.nextAttemptAt, $0.entry.id) < ($1.entry.nextAttemptAt, $1.entry.id) }.prefix(limit)
        for row in due {
            outbox[row.entry.id]?.leaseUntil = now.addingTimeInterval(RetrySchedule.seconds(lease))
            outbox[row.entry.id]?.claimant = claimant
        }
        return due.map(\.entry)
    }

    public func settle(_ id: Int64, claimant: String, as settlement: OutboxSettlement, now: Date) async throws {
        guard var row = outbox[id], row.claimant == claimant else { return }
        switch settlement {
        case .sent:
            row.entry.status = .sent
            row.entry.sentAt = now
            row.entry.attempts += 1
            row.entry.lastError = nil
        case .retry(let next, let error, let counts):
            row.entry.attempts += counts ? 1 : 0
            row.entry.lastError = error
            row.entry.nextAttemptAt = next
        case .dead(let error):
            row.entry.status = .dead
            row.entry.attempts += 1
            row.entry.lastError = error
        }
        row.leaseUntil = nil
        row.claimant = nil
        outbox[id] = row
    }

    public func release(_ ids: [Int64], claimant: String) async throws {
        for id in ids where outbox[id]?.claimant == claimant {
            outbox[id]?.leaseUntil = nil
            outbox[id]?.claimant = nil
        }
    }

    public func hold(destination: String, until: Date, reason: String) async throws {
        let later = max(until, holdsByDestination[destination]?.until ?? until)
        holdsByDestination[destination] = DestinationHold(destination: destination, until: later, reason: reason)
    }

    public func holds(now: Date) async throws -> [DestinationHold] {
        holdsByDestination.values.filter { $0.until > now }.sorted { $0.destination < $1.destination }
    }

    public func due(now: Date, limit: Int) async throws -> [OutboxEntry] {
        Array(outbox.values.filter { $0.entry.status == .pending && $0.entry.nextAttemptAt <= now && ($0.leaseUntil.map { $0 <= now } ?? true) }
            .map(\.entry).sorted { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }.prefix(limit))
    }

    public func entries(statuses: Set<OutboxEntry.Status>, limit: Int) async throws -> [OutboxEntry] {
        Array(outbox.values.map(\.entry).filter { statuses.contains($0.status) }.sorted { $0.id > $1.id }.prefix(limit))
    }

    public func retry(id: Int64, now: Date) async throws -> OutboxEntry? {
        guard var row = outbox[id] else { return nil }
        guard row.entry.status != .sent else { return row.entry }
        row.entry.status = .pending
        row.entry.attempts = 0
        row.entry.nextAttemptAt = now
        row.leaseUntil = nil
        row.claimant = nil
        outbox[id] = row
        return row.entry
    }

    public func refreshPlan(now: Date) async throws -> PlanRefresh {
        guard fingerprint != planner.fingerprint else { return PlanRefresh() }
        var refresh = PlanRefresh(replannedAll: true)
        for id in meetings.keys.sorted() {
            let (added, cancelled) = sync(.meeting(id), planner.nudges(for: named(meetings[id]!.meeting), owner: meetings[id]!.owner, now: now), now: now)
            refresh.added += added
            refresh.cancelled += cancelled
        }
        for id in followUps.keys.sorted() {
            let (added, cancelled) = sync(.followUp(id), planner.nudges(for: named(followUps[id]!.followUp), owner: followUps[id]!.owner, now: now), now: now)
            refresh.added += added
            refresh.cancelled += cancelled
        }
        for id in contacts.keys.sorted() { replan(contact: id, now: now) }
        fingerprint = planner.fingerprint
        return refresh
    }

    public func planTimeDriven(now: Date) async throws -> Int {
        guard let draft = digest(now: now) else { return 0 }
        return enqueue([draft], now: now)
    }

    public func plannedByTime(now: Date) async throws -> [OutboxDraft] {
        digest(now: now).map { [$0] } ?? []
    }

    // MARK: - Writes of a finished conversation

    private func write(_ outcome: ConversationOutcome, owner: UserKey, conversationID: Int64, now: Date) throws -> Int64? {
        for (key, value) in outcome.profile { profiles[owner, default: [:]][key] = value }
        guard let name = outcome.contactName else { return nil }
        let contactID = upsertContact(named: name, owner: owner, now: now)
        if let knows = outcome.contactFacts["knows_what_i_do"] {
            contacts[contactID]?.contact.knowsWhatIDo = knows
            contacts[contactID]?.contact.knowsWhatIDoAt = now
        }
        switch outcome.keepInTouch {
        case .set(let cadence)?:
            contacts[contactID]?.contact.keepInTouch = cadence
            contacts[contactID]?.contact.keepInTouchSince = now
        case .clear?:
            contacts[contactID]?.contact.keepInTouch = nil
            contacts[contactID]?.contact.keepInTouchSince = nil
        case nil:
            break
        }
        var meetingID = outcome.meetingID
        if let given = meetingID {
            guard meetings[given]?.owner == owner else { throw InMemoryStoreError("there is no meeting #\(given)") }
            // The prep of a booked (or calendar) meeting done again: the meeting takes the new answers.
            if let update = outcome.meetingUpdate { fill(given, with: update, conversationID: conversationID) }
        } else if let draft = outcome.meeting {
            let id = newID()
            meetings[id] = MeetingRow(
                meeting: Meeting(
                    id: id, contactID: contactID, contactName: name, startsAt: draft.startsAt?.date, hasTime: draft.startsAt?.hasTime ?? false,
                    goal: draft.goal, goalWeak: draft.goalWeak, whyThem: draft.whyThem, give: draft.give, question: draft.question, pitch: draft.pitch,
                    knowsWhatIDo: draft.knowsWhatIDo, existingContactsCould: draft.existingContactsCould, card: draft.card,
                    reflected: outcome.reflection != nil, createdAt: now),
                owner: owner, conversationID: conversationID)
            meetingID = id
        }
        guard let meetingID else {
            replan(contact: contactID, now: now)
            return nil
        }
        if let draft = outcome.reflection {
            let earlier = reflections[meetingID]
            reflections[meetingID] = Reflection(
                id: earlier?.id ?? newID(), meetingID: meetingID, conversationID: conversationID, goalReached: draft.goalReached, outcome: draft.outcome,
                gave: draft.gave, got: draft.got, worthIt: draft.worthIt, card: draft.card, createdAt: earlier?.createdAt ?? now, updatedAt: now)
            meetings[meetingID]?.meeting.reflected = true
            recordInteraction(contactID: contactID, owner: owner, kind: .reflection, note: nil, at: now)
        }
        let existing = followUps.values.filter { $0.followUp.meetingID == meetingID }.map(\.followUp)
        let merge = FollowUpMerge(existing: existing, listed: outcome.followUps, replacingOpen: outcome.reflection != nil)
        for (id, due) in merge.moved {
            followUps[id]?.followUp.due = due.date
            followUps[id]?.followUp.hasTime = due.hasTime
        }
        for id in merge.removed { followUps[id] = nil }
        var touched = merge.touched
        for draft in merge.added {
            let id = newID()
            followUps[id] = FollowUpRow(
                followUp: FollowUp(
                    id: id, contactID: contactID, contactName: name, meetingID: meetingID, kind: draft.kind, text: draft.text, due: draft.due.date,
                    hasTime: draft.due.hasTime, doneAt: nil, createdAt: now),
                owner: owner)
            touched.append(id)
        }
        replan(meeting: meetingID, now: now)
        for id in touched { replan(followUp: id, now: now) }
        replan(contact: contactID, now: now)
        return meetingID
    }

    private func upsertContact(named name: String, owner: UserKey, now: Date) -> Int64 {
        let key = ContactName.key(name)
        if let row = contacts.values.first(where: { $0.owner == owner && ContactName.key($0.contact.name) == key }) { return row.contact.id }
        let id = newID()
        contacts[id] = ContactRow(contact: Contact(id: id, name: name, knowsWhatIDo: nil, createdAt: now), owner: owner)
        return id
    }

    private func recordInteraction(contactID: Int64, owner: UserKey, kind: Interaction.Kind, note: String?, at now: Date) {
        interactions.append((owner, Interaction(contactID: contactID, kind: kind, note: note, at: now)))
        let last = max(contacts[contactID]?.lastInteraction ?? now, now)
        contacts[contactID]?.lastInteraction = last
    }

    // MARK: - Planning

    private func replan(meeting id: Int64, now: Date) {
        _ = sync(.meeting(id), meetings[id].map { planner.nudges(for: named($0.meeting), owner: $0.owner, now: now) } ?? [], now: now)
    }

    private func replan(followUp id: Int64, now: Date) {
        _ = sync(.followUp(id), followUps[id].map { planner.nudges(for: named($0.followUp), owner: $0.owner, now: now) } ?? [], now: now)
    }

    private func replan(contact id: Int64, now: Date) {
        guard let row = contacts[id] else { return }
        let starts = meetings.values.filter { $0.meeting.contactID == id && !$0.meeting.cancelled }.compactMap(\.meeting.startsAt)
        let planned = row.contact.keepInTouch == nil ? nil : planner.keepInTouch(row.contact, owner: row.owner, lastInteraction: row.lastInteraction, meetingStarts: starts, now: now)
        contacts[id]?.nextContactDue = planned?.due
        _ = sync(.contact(id), planned?.nudges ?? [], now: now)
    }

    private func sync(_ subject: NudgeSubject, _ drafts: [OutboxDraft], now: Date) -> (Int, Int) {
        let planned = Dictionary(drafts.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var cancelled = 0
        var known: Set<String> = []
        for (id, row) in outbox where row.subject == subject.stored && [.pending, .cancelled].contains(row.entry.status) {
            known.insert(row.entry.key)
            guard let draft = planned[row.entry.key] else {
                if row.entry.status == .pending {
                    outbox[id]?.entry.status = .cancelled
                    outbox[id]?.leaseUntil = nil
                    outbox[id]?.claimant = nil
                    cancelled += 1
                }
                continue
            }
            var entry = row.entry
            let tried = entry.status == .pending && entry.attempts > 0
            entry.status = .pending
            entry.destination = draft.destination
            entry.payload = draft.payload
            entry.dueAt = draft.dueAt
            if !tried {
                entry.nextAttemptAt = draft.dueAt
                entry.attempts = 0
            }
            outbox[id]?.entry = entry
        }
        return (enqueue(drafts.filter { !known.contains($0.key) }, now: now), cancelled)
    }

    private func digest(now: Date) -> OutboxDraft? {
        guard let week = planner.digestWeek(now: now), !outbox.values.contains(where: { $0.entry.key == week.key }) else { return nil }
        let lines = NudgePlanner.digestLines + 1
        let inWeek = meetings.values.filter {
            $0.owner == .local && !$0.meeting.cancelled && ($0.meeting.startsAt.map(week.interval.contains) ?? false) && $0.meeting.startsAt! < week.interval.end
        }
            .map { named($0.meeting) }.sorted { $0.startsAt! < $1.startsAt! }.prefix(lines)
        let open = followUps.values.filter { $0.owner == .local && $0.followUp.doneAt == nil && $0.followUp.due < week.interval.end }
            .map { named($0.followUp) }.sorted { $0.due < $1.due }.prefix(lines)
        return planner.digest(week, meetings: Array(inWeek), followUps: Array(open), now: now)
    }

    private func named(_ meeting: Meeting) -> Meeting {
        var meeting = meeting
        meeting.contactName = contacts[meeting.contactID]?.contact.name ?? "?"
        meeting.calendarTitle = meeting.calendarEventID.flatMap { calendarEvents[$0]?.draft.title }
        return meeting
    }

    /// As the SQLite store's: what was answered is written, the rest stays; a meeting called off
    /// by hand is booked again, one its calendar cancelled is not.
    private func fill(_ id: Int64, with draft: MeetingDraft, conversationID: Int64) {
        guard var meeting = meetings[id]?.meeting else { return }
        meetings[id]?.conversationID = conversationID
        if meeting.cancelled && !meeting.fromCalendar { meeting.cancelled = false }
        if let when = draft.startsAt {
            meeting.startsAt = when.date
            meeting.hasTime = when.hasTime
        }
        if let goal = draft.goal {
            meeting.goal = goal
            meeting.goalWeak = draft.goalWeak
        }
        meeting.whyThem = draft.whyThem ?? meeting.whyThem
        meeting.give = draft.give ?? meeting.give
        meeting.question = draft.question ?? meeting.question
        meeting.pitch = draft.pitch ?? meeting.pitch
        meeting.knowsWhatIDo = draft.knowsWhatIDo ?? meeting.knowsWhatIDo
        meeting.existingContactsCould = draft.existingContactsCould ?? meeting.existingContactsCould
        meeting.card = draft.card ?? meeting.card
        meetings[id]?.meeting = meeting
    }

    // MARK: - CalendarStore

    public func addCalendarFeed(name: String, source: String, owner: UserKey, now: Date) async throws -> CalendarFeed {
        guard !feeds.values.contains(where: { $0.owner == owner && $0.feed.name == name }) else {
            throw InMemoryStoreError("there is already a calendar named '\(name)'")
        }
        let feed = CalendarFeed(id: newID(), name: name, source: source, createdAt: now)
        feeds[feed.id] = FeedRow(feed: feed, owner: owner)
        return feed
    }

    public func calendarFeeds(owner: UserKey) async throws -> [CalendarFeed] {
        feeds.values.filter { $0.owner == owner }.map(\.feed).sorted { $0.name < $1.name }
    }

    public func removeCalendarFeed(id: Int64, owner: UserKey, now: Date) async throws -> Bool {
        guard feeds[id]?.owner == owner else { return false }
        for (eventID, row) in calendarEvents where row.feedID == id {
            if let meetingID = row.meetingID, meetings[meetingID] != nil {
                if row.draft.start >= now && !meetings[meetingID]!.meeting.reflected { meetings[meetingID]?.meeting.cancelled = true }
                if !meetings[meetingID]!.meeting.cancelled { meetings[meetingID]?.meeting.calendarEventID = nil }
                replan(meeting: meetingID, now: now)
                replan(contact: meetings[meetingID]!.meeting.contactID, now: now)
            }
            calendarEvents[eventID] = nil
        }
        forgottenEvents = forgottenEvents.filter { $0.feedID != id }
        feeds[id] = nil
        return true
    }

    public func recordCalendarCheck(_ check: CalendarCheck, owner: UserKey) async throws {
        guard feeds[check.feedID]?.owner == owner else { return }
        feeds[check.feedID]?.feed.lastCheckedAt = check.at
        feeds[check.feedID]?.feed.lastError = check.error
    }

    public func syncCalendar(_ snapshot: CalendarSnapshot, owner: UserKey, now: Date) async throws -> CalendarSyncResult {
        guard feeds[snapshot.feedID]?.owner == owner else { throw InMemoryStoreError("there is no calendar #\(snapshot.feedID)") }
        var result = CalendarSyncResult()
        var keys: Set<String> = []
        for draft in snapshot.meetings {
            guard !forgottenEvents.contains(ForgottenEventKey(feedID: snapshot.feedID, digest: ForgottenEvent.digest(uid: draft.uid))), keys.insert(draft.key).inserted else { continue }
            if let (eventID, row) = calendarEvents.first(where: { $0.value.feedID == snapshot.feedID && $0.value.draft.key == draft.key }) {
                calendarEvents[eventID]?.draft = draft
                calendarEvents[eventID]?.cancelled = false
                if let meetingID = row.meetingID, let meeting = meetings[meetingID]?.meeting {
                    var changed = false
                    if meeting.cancelled {
                        meetings[meetingID]?.meeting.cancelled = false
                        result.restored += 1
                        changed = true
                    }
                    if meeting.startsAt != draft.start {
                        meetings[meetingID]?.meeting.startsAt = draft.start
                        meetings[meetingID]?.meeting.hasTime = true
                        if !changed { result.moved += 1 }
                        changed = true
                    }
                    if !changed { result.unchanged += 1 }
                    replan(meeting: meetingID, now: now)
                    if changed { replan(contact: meeting.contactID, now: now) }
                    continue
                }
                linkMeeting(draft, eventID: eventID, owner: owner, now: now)
                result.added += 1
                continue
            }
            let eventID = newID()
            calendarEvents[eventID] = EventRow(feedID: snapshot.feedID, owner: owner, draft: draft, meetingID: nil, cancelled: false)
            linkMeeting(draft, eventID: eventID, owner: owner, now: now)
            result.added += 1
        }
        for (eventID, row) in calendarEvents where row.feedID == snapshot.feedID && row.draft.start >= snapshot.window.start && !row.cancelled && !keys.contains(row.draft.key) {
            calendarEvents[eventID]?.cancelled = true
            result.cancelled += 1
            guard let meetingID = row.meetingID, let meeting = meetings[meetingID]?.meeting else { continue }
            if !meeting.reflected { meetings[meetingID]?.meeting.cancelled = true }
            replan(meeting: meetingID, now: now)
            replan(contact: meeting.contactID, now: now)
        }
        var feed = feeds[snapshot.feedID]!.feed
        feed.etag = snapshot.etag
        feed.lastModified = snapshot.lastModified
        feed.lastCheckedAt = snapshot.readAt
        feed.lastReadAt = snapshot.readAt
        feed.lastError = nil
        feed.meetingCount = keys.count
        feed.warnings = snapshot.warnings
        feeds[snapshot.feedID]?.feed = feed
        return result
    }

    private func linkMeeting(_ draft: CalendarMeetingDraft, eventID: Int64, owner: UserKey, now: Date) {
        let own = contacts.values.filter { $0.owner == owner }.map(\.contact)
        let key = ContactName.key(draft.contactName)
        let exact = own.filter { ContactName.key($0.name) == key }
        let matches = exact.isEmpty ? own.filter { ContactName.matches(query: draft.contactName, name: $0.name) } : exact
        let contactID = matches.count == 1 ? matches[0].id : upsertContact(named: draft.contactName, owner: owner, now: now)
        let meetingID: Int64
        let near = meetings.values.filter {
            $0.owner == owner && $0.meeting.contactID == contactID && $0.meeting.calendarEventID == nil && !$0.meeting.reflected && !$0.meeting.cancelled
                && ($0.meeting.startsAt.map { abs($0.timeIntervalSince(draft.start)) <= 7200 } ?? false)
        }.min { abs($0.meeting.startsAt!.timeIntervalSince(draft.start)) < abs($1.meeting.startsAt!.timeIntervalSince(draft.start)) }
        if let near {
            meetingID = near.meeting.id
            meetings[meetingID]?.meeting.startsAt = draft.start
            meetings[meetingID]?.meeting.hasTime = true
            meetings[meetingID]?.meeting.calendarEventID = eventID
        } else {
            meetingID = newID()
            meetings[meetingID] = MeetingRow(
                meeting: Meeting(
                    id: meetingID, contactID: contactID, contactName: draft.contactName, startsAt: draft.start, hasTime: true, goal: nil, goalWeak: false,
                    whyThem: nil, give: nil, question: nil, pitch: nil, knowsWhatIDo: nil, existingContactsCould: nil, card: nil, createdAt: now,
                    calendarEventID: eventID),
                owner: owner, conversationID: nil)
        }
        calendarEvents[eventID]?.meetingID = meetingID
        replan(meeting: meetingID, now: now)
        replan(contact: contactID, now: now)
    }

    public func calendarEvent(meetingID: Int64, owner: UserKey) async throws -> CalendarEventRecord? {
        guard let row = calendarEvents.values.first(where: { $0.meetingID == meetingID && $0.owner == owner }) else { return nil }
        return CalendarEventRecord(
            feedID: row.feedID, key: row.draft.key, title: row.draft.title, description: row.draft.description, location: row.draft.location,
            start: row.draft.start, end: row.draft.end, attendees: row.draft.attendees, cancelled: row.cancelled)
    }

    private func named(_ followUp: FollowUp) -> FollowUp {
        var followUp = followUp
        followUp.contactName = contacts[followUp.contactID]?.contact.name ?? "?"
        return followUp
    }

    // MARK: - PeopleStore

    public func people(limit: Int) async throws -> [UserKey] {
        let owners = Set(contacts.values.map(\.owner.stored) + conversations.values.map(\.stored.owner.stored))
        return owners.sorted().prefix(limit).compactMap(UserKey.init(stored:))
    }

    public func forget(owner: UserKey) async throws -> ForgottenRecords {
        let contactIDs = contacts.filter { $0.value.owner == owner }.map(\.key)
        let meetingIDs = meetings.filter { $0.value.owner == owner }.map(\.key)
        let followUpIDs = followUps.filter { $0.value.owner == owner }.map(\.key)
        let subjects = Set(meetingIDs.map { NudgeSubject.meeting($0).stored } + followUpIDs.map { NudgeSubject.followUp($0).stored }
            + contactIDs.map { NudgeSubject.contact($0).stored })
        let messages = outbox.filter { $0.value.subject.map(subjects.contains) ?? false }.map(\.key)
        let conversationIDs = conversations.filter { $0.value.stored.owner == owner }.map(\.key)
        for id in messages { outbox[id] = nil }
        for id in followUpIDs { followUps[id] = nil }
        for id in meetingIDs {
            meetings[id] = nil
            reflections[id] = nil
        }
        for id in contactIDs { contacts[id] = nil }
        for id in conversationIDs { conversations[id] = nil }
        interactions.removeAll { $0.owner == owner }
        calendarEvents = calendarEvents.filter { $0.value.owner != owner }
        forgottenEvents = forgottenEvents.filter { feeds[$0.feedID]?.owner != owner }
        feeds = feeds.filter { $0.value.owner != owner }
        processed = processed.filter { !$0.key.hasPrefix(owner.stored + "/") }
        profiles[owner] = nil
        return ForgottenRecords(
            contacts: contactIDs.count, meetings: meetingIDs.count, followUps: followUpIDs.count,
            conversations: conversationIDs.count, outboxMessages: messages.count)
    }

    private func byStart(_ meetings: [Meeting]) -> [Meeting] {
        meetings.sorted { lhs, rhs in
            switch (lhs.startsAt, rhs.startsAt) {
            case let (l?, r?): return (l, lhs.id) < (r, rhs.id)
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return lhs.id < rhs.id
            }
        }
    }
}

/// What the in-memory store refuses, in one sentence.
public struct InMemoryStoreError: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
