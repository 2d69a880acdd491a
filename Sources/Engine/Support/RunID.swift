import Foundation

/// Ids of runs in the ledger (a generation session, a knowledge index build): the UTC time, then
/// eight random hex digits, so they sort by time and two at the same second differ.
public enum RunID {
    public static func make(at date: Date = Date()) -> String {
        let stamp = ISO8601DateFormatter.string(from: date, timeZone: TimeZone(secondsFromGMT: 0) ?? .current,
                                                formatOptions: [.withYear, .withMonth, .withDay, .withTime])
        return "\(stamp)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}
