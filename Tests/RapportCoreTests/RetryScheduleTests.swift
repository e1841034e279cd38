import Foundation
import RapportCore
import Testing

struct RetryScheduleTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let schedule = RetrySchedule(delays: [.seconds(5), .seconds(300), .seconds(7200)], jitter: 0.2)

    @Test func backsOffExponentiallyWithJitterWithinItsBounds() {
        #expect(schedule.nextAttempt(after: 1, now: now, retryAfter: nil, random: 0.5) == now.addingTimeInterval(5))
        #expect(schedule.nextAttempt(after: 1, now: now, retryAfter: nil, random: 0) == now.addingTimeInterval(4))
        #expect(schedule.nextAttempt(after: 1, now: now, retryAfter: nil, random: 0.999_999)! < now.addingTimeInterval(6))
        #expect(schedule.nextAttempt(after: 2, now: now, retryAfter: nil, random: 0.5) == now.addingTimeInterval(300))
        #expect(schedule.nextAttempt(after: 3, now: now, retryAfter: nil, random: 0.5) == now.addingTimeInterval(7200))
    }

    @Test func neverRetriesBeforeTheServerSaid() {
        #expect(schedule.nextAttempt(after: 1, now: now, retryAfter: .seconds(60), random: 0.5) == now.addingTimeInterval(60))
        #expect(schedule.nextAttempt(after: 2, now: now, retryAfter: .seconds(60), random: 0.5) == now.addingTimeInterval(300))
    }

    @Test func givesUpAfterTheLastDelay() {
        #expect(schedule.maximumAttempts == 4)
        #expect(schedule.nextAttempt(after: 4, now: now, retryAfter: nil, random: 0.5) == nil)
        #expect(schedule.nextAttempt(after: 0, now: now, retryAfter: nil, random: 0.5) == nil)
    }
}
