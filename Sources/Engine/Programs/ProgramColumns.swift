import Foundation

/// The one rule that names a program's vote column, wherever votes leave the tool (an export, a
/// prediction, an exported bundle's `apply.py`): `lf_` and the program's name, with every character
/// other than a letter, digit or `_` made `_`. Names that would collide get `_2`, `_3`… in order.
public enum ProgramColumns {
    public static func names(for programs: [LabelingProgram]) -> [String] {
        var used: Set<String> = []
        return programs.map { program in
            let base = "lf_" + String(program.name.unicodeScalars.map { scalar in
                scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "_") ? Character(scalar) : "_"
            })
            var name = base
            var next = 2
            while !used.insert(name).inserted {
                name = "\(base)_\(next)"
                next += 1
            }
            return name
        }
    }
}
