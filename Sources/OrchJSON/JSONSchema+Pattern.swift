/// JSON Schema's `pattern` is an ECMA-262 regular expression; `NSRegularExpression` runs
/// ICU's dialect. This rewrites the constructs whose meaning differs so a pattern accepts
/// what a JavaScript validator accepts:
/// - `$` is the end of the input (ICU's also matches before a final line break, so
///   `^[a-z]+$` let `"abc\n"` through): written `(?:\z)`.
/// - `\d`, `\w` and their negations are ASCII (ICU's are Unicode, so `^\d+$` took `"٣"`).
/// - `[` and `&` inside a class are literal (ICU reads nested sets and `&&` there).
enum ECMAPattern {
    static func icu(_ source: String) -> String {
        var out = String.UnicodeScalarView()
        var scalars = source.unicodeScalars.makeIterator()
        var inClass = false
        // After `\d` in a class, `-` is a hyphen (ECMA-262 B.1.2), never the start of a range.
        var afterClassEscape = false
        func append(_ text: String) { out.append(contentsOf: text.unicodeScalars) }
        while let scalar = scalars.next() {
            let wasAfterClassEscape = afterClassEscape
            afterClassEscape = false
            switch scalar {
            case "\\":
                guard let escaped = scalars.next() else { append("\\"); continue }
                // Inside a class these are ICU nested sets, which add their members.
                switch escaped {
                case "d": append("[0-9]")
                case "w": append("[A-Za-z0-9_]")
                case "D": append("[^0-9]")
                case "W": append("[^A-Za-z0-9_]")
                default: out.append("\\"); out.append(escaped); continue
                }
                afterClassEscape = inClass
            case "[" where inClass, "&" where inClass, "-" where wasAfterClassEscape:
                out.append("\\"); out.append(scalar)
            case "[":
                inClass = true
                out.append(scalar)
                // A `]` right after `[` or `[^` would end an ECMA class (`[]` matches nothing);
                // ICU reads it as a literal. Rare enough to leave as ICU has it.
            case "]" where inClass:
                inClass = false
                out.append(scalar)
            case "$" where !inClass:
                append("(?:\\z)")  // a group, since ICU (unlike for `$`) refuses `\z+`
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }
}
