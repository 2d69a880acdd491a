import Foundation

/// A fitted model's parameters as one file that loads back bit for bit: a kind, named numbers and
/// named arrays of `Double` or `Float`. Arrays are stored as raw little-endian bit patterns (an end
/// model holds millions of weights, and text would neither be small nor exact).
///
/// Layout: `ALPA1\n`, an 8-byte little-endian length, a JSON header
/// (`kind`, `numbers`, `names`, `doubles` / `floats`: name → count), then the arrays in the header's
/// name order, doubles first.
public struct ParameterArchive: Sendable, Equatable {
    public var kind: String
    public var numbers: [String: Double] = [:]
    public var doubles: [String: [Double]] = [:]
    public var floats: [String: [Float]] = [:]
    /// Short lists of names (class names, say), kept in the header.
    public var names: [String: [String]] = [:]

    public init(kind: String) { self.kind = kind }

    static let magic = Array("ALPA1\n".utf8)

    private struct Header: Codable {
        var kind: String
        var numbers: [String: Double]
        var doubles: [String: Int]
        var floats: [String: Int]
        var names: [String: [String]]
    }

    public func encoded() throws -> Data {
        let header = Header(kind: kind, numbers: numbers, doubles: doubles.mapValues(\.count), floats: floats.mapValues(\.count), names: names)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(header)
        var data = Data(Self.magic)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        data.reserveCapacity(data.count + doubles.values.reduce(0) { $0 + $1.count * 8 } + floats.values.reduce(0) { $0 + $1.count * 4 })
        for name in doubles.keys.sorted() {
            (doubles[name] ?? []).map { $0.bitPattern.littleEndian }.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        for name in floats.keys.sorted() {
            (floats[name] ?? []).map { $0.bitPattern.littleEndian }.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        return data
    }

    /// - Throws: `ParameterArchiveError` naming `file` when the bytes are not a whole archive.
    public init(decoding data: Data, file: String) throws {
        func fail(_ reason: String) -> ParameterArchiveError { ParameterArchiveError(file: file, reason: reason) }
        let bytes = Data(data)  // indices from 0
        guard bytes.count >= Self.magic.count + 8, Array(bytes[0..<Self.magic.count]) == Self.magic else {
            throw fail("not a model parameter file (no ALPA1 header)")
        }
        var offset = Self.magic.count
        func readUInt64() -> UInt64 {
            var value: UInt64 = 0
            for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
            offset += 8
            return value
        }
        let length = Int(clamping: readUInt64())
        guard length <= bytes.count - offset else { throw fail("cut short in its header") }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[offset..<(offset + length)]))
        } catch {
            throw fail("unreadable header (\(error))")
        }
        offset += length
        let needed = header.doubles.values.reduce(0) { $0 + $1 * 8 } + header.floats.values.reduce(0) { $0 + $1 * 4 }
        guard needed == bytes.count - offset else {
            throw fail("expected \(needed) bytes of parameters, found \(bytes.count - offset)")
        }
        kind = header.kind
        numbers = header.numbers
        names = header.names
        let start = offset
        bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var position = start
            for name in header.doubles.keys.sorted() {
                let count = header.doubles[name] ?? 0
                doubles[name] = (0..<count).map { index in
                    Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position + index * 8, as: UInt64.self)))
                }
                position += count * 8
            }
            for name in header.floats.keys.sorted() {
                let count = header.floats[name] ?? 0
                floats[name] = (0..<count).map { index in
                    Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: position + index * 4, as: UInt32.self)))
                }
                position += count * 4
            }
        }
    }

    // Readers that name what is missing.

    public func number(_ name: String) throws -> Double {
        guard let value = numbers[name] else { throw ParameterArchiveError(file: kind, reason: "no parameter \"\(name)\"") }
        return value
    }

    public func integer(_ name: String) throws -> Int {
        let value = try number(name)
        guard let exact = Int(exactly: value) else { throw ParameterArchiveError(file: kind, reason: "\"\(name)\" is not a whole number") }
        return exact
    }

    public func doubleArray(_ name: String, count: Int? = nil) throws -> [Double] {
        guard let value = doubles[name] else { throw ParameterArchiveError(file: kind, reason: "no parameter \"\(name)\"") }
        if let count, value.count != count {
            throw ParameterArchiveError(file: kind, reason: "\"\(name)\" has \(value.count) values, expected \(count)")
        }
        return value
    }

    public func floatArray(_ name: String, count: Int? = nil) throws -> [Float] {
        guard let value = floats[name] else { throw ParameterArchiveError(file: kind, reason: "no parameter \"\(name)\"") }
        if let count, value.count != count {
            throw ParameterArchiveError(file: kind, reason: "\"\(name)\" has \(value.count) values, expected \(count)")
        }
        return value
    }

    /// Checks the archive holds the expected kind of model.
    public func expect(kind expected: String) throws {
        guard kind == expected else { throw ParameterArchiveError(file: kind, reason: "holds a \(kind) model, not \(expected)") }
    }
}

public struct ParameterArchiveError: InputError, Equatable {
    public let file: String
    public let reason: String
    public var description: String { "\(file): \(reason)" }
}
