import SaleSyncCore
import Testing

/// A site id names queues, files and folders: 1-64 ASCII letters, digits, '_' or '-'.
@Suite struct SiteIDTests {
    @Test(arguments: ["bo1", "HO", "shop_12-north", String(repeating: "a", count: 64), "0"])
    func accepted(_ id: String) {
        #expect(Config.isSiteID(id))
    }

    @Test(arguments: ["", String(repeating: "a", count: 65), "bo 1", "bo/1", "bo.1", "bö1", "bo1\n", "..", "bo1%"])
    func refused(_ id: String) {
        #expect(!Config.isSiteID(id))
    }
}
