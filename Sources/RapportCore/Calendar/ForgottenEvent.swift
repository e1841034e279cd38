/// What a store keeps of a calendar event whose person was forgotten: a digest of its UID, so
/// the next read of the feed skips the event (and its series) instead of bringing the person
/// back, while the store holds neither their name nor the event's text.
///
/// FNV-1a over 64 bits: a UID is not a secret worth a cryptographic hash (it names an event,
/// not a person), and a collision costs at most one skipped event in that feed.
public enum ForgottenEvent {
    public static func digest(uid: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in uid.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
