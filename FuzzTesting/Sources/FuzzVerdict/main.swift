import Foundation
import RapportDelivery

// One input is one webhook reply: the first line its status, then `name: value` header lines
// up to an empty line, then the body. Every platform reads it: the verdict must never trap, a
// wait asked for must lie between nothing and `DeliveryVerdict.longestWait`, and the reason
// (printed in terminals, stored as the outbox's last error) must hold no terminal control.

let now = Date(timeIntervalSince1970: 1_800_000_000)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVerdict(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)[...]
    let statusLine = lines.popFirst().map { String(decoding: $0, as: UTF8.self) } ?? ""
    // Any status, also ones no server sends; text that is not a number still picks one.
    let status = Int(statusLine) ?? statusLine.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) % 1000 }
    var headers: [String: String] = [:]
    while let line = lines.popFirst(), !line.isEmpty {
        let text = String(decoding: line, as: UTF8.self)
        guard let colon = text.firstIndex(of: ":") else { continue }
        headers[text[..<colon].lowercased()] = String(text[text.index(after: colon)...])
    }
    let body = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
    let response = HTTPResponse(status: status, headers: headers, body: body)
    for kind in WebhookKind.allCases {
        let reason: String?
        switch DeliveryVerdict(kind: kind, response: response, now: now) {
        case .delivered:
            reason = nil
        case .retry(let after, let why):
            if let after {
                precondition(after >= .zero && after <= DeliveryVerdict.longestWait, "a wait of \(after) for \(kind)")
            }
            reason = why
        case .permanent(let why):
            reason = why
        }
        if let reason {
            precondition(!reason.unicodeScalars.contains { isTerminalControl($0) }, "terminal control in the reason for \(kind): \(reason.debugDescription)")
        }
    }
    return 0
}

/// What a terminal acts on rather than shows: C0 and C1 controls, DEL, bidirectional controls.
func isTerminalControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
    default: return false
    }
}
