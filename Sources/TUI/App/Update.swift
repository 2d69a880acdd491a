/// Something that happened: a key, a new terminal size, a clock tick, or (later) an engine event.
public enum AppMessage: Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case tick
    /// Placeholder for generation progress; carries a status text for now.
    case engineEvent(String)
}

/// What the loop must do after an update.
public enum Effect: Sendable, Equatable {
    case render
    case quit
}

/// The one way the state changes. Pure: no terminal, no engine calls.
public func update(_ state: inout AppState, _ message: AppMessage) -> [Effect] {
    switch message {
    case .tick:
        return []
    case .resize(let width, let height):
        state.width = width
        state.height = height
        return [.render]
    case .engineEvent(let text):
        state.status = text
        return [.render]
    case .key(let key):
        if key == .resize { return [.render] }
        let scope: BindingScope = state.showsHelp ? .helpOverlay : .setup
        guard let action = KeyBindings.action(for: key, in: scope) else { return [] }
        return perform(action, on: &state)
    }
}

private func perform(_ action: Action, on state: inout AppState) -> [Effect] {
    switch action {
    case .quit, .forceQuit:
        return [.quit]
    case .toggleHelp:
        state.showsHelp.toggle()
    case .closeOverlay:
        state.showsHelp = false
    case .focusNext, .focusPrevious:
        let panes = state.focusablePanes
        let here = panes.firstIndex(of: state.focus) ?? 0
        let step = action == .focusNext ? 1 : panes.count - 1
        state.focus = panes[(here + step) % panes.count]
    case .selectPrevious, .selectNext, .selectFirst, .selectLast:
        let count = state.rowCount(state.focus)
        guard count > 0 else { return [] }
        let current = state.selected(state.focus)
        let wanted: Int
        switch action {
        case .selectPrevious: wanted = current - 1
        case .selectNext: wanted = current + 1
        case .selectFirst: wanted = 0
        default: wanted = count - 1
        }
        let clamped = min(max(0, wanted), count - 1)
        guard clamped != current else { return [] }
        state.selection[state.focus] = clamped
        if state.focus == .dataset || state.focus == .prior { state.refreshTexts() }
        if state.focus == .dataset, let dataset = state.dataset {
            state.status = dataset.isPresent ? "\(dataset.name): \(dataset.classCount) classes" : "\(dataset.name) is not on disk: alchemist datasets fetch \(dataset.name)"
        }
    default:
        return []
    }
    return [.render]
}
