import Foundation

extension Meeting {
    /// The meeting a new prep with someone fills rather than adding one: of their meetings, the
    /// soonest from a calendar, from `moment` on, that no prep has filled and that is neither
    /// reflected nor called off. Chosen here from the meetings a prep reads anyway, not asked of
    /// the store, so a start with someone known makes one read of their meetings, not two.
    public static func toPrepare(among meetings: [Meeting], from moment: Date) -> Meeting? {
        meetings
            .filter { $0.fromCalendar && !$0.prepared && !$0.reflected && !$0.cancelled && ($0.startsAt.map { $0 >= moment } ?? false) }
            .min { ($0.startsAt ?? .distantFuture, $0.id) < ($1.startsAt ?? .distantFuture, $1.id) }
    }
}
