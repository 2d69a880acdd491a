extension KeyBindings {
    /// The labeling and results screen's bindings.
    static let results: [KeyBinding] = []
}
