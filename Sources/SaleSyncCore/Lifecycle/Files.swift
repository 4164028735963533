import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes `bytes` to `path` so that a crash at any instant leaves either the old file or the
/// complete new one: temporary name, fsync, rename, fsync of the directory.
public func writeFileAtomically(path: String, bytes: [UInt8], mode: mode_t = 0o644) throws {
    let tmp = path + ".tmp"
    try writeDurably(path: tmp, bytes: bytes, mode: mode)
    try renameDurably(from: tmp, to: path)
}

/// Writes and fsyncs a file (no rename).
public func writeDurably(path: String, bytes: [UInt8], mode: mode_t = 0o644) throws {
    try writeFile(path: path, bytes: bytes, mode: mode, sync: true)
}

/// Writes `bytes` to `path`, fsynced if `sync`; a caller writing many files leaves it false and
/// calls `syncFileSystem` once after the last (one flush instead of one per file).
public func writeFile(path: String, bytes: [UInt8], mode: mode_t = 0o644, sync: Bool) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard fd >= 0 else { throw SyncError.other("cannot create \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var off = 0
    while off < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + off, bytes.count - off) }
        if n < 0 {
            if errno == EINTR { continue }
            throw SyncError.other("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        off += n
    }
    _ = fchmod(fd, mode)
    guard !sync || fsync(fd) == 0 else { throw SyncError.other("cannot fsync \(path): \(String(cString: strerror(errno)))") }
}

/// glibc's syncfs(2), which Swift's Glibc module does not expose (it needs _GNU_SOURCE).
@_silgen_name("syncfs") private func linuxSyncfs(_ fd: Int32) -> Int32

/// Flushes everything written to the file system holding `directory` (files, their names,
/// renames) to disk: after it, a power cut loses none of it.
public func syncFileSystem(_ directory: String) throws {
    let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw SyncError.other("cannot open \(directory): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    guard linuxSyncfs(fd) == 0 else { throw SyncError.other("cannot sync \(directory): \(String(cString: strerror(errno)))") }
}

/// Renames and fsyncs the target's directory so the rename itself survives a power cut.
public func renameDurably(from: String, to: String) throws {
    try renameFile(from: from, to: to)
    fsyncDirectory(of: to)
}

/// Renames, not flushed: for a caller that flushes many at once (`syncFileSystem`).
public func renameFile(from: String, to: String) throws {
    guard rename(from, to) == 0 else {
        throw SyncError.other("cannot rename \(from) to \(to): \(String(cString: strerror(errno)))")
    }
}

/// fsyncs the directory holding `path`.
public func fsyncDirectory(of path: String) {
    let dir = (path as NSString).deletingLastPathComponent
    flushDirectory(dir.isEmpty ? "." : dir)
}

/// fsyncs directory `dir`: the names created, linked or removed in it survive a power cut.
public func flushDirectory(_ dir: String) {
    let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd >= 0 { _ = fsync(fd); close(fd) }
}

/// Creates a directory (and parents) if missing, with `mode` (the umask applies, as to any file).
public func ensureDirectory(_ path: String, mode: Int = 0o750) throws {
    // mkdir(2) and stat(2), not FileManager, whose path resolution cost more than the rest of
    // writing a downlink frame or an ack (200 branches' folders at every export).
    var st = stat()
    if stat(path, &st) == 0 {
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw SyncError.other("cannot create directory \(path): a file is in the way") }
        return
    }
    let parent = (path as NSString).deletingLastPathComponent
    if !parent.isEmpty && parent != path { try ensureDirectory(parent, mode: mode) }
    // EEXIST: made meanwhile by another process, which is as good.
    guard mkdir(path, mode_t(mode)) == 0 || errno == EEXIST else {
        throw SyncError.other("cannot create directory \(path): \(String(cString: strerror(errno)))")
    }
}

/// Reads a whole file.
public func readFile(_ path: String) throws -> [UInt8] {
    guard let d = FileManager.default.contents(atPath: path) else {
        throw SyncError.other("cannot read \(path)")
    }
    return Array(d)
}

/// `length` bytes of a file from `offset` (pread(2)): one record's part of a file many share.
public func readFile(_ path: String, offset: Int, length: Int) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw SyncError.other("cannot read \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var out = [UInt8](repeating: 0, count: length)
    var done = 0
    while done < length {
        let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, length - done, off_t(offset + done)) }
        if n < 0 && errno == EINTR { continue }
        guard n >= 0 else { throw SyncError.other("cannot read \(path): \(String(cString: strerror(errno)))") }
        guard n > 0 else { throw SyncError.other("cannot read \(length) bytes at \(offset) of \(path): the file is shorter") }
        done += n
    }
    return out
}

/// Removes a file if it is there (unlink(2); FileManager builds an error object for a missing
/// file, which cost more than the rest of writing a downlink frame).
public func removeFileIfPresent(_ path: String) {
    _ = unlink(path)
}
