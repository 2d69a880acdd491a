/// What the settings screen asks the app to do after a key. The themes carried are already
/// resolved (without colours when NO_COLOR or --no-color say so) and keep the picked name.
public enum SettingsRequest: Sendable, Equatable {
    /// Show `theme` now without remembering it (moving in the theme list).
    case preview(Theme)
    /// Keep `theme`: show it, and remember its name in settings.json (`UserSettings.rememberTheme`).
    case apply(Theme)
    /// Leave the screen and show `restoring` again (the theme in use before any preview).
    case close(restoring: Theme)
}
