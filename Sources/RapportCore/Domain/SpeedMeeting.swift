/// The speed meeting of seed 1 (P1.6): pairs talk about a prepared question for a few minutes,
/// then a clear signal, then new pairs. Pure: the schedule of what to announce when; the
/// terminal keeps the time.
public struct SpeedMeeting: Sendable, Hashable {
    public var rounds: Int
    public var roundLength: Duration
    /// A short pause after each signal for people to find their next partner.
    public var changeover: Duration
    public var question: String

    public init(rounds: Int, roundLength: Duration, changeover: Duration = .seconds(15), question: String) {
        self.rounds = max(1, rounds)
        self.roundLength = roundLength
        self.changeover = changeover
        self.question = question
    }

    /// Something to announce, at a time from the start.
    public enum Moment: Sendable, Hashable {
        case roundStarts(Int)
        case switchPartners(Int)
        case finished
    }

    /// What happens when, in order: each round starts, ends with a signal to switch, and after
    /// the last one the meeting moves on to free time to talk.
    public var schedule: [(at: Duration, moment: Moment)] {
        var moments: [(at: Duration, moment: Moment)] = []
        var clock = Duration.zero
        for round in 1...rounds {
            moments.append((clock, .roundStarts(round)))
            clock += roundLength
            if round < rounds {
                moments.append((clock, .switchPartners(round)))
                clock += changeover
            } else {
                moments.append((clock, .finished))
            }
        }
        return moments
    }

    /// How long the whole thing takes.
    public var totalLength: Duration {
        roundLength * rounds + changeover * (rounds - 1)
    }
}
