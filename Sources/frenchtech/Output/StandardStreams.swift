#if canImport(Glibc)
import Glibc
#endif

enum StandardStreams {
    /// Makes stdin, stdout and stderr safe to use before anything else opens a file.
    ///
    /// A descriptor 0, 1 or 2 left closed by the caller (`exec 1>&-`) would be the next one `open` returns: the
    /// registry or an export file would then receive what is meant for stdout. Each is given /dev/null instead,
    /// stdout read-only, so that writing data to it fails (EBADF) and the command reports it, as SQLite does for
    /// its own files. SIGPIPE gets its default action even when the caller ignored it: a closed pipe (`| head`)
    /// ends the command at once and silently, like `cat` or `grep` (status 141 in the shell).
    static func prepare() {
        for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            _ = open("/dev/null", descriptor == 2 ? O_WRONLY : O_RDONLY)
        }
        signal(SIGPIPE, SIG_DFL)
    }
}
