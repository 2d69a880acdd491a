import Engine
import Foundation

/// What the TUI remembers between runs, in `<app home>/settings.json`: the picked theme and the
/// setup screen's last choices.
/// Keys it does not know are ignored, so a newer version's file still loads.
public struct UserSettings: Codable, Sendable, Equatable {
    /// The theme picked on the settings screen; nil: the default.
    public var theme: String?
    /// The setup screen as it was left (`RememberedSetup`).
    public var setup: RememberedSetup?

    public init(theme: String? = nil, setup: RememberedSetup? = nil) {
        self.theme = theme
        self.setup = setup
    }

    public static func file(appHome: URL) -> URL {
        appHome.appendingPathComponent("settings.json")
    }

    /// The settings in `file`; empty settings when it does not exist. A broken file is an error
    /// naming the file (and the key, when one is wrong).
    public static func load(from file: URL) throws -> UserSettings {
        guard FileManager.default.fileExists(atPath: file.path) else { return UserSettings() }
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw SettingsError(description: "\(file.path): cannot read the settings file")
        }
        do {
            return try JSONDecoder().decode(UserSettings.self, from: data)
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw SettingsError(description: "\(file.path): \(key.isEmpty ? "the file" : key): wrong type (\"theme\" is a theme name, \"setup\" an object of ids and texts)")
        } catch {
            throw SettingsError(description: "\(file.path): not a JSON object")
        }
    }

    /// Writes `file` whole or not at all.
    public func save(to file: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try AtomicFile.write(try encoder.encode(self) + Data("\n".utf8), to: file)
        } catch {
            throw SettingsError(description: "\(file.path): cannot write the settings file (\(error.localizedDescription))")
        }
    }

    /// Remembers `themeName` in `<app home>/settings.json`, keeping the other settings it holds.
    public static func rememberTheme(_ themeName: String, appHome: URL) throws {
        let file = file(appHome: appHome)
        var settings = (try? load(from: file)) ?? UserSettings()
        settings.theme = themeName
        try settings.save(to: file)
    }
}

/// A settings file that cannot be read or written.
public struct SettingsError: InputError, Equatable {
    public let description: String
}
