import Foundation

/// Why a JSON document could not be read: names the file and the key path.
public struct JSONReadError: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String
    public let keyPath: String
    public let reason: String

    public var description: String {
        keyPath.isEmpty ? "\(file): \(reason)" : "\(file): \(keyPath): \(reason)"
    }
}

/// Strict reader over a parsed JSON object: every access names its key path,
/// and `finish()` rejects keys that nobody asked for.
struct JSONReader {
    let file: String
    let path: String
    private let object: [String: Any]
    private var seen: Set<String> = []

    init(file: String, path: String = "", object: [String: Any]) {
        self.file = file
        self.path = path
        self.object = object
    }

    /// Parses `data` as one JSON object.
    static func parse(_ data: Data, file: String) throws -> JSONReader {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw JSONReadError(file: file, keyPath: "", reason: "not valid JSON (\(JSONReader.describe(error)))")
        }
        guard let object = value as? [String: Any] else {
            throw JSONReadError(file: file, keyPath: "", reason: "expected a JSON object at the top level")
        }
        return JSONReader(file: file, object: object)
    }

    static func describe(_ error: Error) -> String {
        let ns = error as NSError
        if let detail = ns.userInfo["NSDebugDescription"] as? String { return detail }
        return ns.localizedDescription
    }

    var keys: [String] { object.keys.sorted() }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String?, _ reason: String) -> JSONReadError {
        JSONReadError(file: file, keyPath: key.map(keyPath) ?? path, reason: reason)
    }

    private mutating func raw(_ key: String) -> Any? {
        seen.insert(key)
        guard let value = object[key], !(value is NSNull) else { return nil }
        return value
    }

    func has(_ key: String) -> Bool { object[key] != nil }

    mutating func string(_ key: String) throws -> String {
        guard let value = try optionalString(key) else { throw error(key, "missing (expected a string)") }
        return value
    }

    mutating func optionalString(_ key: String) throws -> String? {
        guard let value = raw(key) else { return nil }
        guard let string = value as? String else { throw error(key, "expected a string, found \(Self.kind(of: value))") }
        return string
    }

    mutating func int(_ key: String) throws -> Int {
        guard let value = try optionalInt(key) else { throw error(key, "missing (expected an integer)") }
        return value
    }

    mutating func optionalInt(_ key: String) throws -> Int? {
        guard let value = raw(key) else { return nil }
        guard let number = value as? NSNumber, !Self.isBool(number), let int = Int(exactly: number.doubleValue) else {
            throw error(key, "expected an integer, found \(Self.kind(of: value))")
        }
        return int
    }

    mutating func double(_ key: String) throws -> Double {
        guard let value = raw(key) else { throw error(key, "missing (expected a number)") }
        guard let number = value as? NSNumber, !Self.isBool(number) else {
            throw error(key, "expected a number, found \(Self.kind(of: value))")
        }
        return number.doubleValue
    }

    mutating func optionalBool(_ key: String) throws -> Bool? {
        raw(key) == nil ? nil : try bool(key)
    }

    mutating func optionalDouble(_ key: String) throws -> Double? {
        raw(key) == nil ? nil : try double(key)
    }

    mutating func bool(_ key: String) throws -> Bool {
        guard let value = raw(key) else { throw error(key, "missing (expected true or false)") }
        guard let number = value as? NSNumber, Self.isBool(number) else {
            throw error(key, "expected true or false, found \(Self.kind(of: value))")
        }
        return number.boolValue
    }

    mutating func stringArray(_ key: String) throws -> [String] {
        guard let value = raw(key) else { throw error(key, "missing (expected a list of strings)") }
        guard let array = value as? [Any] else { throw error(key, "expected a list of strings, found \(Self.kind(of: value))") }
        return try array.enumerated().map { index, element in
            guard let string = element as? String else {
                throw JSONReadError(file: file, keyPath: "\(keyPath(key))[\(index)]", reason: "expected a string, found \(Self.kind(of: element))")
            }
            return string
        }
    }

    /// A list of strings, or nil when the key is absent or null.
    mutating func optionalStringArray(_ key: String) throws -> [String]? {
        raw(key) == nil ? nil : try stringArray(key)
    }

    mutating func object(_ key: String) throws -> JSONReader {
        guard let value = raw(key) else { throw error(key, "missing (expected an object)") }
        guard let object = value as? [String: Any] else { throw error(key, "expected an object, found \(Self.kind(of: value))") }
        return JSONReader(file: file, path: keyPath(key), object: object)
    }

    mutating func objectArray(_ key: String) throws -> [JSONReader] {
        guard let value = raw(key) else { throw error(key, "missing (expected a list of objects)") }
        guard let array = value as? [Any] else { throw error(key, "expected a list of objects, found \(Self.kind(of: value))") }
        return try array.enumerated().map { index, element in
            let elementPath = "\(keyPath(key))[\(index)]"
            guard let object = element as? [String: Any] else {
                throw JSONReadError(file: file, keyPath: elementPath, reason: "expected an object, found \(Self.kind(of: element))")
            }
            return JSONReader(file: file, path: elementPath, object: object)
        }
    }

    /// Every key of this object, each read as a nested object, in sorted order.
    mutating func objectsByKey() throws -> [(String, JSONReader)] {
        try keys.map { key in (key, try object(key)) }
    }

    /// Throws for the first key that was never read.
    func finish() throws {
        if let unknown = object.keys.sorted().first(where: { !seen.contains($0) }) {
            throw error(unknown, "unknown key")
        }
    }

    /// JSON booleans come back as NSNumber too; Foundation marks them with the C type "c".
    static func isBool(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    static func kind(of value: Any) -> String {
        switch value {
        case is String: return "a string"
        case let number as NSNumber: return isBool(number) ? "a boolean" : "a number"
        case is [Any]: return "a list"
        case is [String: Any]: return "an object"
        case is NSNull: return "null"
        default: return "\(type(of: value))"
        }
    }
}

extension JSONReadError: InputError {}
