import AMQP
import MariaDB

/// What kind of failure ended a command; decides the exit status (see docs/exit-codes in README).
public enum FailureClass: Int32, Sendable {
    /// Bad input data (a refused bundle, an ack that does not match): EX_DATAERR.
    case data = 65
    /// Temporary: broker or database unreachable, deadline reached with work left: EX_TEMPFAIL.
    case temporary = 75
    /// Bad configuration, key or password file: EX_CONFIG.
    case config = 78
    /// Anything else.
    case other = 1
}
