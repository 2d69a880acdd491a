/// An error caused by what the user gave (a file, a key, a name), described in one line that
/// names it. Front ends show the description and stop with status 2.
public protocol InputError: Error, CustomStringConvertible {}
// Each error type of user input declares its conformance beside itself.
