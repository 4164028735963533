import ArgumentParser
import Foundation
import SaleSyncCore
import SaleSyncWeb

/// `salesync serve`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the site's web console (branches, sales, quarantine at the head office; sales and sync at a branch).",
        discussion: """
            Users come from [web] users_file (see salesync user add). Example:
              salesync serve --listen 127.0.0.1:8080
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "ADDR:PORT to listen on (default: [web] listen, else 127.0.0.1:8080).")
    var listen: String?

    func run() async throws {
        let config: Config
        let console: Console
        let logger = Context.makeLogger(global.level)
        do {
            config = try Config.load(global.configPath)
            for w in config.warnings { logger.warning("\(w)") }
            console = try Console(config: config, logger: logger)
            try await console.checkDatabase()
        } catch {
            throw ExitCode(Context.report(error))
        }
        do {
            try await console.run(listen: listen ?? config.web.listen)
        } catch {
            throw ExitCode(Context.report(error))
        }
    }
}
