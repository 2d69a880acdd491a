import Foundation

/// Whether colours may be used at all: NO_COLOR (any non-empty value) or `--no-color` switch them
/// off, whatever theme is picked. (A terminal without colours is caught by the ncurses backend.)
public struct ColorPolicy: Sendable, Equatable {
    /// Why colours are off ("NO_COLOR is set", "--no-color"), nil when they are on.
    public var reason: String?

    public var forcesMonochrome: Bool { reason != nil }

    public init(reason: String? = nil) {
        self.reason = reason
    }

    public init(noColorFlag: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if noColorFlag {
            reason = "--no-color"
        } else if let value = environment["NO_COLOR"], !value.isEmpty {
            reason = "NO_COLOR is set"
        } else {
            reason = nil
        }
    }

    /// `theme`, without its colours when the policy forces monochrome.
    public func applied(to theme: Theme) -> Theme {
        forcesMonochrome ? theme.monochromed : theme
    }
}
