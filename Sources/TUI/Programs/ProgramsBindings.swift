extension KeyBindings {
    /// The programs browser's bindings.
    static let programs: [KeyBinding] = []
}
