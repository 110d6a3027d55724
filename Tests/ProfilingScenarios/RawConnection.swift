import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bare TCP connection to a loopback server, for what an HTTP client library will not do:
/// drop a request half-way, or send a request target and header bytes exactly as given
/// (clients re-encode or refuse hostile URLs before they reach the server).
///
/// Blocking calls with a receive timeout, so a server that never answers fails the scenario
/// instead of hanging it.
struct RawConnection {
    let descriptor: Int32

    init(port: Int, timeoutSeconds: Int = 20) throws {
        descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw POSIXError(.init(rawValue: code) ?? .ECONNREFUSED)
        }
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            // MSG_NOSIGNAL: a server that hangs up early must give EPIPE, not kill the tests with SIGPIPE.
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
            sent += count
        }
    }

    /// Everything the server sends until it closes the connection (or resets it).
    func receiveAll() throws -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                received += buffer[0..<count]
            } else if count == 0 || errno == ECONNRESET {
                return received
            } else if errno != EINTR {
                throw POSIXError(.init(rawValue: errno) ?? .EIO)
            }
        }
    }

    /// Closes with SO_LINGER 0, so the peer sees a reset rather than an orderly end.
    func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        Glibc.close(descriptor)
    }

    func close() {
        Glibc.close(descriptor)
    }

    /// `GET /<target>` with these header lines (raw bytes, sent as given) on a fresh
    /// connection that the server closes after answering: the status and headers of the
    /// answer, or nil when the server closed without one. The blocking socket calls run on a
    /// thread of their own, so they never take one of the cooperative pool's few threads
    /// from the server under test.
    static func get(port: Int, target: [UInt8], headers: [[UInt8]]) async throws -> ScenarioResponse? {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try blockingGet(port: port, target: target, headers: headers) }) }.start()
        }
    }

    private static func blockingGet(port: Int, target: [UInt8], headers: [[UInt8]]) throws -> ScenarioResponse? {
        let connection = try RawConnection(port: port)
        defer { connection.close() }
        var request = Array("GET /".utf8) + target + Array(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".utf8)
        for header in headers { request += header + Array("\r\n".utf8) }
        request += Array("\r\n".utf8)
        do {
            try connection.send(request)
        } catch let error as POSIXError where error.code == .EPIPE || error.code == .ECONNRESET {
            // The server refused the request before reading all of it; its answer (if any) is read below.
        }
        return ScenarioResponse(parsing: try connection.receiveAll())
    }
}
