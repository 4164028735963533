import Foundation
import SaleSyncCore

struct MetricsWriter {
    var text = ""
    mutating func gauge(_ name: String, _ help: String, _ samples: [(String, Double)]) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
        for (labels, v) in samples { text += "\(name){\(labels)} \(v == v.rounded() ? String(Int64(v)) : String(v))\n" }
    }
}
