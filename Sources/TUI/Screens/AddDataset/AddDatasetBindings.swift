extension BindingScope {
    /// The add-a-dataset form.
    public static let addDataset = BindingScope("add a dataset")
}

extension Action {
    public static let addDataset = Action("addDataset")
    public static let nextField = Action("nextField")
    public static let previousField = Action("previousField")
    public static let changeChoice = Action("changeChoice")
    public static let eraseCharacter = Action("eraseCharacter")
    public static let writeDataset = Action("writeDataset")
    public static let backStep = Action("backStep")
}

extension KeyBindings {
    /// `a` on setup, and the keys of the form (every other key types into the name, classes, sizes or seed).
    static let addDataset: [KeyBinding] = [
        KeyBinding(keys: [.char("a")], scope: .setup, action: .addDataset, shortHelp: "add dataset",
                   longHelp: "Add a dataset from a file (.csv, .tsv, .jsonl, .json, .parquet): pick it, choose its columns with a preview of the first rows and the planned split, enter writes it (as `alchemist datasets add` does).",
                   showsInBar: false),
        KeyBinding(keys: [.down, .tab], scope: .addDataset, action: .nextField, shortHelp: "next field",
                   longHelp: "Move to the next field; letters, digits and punctuation type into the name, classes, sizes and seed.", showsInBar: true),
        KeyBinding(keys: [.up, .backTab], scope: .addDataset, action: .previousField, shortHelp: "prev field",
                   longHelp: "Move to the previous field.", showsInBar: false),
        KeyBinding(keys: [.left, .right], scope: .addDataset, action: .changeChoice, shortHelp: "column",
                   longHelp: "Choose another column for the text, the labels (or none) or the ids (or the row position).", showsInBar: true),
        KeyBinding(keys: [.backspace], scope: .addDataset, action: .eraseCharacter, shortHelp: "erase",
                   longHelp: "Erase the last character of the field.", showsInBar: false),
        KeyBinding(keys: [.enter], scope: .addDataset, action: .writeDataset, shortHelp: "add",
                   longHelp: "Write the dataset folder as planned into the data folder and select it on setup.", showsInBar: true),
        KeyBinding(keys: [.escape], scope: .addDataset, action: .backStep, shortHelp: "back",
                   longHelp: "Go back to the file picker (esc there goes back to setup); nothing is written.", showsInBar: true),
    ]
}
