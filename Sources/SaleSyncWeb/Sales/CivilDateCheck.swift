/// Calendar checks for filter dates (proleptic Gregorian, as MariaDB's DATE).
enum CivilDateCheck {
    static func days(_ y: Int, _ m: Int) -> Int {
        [31, (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    }

    static func valid(_ s: String) -> Bool {
        let p = s.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3, (1...9999).contains(p[0]), (1...12).contains(p[1]) else { return false }
        return (1...days(p[0], p[1])).contains(p[2])
    }
}
