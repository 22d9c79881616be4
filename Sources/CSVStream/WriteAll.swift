#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A write that did not go through: a full disk (ENOSPC), a closed descriptor (EBADF), an I/O error.
public struct WriteError: Error, CustomStringConvertible, Equatable, Sendable {
    public let errno: Int32

    public init(errno: Int32) {
        self.errno = errno
    }

    public var description: String {
        "cannot write output: \(String(cString: strerror(errno)))"
    }
}

/// Writes every byte of `bytes` to `descriptor`, again after a short write or EINTR; any other failure throws.
/// The package's one write loop: CSV, reports on stdout and files written whole all go through it, so that no
/// output is ever dropped in silence.
public func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws(WriteError) {
    guard let base = bytes.baseAddress else { return }
    var offset = 0
    while offset < bytes.count {
        let written = write(descriptor, base + offset, bytes.count - offset)
        if written > 0 {
            offset += written
        } else if written < 0 && errno == EINTR {
            continue
        } else {
            // write(2) returns 0 only for a zero-byte request; treat it as the device refusing more.
            throw WriteError(errno: written == 0 ? ENOSPC : errno)
        }
    }
}

/// `writeAll` for a String's UTF-8.
public func writeAll(_ text: String, to descriptor: Int32) throws(WriteError) {
    var text = text
    let failure: WriteError? = text.withUTF8 { bytes in
        do throws(WriteError) {
            try writeAll(UnsafeRawBufferPointer(bytes), to: descriptor)
            return nil
        } catch {
            return error
        }
    }
    if let failure { throw failure }
}
