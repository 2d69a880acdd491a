import Crypto
import Foundation

/// SHA-256 of file contents (swift-crypto), for the ledger's saved programs and for index freshness checks.
public enum ContentHash {
    public static func sha256Hex(_ text: String) -> String { sha256Hex(Data(text.utf8)) }

    public static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
