import RapportCore
import Testing

struct SpeedMeetingTests {
    @Test func roundsAlternateWithSignalsAndEndWithTimeToTalk() {
        let meeting = SpeedMeeting(rounds: 3, roundLength: .seconds(120), changeover: .seconds(15), question: "How could we do business?")
        #expect(meeting.schedule.map(\.moment) == [.roundStarts(1), .switchPartners(1), .roundStarts(2), .switchPartners(2), .roundStarts(3), .finished])
        #expect(meeting.schedule.map(\.at) == [.zero, .seconds(120), .seconds(135), .seconds(255), .seconds(270), .seconds(390)])
        #expect(meeting.totalLength == .seconds(390))
    }

    @Test func aSingleRoundHasNoSwitch() {
        let meeting = SpeedMeeting(rounds: 1, roundLength: .seconds(60), question: "?")
        #expect(meeting.schedule.map(\.moment) == [.roundStarts(1), .finished])
        #expect(SpeedMeeting(rounds: 0, roundLength: .seconds(60), question: "?").rounds == 1)
    }
}
