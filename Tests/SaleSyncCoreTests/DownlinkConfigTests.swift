import Foundation
import SaleSyncCore
import SaleSyncTesting
import Testing

/// `[downlink]` is read strictly: each role may say only its part, and a mistake names the key.
@Suite struct DownlinkConfigTests {
    func load(_ role: String, _ top: String, _ downlink: String) throws -> Config {
        try ConfigFixture.load(role: role, top: top, sections: "[downlink]\n\(downlink)")
    }

    func refusal(_ body: () throws -> Config) -> String {
        do {
            _ = try body()
            return ""
        } catch { return "\(error)" }
    }

    @Test func theHeadOfficeDeclaresTablesAndBranchColumns() throws {
        let c = try load(
            "head-office", "key_file = \"/k\"",
            "tables = [\"products\", \"promotions\"]\n[downlink.branch_columns]\npromotions = \"branch_id\"")
        #expect(c.downlink.tables == ["products", "promotions"])
        #expect(c.downlink.branchColumns == ["promotions": "branch_id"])
        #expect(c.downlinkCapture.database.tables == ["products", "promotions"])
    }

    @Test func mistakesNameTheKey() {
        #expect(refusal { try load("head-office", "", "tables = [\"products\"]") }.contains("key key_file: required with downlink.tables"))
        #expect(
            refusal { try load("head-office", "key_file = \"/k\"", "tables = [\"product_sales\"]") }
                .contains("product_sales is also in database.tables"))
        #expect(
            refusal { try load("head-office", "key_file = \"/k\"", "tables = [\"a\"]\n[downlink.branch_columns]\nb = \"x\"") }
                .contains("downlink.branch_columns.b: b is not in downlink.tables"))
        #expect(
            refusal { try load("branch", "key_file = \"/k\"", "tables = [\"products\"]") }.contains("declared at the head office only"))
        #expect(refusal { try load("branch", "key_file = \"/k\"", "head_office_key = \"nope\"") }.contains("downlink.head_office_key"))
        #expect(
            refusal { try load("head-office", "key_file = \"/k\"", "tables = [\"products\"]\ncheck_every = \"1h\"") }
                .contains("key downlink.check_every: belongs in a branch's config"))
        #expect(refusal { try load("head-office", "key_file = \"/k\"", "chunk_size = \"12\"") }.contains("key downlink.chunk_size"))
    }

    @Test func aBranchSaysHowOftenItComparesItsCopy() throws {
        let key = "head_office_key = \"\(Data(count: 32).base64EncodedString())\""
        #expect(try load("branch", "key_file = \"/k\"", key).downlink.checkEvery == 3600)
        #expect(try load("branch", "key_file = \"/k\"", key + "\ncheck_every = \"0\"").downlink.checkEvery == 0)
        #expect(try load("head-office", "key_file = \"/k\"", "tables = [\"products\"]").downlink.chunkSize == 64 << 10)
    }
}
