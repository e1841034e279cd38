import Foundation
import RapportDelivery

// One input is one inbound request's parts, separated by newlines: the signature headers
// (Slack's timestamp and signature; Standard Webhooks' id, timestamp and signatures) and then
// the body, which is also read as a form. Verifying must never trap, and a forged signature
// must never pass.

let slack = SlackSignature(secret: "8f742231b10e8888abcd99yyyzzz85a5")!
let webhooks = StandardWebhooks(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")!
let now = Date(timeIntervalSince1970: 1_531_420_618)

/// Builds the globals before the first input, so that LeakSanitizer does not count what they
/// keep for the life of the process as that input's leak.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>>>) -> CInt {
    _ = (slack, webhooks, now)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInbound(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let parts = bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 5, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
    let body = Array(bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 5, omittingEmptySubsequences: false).last ?? [])
    func part(_ index: Int) -> String? { index < parts.count - 1 ? parts[index] : nil }

    let form = FormBody(body)
    _ = (form["user_id"], form["text"], form["token"], form.fields.count)

    if slack.verify(timestamp: part(0), signature: part(1), body: body, now: now) {
        precondition(part(1) == (try? slack.signature(timestamp: part(0)!, body: body)), "a Slack signature passed that is not the body's")
    }
    if webhooks.verify(id: part(2), timestamp: part(3), signatures: part(4), body: body, now: now) {
        let expected = try? webhooks.signature(id: part(2)!, timestamp: Int(part(3)!)!, body: body)
        precondition(part(4)!.split(separator: " ").contains { String($0) == expected }, "a Standard Webhooks signature passed that is not the body's")
    }
    return 0
}
