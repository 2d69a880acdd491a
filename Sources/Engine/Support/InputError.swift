/// An error caused by what the user gave (a file, a key, a name), described in one line that
/// names it. Front ends show the description and stop with status 2.
public protocol InputError: Error, CustomStringConvertible {}

extension JSONReadError: InputError {}
extension DatasetError: InputError {}
extension ProgramStoreError: InputError {}
extension FetchError: InputError {}
extension ExtractionError: InputError {}
extension LedgerError: InputError {}
extension PricingError: InputError {}
