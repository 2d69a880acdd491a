import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How records on disk (the ledger, program states) write dates and amounts as text: ISO 8601
/// UTC to the millisecond (`2025-06-15T15:06:40.123Z`, which sorts as time does) and exact
/// decimal strings.
enum RecordText {
    /// `date` rounded to the millisecond.
    static func date(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(milliseconds.floorDivided(by: 1000))
        let fraction = milliseconds - Int64(seconds) * 1000
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(fraction))
    }

    /// Reads what `date(_:)` wrote (the fraction may be absent); nil for anything else.
    static func date(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        func byte(_ index: Int, is character: Character) -> Bool {
            index < bytes.count && bytes[index] == character.asciiValue
        }
        guard bytes.count == 20 || bytes.count == 24, byte(4, is: "-"), byte(7, is: "-"), byte(10, is: "T"),
              byte(13, is: ":"), byte(16, is: ":"), byte(bytes.count - 1, is: "Z"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var milliseconds = 0
        if bytes.count == 24 {
            guard byte(19, is: "."), let fraction = number(20..<23) else { return nil }
            milliseconds = fraction
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = Int64(timegm(&parts))
        return Date(timeIntervalSince1970: Double(seconds * 1000 + Int64(milliseconds)) / 1000)
    }

    /// The exact decimal string of an amount, e.g. "0.0005253".
    static func amount(_ value: Decimal) -> String {
        USD(value).description
    }

    /// Reads an exact decimal string; nil for anything that is not a plain finite number.
    static func amount(_ text: String) -> Decimal? {
        USD(text)?.decimal
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (dates before 1970 still format).
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
