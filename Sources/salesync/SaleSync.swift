import ArgumentParser

/// The `salesync` command: keeps a head office's sales tables in step with its branches.
struct SaleSync: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "salesync",
        abstract: "Keeps a head office's sales database in step with its branch offices.",
        discussion: """
            A branch exports its changes into signed bundle files and drains them to RabbitMQ \
            (or a USB stick); the head office ingests each bundle exactly once, in order, and \
            acknowledges it. Exit status: 0 done; 64 wrong command-line usage; 65 bad data (a refused \
            bundle or ack file; `verify`: drift); 75 temporary, nothing to do, the next run continues (link or \
            server down, deadline reached or window closed, stopped by a signal, acknowledgements outstanding); \
            78 bad configuration, key or password file, or credentials refused by the database or broker; \
            1 anything else.
            """,
        version: Version.current,
        subcommands: [
            InitCommand.self, KeygenCommand.self, ExportCommand.self, DrainCommand.self, RunCommand.self, AcksCommand.self,
            IngestCommand.self, RejoinCommand.self, BranchCommand.self, StatusCommand.self, VerifyCommand.self, QuarantineCommand.self,
            BundleCommand.self,
            ServeCommand.self, UserCommand.self, SchemaCommand.self,
        ])

    // Declared here too so that `salesync --config FILE init` works as well as `salesync init --config FILE`.
    @OptionGroup var global: GlobalOptions
}
