/// One bar of the sales chart: a series (branch), a period (day or month) and its total.
public struct ChartPoint: Sendable, Equatable {
    public var series: String
    public var period: String
    public var value: Double
}
