import SaleSyncCore
import Testing
@testable import SaleSyncWeb

@Suite struct RenderingTests {
    @Test func pagesEscapeEveryValue() throws {
        let pages = try Pages(site: "ho", role: .headOffice)
        let html = pages.library.render(["message": "<script>alert(1)</script> & \"q\""], withTemplate: "error") ?? ""
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"))
        #expect(!html.contains("<script>"))
        let layout = pages.layout(body: "<p>x</p>", title: "<b>", user: nil, csrf: nil, path: "/")
        #expect(layout.contains("<title>&lt;b&gt;") && !layout.contains("nil") && !layout.contains("Sign out"))
    }

    @Test func theChartEscapesItsLabels() {
        let svg = SalesChart(points: [ChartPoint(series: "<b1>", period: "2026-11", value: 5)], title: "t\"").svg
        #expect(svg.contains("&lt;b1&gt;") && !svg.contains("<b1>") && svg.contains("t&quot;"))
        #expect(SalesChart(points: [], title: "x").svg.isEmpty)
    }

    @Test func jsonKeepsDecimalsExactAndEscapesText() {
        let v = JSONValue.object([("total", .number("12.50")), ("name", .string("a\"b\\c\n<")), ("none", .null), ("list", .array([.int(1), .bool(true)]))])
        #expect(v.text == #"{"total":12.50,"name":"a\"b\\c\n\u003c","none":null,"list":[1,true]}"#)
        #expect(Console.number("1e5") == .number("1e5") && Console.number("abc") == .string("abc") && Console.number(nil) == .null)
    }

    @Test func csvQuotesWhatNeedsQuoting() {
        #expect(CSVStream.line(["a", nil, "b,c", "say \"hi\"", "two\nlines"]) == "a,,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n")
    }

    @Test func onlyLocalPathsAreFollowedAfterSignIn() {
        #expect(Console.safeNext("/sales?x=1") == "/sales?x=1")
        for bad in ["//evil.example/", "https://evil.example/", "\\\\evil", nil] { #expect(Console.safeNext(bad) == "/") }
    }
}
