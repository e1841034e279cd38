extension Int64 {
    /// A record number as the user types it after seeing it listed: "#3" or "3".
    init?(reference text: String) {
        self.init(text.hasPrefix("#") ? String(text.dropFirst()) : text)
    }
}
