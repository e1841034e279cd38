import Foundation
import RapportCore

/// Parsed lexicons kept between runs as JSON, beside nothing a person edits: parsing the YAML
/// is the largest part of every command's start, and the file rarely changes. An entry is used
/// only while its source file has the same size and modification time and this build wrote it;
/// anything unreadable is ignored and the YAML read instead.
struct LexiconCache: Sendable {
    let directory: String

    /// Bumped when `Lexicon`'s stored shape changes, so an older entry is not decoded wrongly.
    private static let format = "1"

    func lexicon(readFrom source: String) -> Lexicon? {
        guard let stamp = Self.stamp(of: source),
              let data = FileManager.default.contents(atPath: entryPath(for: source)),
              let entry = try? JSONDecoder().decode(Entry.self, from: data),
              entry.stamp == stamp
        else { return nil }
        return entry.lexicon
    }

    /// Writes the entry through a temporary file and a rename, so a reader never sees half of one.
    func keep(_ lexicon: Lexicon, readFrom source: String) {
        guard let stamp = Self.stamp(of: source), let data = try? JSONEncoder().encode(Entry(stamp: stamp, lexicon: lexicon)) else { return }
        let path = entryPath(for: source)
        let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: temporary))
            if rename(temporary, path) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)  // a read-only home: read the YAML next time
        }
    }

    private struct Entry: Codable {
        var stamp: String
        var lexicon: Lexicon
    }

    /// One file per source path: the path's FNV-1a digest names it.
    private func entryPath(for source: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in source.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return directory + "/lexicon-" + String(hash, radix: 16) + ".json"
    }

    /// What tells a source file's versions apart: its path, size and modification time to the nanosecond.
    private static func stamp(of source: String) -> String? {
        var info = stat()
        guard stat(source, &info) == 0 else { return nil }
        return "\(format) \(source) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }
}
