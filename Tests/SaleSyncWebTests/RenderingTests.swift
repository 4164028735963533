import Foundation
import SaleSyncCore
import Testing

@testable import SaleSyncWeb

@Suite struct RenderingTests {
    @Test func pagesEscapeEveryValue() throws {
        let pages = try Pages(site: "ho", role: .headOffice)
        let html = pages.library.render(MessageView(message: "<script>alert(1)</script> & \"q\""), withTemplate: "error") ?? ""
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"))
        #expect(!html.contains("<script>"))
        let layout = pages.layout(body: "<p>x</p>", title: "<b>", user: nil, csrf: nil, path: "/")
        #expect(layout.contains("<title>&lt;b&gt;") && !layout.contains("nil") && !layout.contains("Sign out"))
    }

    /// Typed view models reach the templates by their property names: values escaped, absent
    /// optionals leave their sections out, and the page's CSRF token and role reach every form.
    @Test func typedViewsRenderWithTheirPageContext() throws {
        let pages = try Pages(site: "ho", role: .headOffice)
        let open = try JSONDecoder().decode(
            Quarantine.Entry.self,
            from: Data(
                #"""
                {"id": 7, "branch": "b<1>", "file": "f.ssb", "reason": "bad \"sig\"", "created": "2026-12-01", "status": "open"}
                """#.utf8))
        let dropped = try JSONDecoder().decode(
            Quarantine.Entry.self,
            from: Data(
                #"""
                {"id": 8, "branch": "b2", "sequence": 3, "file": "g.ssb", "reason": "r", "created": "2026-12-01", "status": "dropped",
                 "decidedBy": "manager", "decidedAt": "2026-12-02"}
                """#.utf8))
        let path = NSTemporaryDirectory() + "salesync-render-\(UInt32.random(in: 0...UInt32.max)).toml"
        try
            "role = \"head-office\"\nsite = \"ho\"\nstate_dir = \"/nonexistent\"\n[database]\nuser = \"u\"\nname = \"x\"\ntables = [\"t\"]\n[rabbitmq]\nurl = \"amqp://h/\"\n[branches.b1]\npublic_key = \"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try Config.load(path)
        let view = QuarantinePage(entries: [QuarantineRow(open, config: config), QuarantineRow(dropped, config: config)])
        let operatorHTML = pages.library.render(PageView(csrf: "tok-1", mayAct: true, content: view), withTemplate: "quarantine") ?? ""
        #expect(operatorHTML.contains("b&lt;1&gt;") && operatorHTML.contains("bad &quot;sig&quot;") && !operatorHTML.contains("b<1>"))
        #expect(operatorHTML.contains("dropped by manager at 2026-12-02") && !operatorHTML.contains("open by"))
        #expect(operatorHTML.contains("action=\"/quarantine/7/retry\"") && !operatorHTML.contains("/quarantine/8/retry"))
        #expect(operatorHTML.contains("value=\"tok-1\""))
        let viewerHTML = pages.library.render(PageView(csrf: "tok-2", mayAct: false, content: view), withTemplate: "quarantine") ?? ""
        #expect(!viewerHTML.contains("/retry") && viewerHTML.contains("You are a viewer"))
    }

    @Test func theChartEscapesItsLabels() {
        let svg = SalesChart(points: [ChartPoint(series: "<b1>", period: "2026-11", value: 5)], title: "t\"").svg
        #expect(svg.contains("&lt;b1&gt;") && !svg.contains("<b1>") && svg.contains("t&quot;"))
        #expect(SalesChart(points: [], title: "x").svg.isEmpty)
    }

    @Test func jsonKeepsDecimalsExactAndEscapesText() {
        let v = JSONValue.object([
            ("total", .number("12.50")), ("name", .string("a\"b\\c\n<")), ("none", .null), ("list", .array([.int(1), .bool(true)])),
        ])
        #expect(v.text == #"{"total":12.50,"name":"a\"b\\c\n\u003c","none":null,"list":[1,true]}"#)
        #expect(
            APIController.number("1e5") == .number("1e5") && APIController.number("abc") == .string("abc")
                && APIController.number(nil) == .null)
    }

    @Test func csvQuotesWhatNeedsQuoting() {
        #expect(CSVStream.line(["a", nil, "b,c", "say \"hi\"", "two\nlines"]) == "a,,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n")
    }

    @Test func onlyLocalPathsAreFollowedAfterSignIn() {
        #expect(LoginController.safeNext("/sales?x=1") == "/sales?x=1")
        for bad in ["//evil.example/", "https://evil.example/", "\\\\evil", nil] { #expect(LoginController.safeNext(bad) == "/") }
    }
}
