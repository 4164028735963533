/// What fills a branch's change logs at each export when triggers do not (`[capture] mode`).
enum CaptureFeed {
    case binlog(BinlogFeed)
    case compare(CompareFeed)
}
