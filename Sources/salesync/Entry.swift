import ArgumentParser
import Dispatch

/// The process's entry point: parses the command line and runs the command on the main thread.
///
/// Why not `AsyncParsableCommand`'s own `main`: an async `main` starts Swift's concurrency
/// runtime and a worker thread before anything else, which every short command (an `ingest`
/// of one bundle, an `export` from cron) paid at start. Only `serve` is asynchronous; it alone
/// runs as a task, the main thread waiting for it.
@main
enum Entry {
    static func main() {
        do {
            var command = try SaleSync.parseAsRoot()
            if let async = command as? AsyncParsableCommand {
                try runAsync(async)
            } else {
                try command.run()
            }
        } catch {
            SaleSync.exit(withError: error)
        }
    }

    private static func runAsync(_ command: AsyncParsableCommand) throws {
        nonisolated(unsafe) var command = command
        nonisolated(unsafe) var failure: Error?
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { try await command.run() } catch { failure = error }
            done.signal()
        }
        done.wait()
        if let failure { throw failure }
    }
}
