/// The RRULEs of one feed, each text parsed once: a work calendar repeats a handful of rules
/// (weekly on Tuesdays, every other Monday) over hundreds of series.
struct RecurrenceRuleCache {
    private var parsed: [String: Result<RecurrenceRule, RecurrenceRule.RuleError>] = [:]

    mutating func parse(_ text: String) -> Result<RecurrenceRule, RecurrenceRule.RuleError> {
        if let known = parsed[text] { return known }
        let result = RecurrenceRule.parse(text)
        // Bounded: a hostile feed's thousand different rules are parsed, not all kept.
        if parsed.count < 1_000 { parsed[text] = result }
        return result
    }
}
