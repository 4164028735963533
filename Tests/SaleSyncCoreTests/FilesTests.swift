import Foundation
import SaleSyncCore
import Testing

/// The file helpers the downlink's packs and the sticks' acks rely on.
@Suite struct FilesTests {
    let dir = NSTemporaryDirectory() + "salesync-files-\(UUID().uuidString)"

    @Test func ensureDirectoryMakesParentsAndAcceptsWhatIsThere() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let deep = dir + "/a/b/c"
        try ensureDirectory(deep)
        var isDir: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: deep, isDirectory: &isDir) && isDir.boolValue)
        try ensureDirectory(deep)  // already there: nothing to do, no error
        try ensureDirectory(dir + "/a/b/c/")
    }

    @Test func aFileInTheWayIsNamed() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ensureDirectory(dir)
        try writeFile(path: dir + "/f", bytes: [1], sync: false)
        let e = #expect(throws: SyncError.self) { try ensureDirectory(dir + "/f") }
        #expect("\(e.map { "\($0)" } ?? "")".contains(dir + "/f"))
        #expect(throws: SyncError.self) { try ensureDirectory(dir + "/f/g") }
    }

    @Test func aRangeOfAFileIsReadAndAShortFileRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ensureDirectory(dir)
        try writeFile(path: dir + "/p", bytes: Array(0..<100), sync: false)
        #expect(try readFile(dir + "/p", offset: 10, length: 5) == [10, 11, 12, 13, 14])
        #expect(try readFile(dir + "/p", offset: 0, length: 0) == [])
        let e = #expect(throws: SyncError.self) { try readFile(dir + "/p", offset: 90, length: 20) }
        #expect("\(e.map { "\($0)" } ?? "")".contains("shorter"))
        #expect(throws: SyncError.self) { try readFile(dir + "/missing", offset: 0, length: 1) }
    }
}
