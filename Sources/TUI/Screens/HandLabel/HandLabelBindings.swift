extension BindingScope {
    /// The hand-labeling screen.
    public static let handLabel = BindingScope("hand labeling")
}

extension Action {
    public static let openHandLabel = Action("openHandLabel")
    public static let answer = Action("answer")
    public static let skipRow = Action("skipRow")
    public static let undoAnswer = Action("undoAnswer")
    public static let switchSource = Action("switchSource")
    public static let closeHandLabel = Action("closeHandLabel")
}

/// Which key answers which class: 1–9, then the letters the screen does not use itself
/// (s skip, u undo, t source, q quit).
public enum HandLabelKeys {
    static let reserved: Set<Character> = ["s", "u", "t", "q"]
    public static let all: [Key] = (1...9).map { Key.char(Character(String($0))) }
        + "abcdefghijklmnopqrstuvwxyz".filter { !reserved.contains($0) }.map { Key.char($0) }

    /// The key of class `index`; nil past the last key (such a class is answered by no key).
    public static func key(forClass index: Int) -> Key? { all.indices.contains(index) ? all[index] : nil }

    /// The class a key answers, when it is one of the class keys and the dataset has that many classes.
    public static func classIndex(for key: Key, classCount: Int) -> Int? {
        guard let index = all.firstIndex(of: key), index < classCount else { return nil }
        return index
    }
}

extension KeyBindings {
    /// The hand-labeling screen's bindings, and the key that opens it from setup.
    static let handLabel: [KeyBinding] = [
        KeyBinding(keys: [.char("h")], scope: .setup, action: .openHandLabel, shortHelp: "hand label",
                   longHelp: "Label rows of the selected dataset by hand (they become its valid and test labels).", showsInBar: true),
        KeyBinding(keys: HandLabelKeys.all, scope: .handLabel, action: .answer, shortHelp: "class",
                   longHelp: "Give the row the class shown beside the key: 1–9, then a–z without s, t, u and q.", showsInBar: false),
        KeyBinding(keys: [.char("s")], scope: .handLabel, action: .skipRow, shortHelp: "skip",
                   longHelp: "Skip the row without labeling it.", showsInBar: true),
        KeyBinding(keys: [.char("u")], scope: .handLabel, action: .undoAnswer, shortHelp: "undo",
                   longHelp: "Undo the last answer (removed from hand-labels.jsonl too) or skip; the row comes back.", showsInBar: true),
        KeyBinding(keys: [.char("t")], scope: .handLabel, action: .switchSource, shortHelp: "source",
                   longHelp: "Switch between a random sample of unlabeled rows and the train rows no enabled program covers.", showsInBar: true),
        KeyBinding(keys: [.pageDown], scope: .handLabel, action: .scrollDown, shortHelp: "scroll",
                   longHelp: "Scroll a long text down.", showsInBar: false),
        KeyBinding(keys: [.pageUp], scope: .handLabel, action: .scrollUp, shortHelp: "scroll up",
                   longHelp: "Scroll a long text up.", showsInBar: false),
        KeyBinding(keys: [.escape], scope: .handLabel, action: .closeHandLabel, shortHelp: "back",
                   longHelp: "Go back to setup (every answer is saved already).", showsInBar: true),
    ]
}
