import Foundation
import TOMLKit

/// Which side of the sync a site plays.
public enum Role: String, Sendable {
    case branch
    case headOffice = "head-office"
}
