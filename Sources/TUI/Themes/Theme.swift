import Engine
import Foundation

/// A terminal colour by name, as themes/*.json write it.
public enum ThemeColor: String, Sendable, CaseIterable {
    case `default`, black, red, green, yellow, blue, magenta, cyan, white
    case brightBlack = "bright-black", brightRed = "bright-red", brightGreen = "bright-green"
    case brightYellow = "bright-yellow", brightBlue = "bright-blue", brightMagenta = "bright-magenta"
    case brightCyan = "bright-cyan", brightWhite = "bright-white"

    /// The curses colour number: -1 keeps the terminal's colour, 0–7 normal, 8–15 bright.
    public var number: Int16 {
        switch self {
        case .default: return -1
        default: return Int16((ThemeColor.allCases.firstIndex(of: self) ?? 0) - 1)
        }
    }
}

/// A theme file that cannot be used (names the file and the key), or an unknown theme name.
public struct ThemeError: InputError, Equatable {
    public let description: String
    public init(description: String) { self.description = description }
}

/// Colours by role (themes/*.json). A monochrome theme keeps every colour at the terminal's default:
/// bold, reverse and underline still show.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var colors: [StyleRole: ThemeColor]
    public var isMonochrome: Bool

    public init(name: String, colors: [StyleRole: ThemeColor], isMonochrome: Bool = false) {
        self.name = name
        self.colors = colors
        self.isMonochrome = isMonochrome
    }

    public func color(_ role: StyleRole) -> ThemeColor {
        isMonochrome ? .default : colors[role] ?? .default
    }

    /// The bundled default theme, for when themes/default.json cannot be found.
    public static let builtIn = Theme(name: "default", colors: [
        .text: .default, .muted: .brightBlack, .accent: .cyan, .border: .brightBlack, .borderFocused: .cyan,
        .selection: .blue, .success: .green, .warning: .yellow, .error: .red, .cost: .magenta,
        .codeKeyword: .blue, .codeString: .green, .codeComment: .brightBlack, .codeNumber: .yellow,
    ], isMonochrome: false)

    public static let monochrome = Theme(name: "monochrome", colors: [:], isMonochrome: true)

    /// This theme with its colours switched off (NO_COLOR, --no-color): the name stays, so a pick
    /// made while colours are off is still remembered by name.
    public var monochromed: Theme {
        var theme = self
        theme.isMonochrome = true
        return theme
    }

    /// Reads a theme file: `{"name": …, "description": …, "monochrome": bool, "roles": {role: colour}}`.
    /// Roles it does not name keep the terminal's colour; `"monochrome": true` keeps every colour at
    /// the terminal's (roles may then be left out); an unknown key, role or colour is an error naming
    /// file and key.
    public static func load(from file: URL) throws -> Theme {
        let name = file.lastPathComponent
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw ThemeError(description: "\(file.path): cannot read the theme file")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ThemeError(description: "\(file.path): not a JSON object")
        }
        for key in object.keys.sorted() where !["name", "description", "monochrome", "roles"].contains(key) {
            throw ThemeError(description: "\(file.path): unknown key \"\(key)\" (known: name, description, monochrome, roles)")
        }
        // JSONSerialization cannot tell `true` from `1`; the decoder can.
        struct Flags: Decodable { var monochrome: Bool? }
        guard let flags = try? JSONDecoder().decode(Flags.self, from: data) else {
            throw ThemeError(description: "\(file.path): monochrome: must be true or false")
        }
        let isMonochrome = flags.monochrome ?? false
        if let name = object["name"], !(name is String) {
            throw ThemeError(description: "\(file.path): name: must be a string")
        }
        if isMonochrome, object["roles"] == nil {
            return Theme(name: (object["name"] as? String) ?? name, colors: [:], isMonochrome: true)
        }
        guard let roles = object["roles"] as? [String: Any] else {
            throw ThemeError(description: "\(file.path): \"roles\" must be an object of role → colour")
        }
        var colors: [StyleRole: ThemeColor] = [:]
        for key in roles.keys.sorted() {
            guard let role = StyleRole(rawValue: key) else {
                let known = StyleRole.allCases.map(\.rawValue).joined(separator: ", ")
                throw ThemeError(description: "\(file.path): roles.\(key): unknown role (known: \(known))")
            }
            guard let text = roles[key] as? String, let color = ThemeColor(rawValue: text) else {
                throw ThemeError(description: "\(file.path): roles.\(key): unknown colour \(roles[key].map { "\"\($0)\"" } ?? "") (expected default, black, red, green, yellow, blue, magenta, cyan, white or bright-*)")
            }
            colors[role] = color
        }
        return Theme(name: (object["name"] as? String) ?? name, colors: colors, isMonochrome: isMonochrome)
    }

    /// The theme to use: `theme` without colours when NO_COLOR is set to anything non-empty.
    public static func resolved(_ theme: Theme, environment: [String: String] = ProcessInfo.processInfo.environment) -> Theme {
        ColorPolicy(noColorFlag: false, environment: environment).applied(to: theme)
    }
}
