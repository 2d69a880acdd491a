/// Character references in HTML text: the named ones pages use most, and numeric ones
/// (`&#38;`, `&#x26;`). An unknown or malformed reference is left as written.
enum HTMLEntities {
    static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
        "copy": "©", "reg": "®", "trade": "™", "hellip": "…", "mdash": "—", "ndash": "–",
        "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "laquo": "«", "raquo": "»",
        "bull": "•", "middot": "·", "deg": "°", "euro": "€", "pound": "£", "cent": "¢", "yen": "¥",
        "sect": "§", "para": "¶", "times": "×", "divide": "÷", "plusmn": "±", "micro": "µ",
        "iexcl": "¡", "iquest": "¿", "shy": "\u{AD}", "zwj": "\u{200D}", "zwnj": "\u{200C}",
        "aacute": "á", "agrave": "à", "acirc": "â", "auml": "ä", "aring": "å", "ccedil": "ç",
        "eacute": "é", "egrave": "è", "ecirc": "ê", "euml": "ë", "iacute": "í", "icirc": "î", "iuml": "ï",
        "ntilde": "ñ", "oacute": "ó", "ograve": "ò", "ocirc": "ô", "ouml": "ö", "oslash": "ø",
        "uacute": "ú", "ugrave": "ù", "ucirc": "û", "uuml": "ü", "szlig": "ß",
        "Auml": "Ä", "Ouml": "Ö", "Uuml": "Ü", "Eacute": "É",
    ]

    /// Decodes the reference starting at `scalars[index]` (an "&"): the scalar and the index after it.
    static func decode(_ scalars: [Unicode.Scalar], at index: Int) -> (Unicode.Scalar, Int)? {
        var i = index + 1
        guard i < scalars.count else { return nil }
        if scalars[i] == "#" {
            i += 1
            let hex = i < scalars.count && (scalars[i] == "x" || scalars[i] == "X")
            if hex { i += 1 }
            let digitsStart = i
            var value: UInt32 = 0
            while i < scalars.count, i - digitsStart < 8, let digit = Character(scalars[i]).hexDigitValue, hex || digit < 10 {
                value = value * (hex ? 16 : 10) + UInt32(digit)
                i += 1
            }
            guard i > digitsStart else { return nil }
            if i < scalars.count && scalars[i] == ";" { i += 1 }  // browsers accept a numeric reference without it
            // NUL, surrogates and values past U+10FFFF have no character: the replacement character stands in.
            return (value == 0 ? "\u{FFFD}" : Unicode.Scalar(value) ?? "\u{FFFD}", i)
        }
        var name = ""
        while i < scalars.count, name.unicodeScalars.count < 10, isASCIILetterOrDigit(scalars[i]) {
            name.unicodeScalars.append(scalars[i])
            i += 1
        }
        guard i < scalars.count, scalars[i] == ";", let scalar = named[name] else { return nil }
        return (scalar, i + 1)
    }

    static func isASCIILetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
