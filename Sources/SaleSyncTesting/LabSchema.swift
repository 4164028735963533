import AMQP
import Crypto
import Foundation
import Logging
import MariaDB
import SaleSyncCore

public enum LabSchema {
    /// The lab's product_sales table, as samples/product_sales.sql defines it.
    public static let sales: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("samples/product_sales.sql"), encoding: .utf8))
            ?? "missing samples/product_sales.sql"
    }()
}
