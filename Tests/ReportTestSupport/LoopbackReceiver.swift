import Foundation

/// A small Pyroscope stand-in on 127.0.0.1: Python's http.server, started by the test. It
/// answers each POST with the next status of `statuses` (then 200) and saves the request
/// line, headers and body of each, so the test can check what the exporter sent.
public final class LoopbackReceiver {
    public struct Received {
        public var requestLine: String
        public var headers: [String: String]
        public var body: Data
    }

    public let port: Int
    private let process: Process
    private let directory: TemporaryDirectory

    private static let script = #"""
    import http.server, os, sys
    out, statuses = sys.argv[1], [int(s) for s in sys.argv[2].split(",") if s]
    trickles = len(sys.argv) > 3 and sys.argv[3] == "trickle"
    count = [0]
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def do_POST(self):
            n = count[0]; count[0] += 1
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                body = b""
                while True:
                    size = int(self.rfile.readline().strip(), 16)
                    if size == 0:
                        self.rfile.readline(); break
                    body += self.rfile.read(size); self.rfile.readline()
            else:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with open(os.path.join(out, "%d.body" % n), "wb") as f: f.write(body)
            with open(os.path.join(out, "%d.tmp" % n), "w") as f:
                f.write(self.requestline + "\n" + "".join("%s: %s\n" % kv for kv in self.headers.items()))
            os.rename(os.path.join(out, "%d.tmp" % n), os.path.join(out, "%d.request" % n))
            if trickles:
                # A server (or proxy) that never finishes its answer but is never idle either.
                import time
                self.wfile.write(b"HTTP/1.1 200 OK\r\n"); self.wfile.flush()
                for _ in range(600):
                    time.sleep(0.2); self.wfile.write(b"X-Wait: 1\r\n"); self.wfile.flush()
                return
            self.send_response(statuses[n] if n < len(statuses) else 200)
            self.send_header("Content-Length", "0"); self.end_headers()
        def log_message(self, *args): pass
    server = (http.server.ThreadingHTTPServer if trickles else http.server.HTTPServer)(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """#

    /// - Parameter trickles: answer each request with a header line every 0.2 s for two
    ///   minutes instead, never finishing: a server that is slow but never idle.
    public init(statuses: [Int] = [], trickles: Bool = false) throws {
        directory = try TemporaryDirectory()
        let python = try ExternalTool.python()
        process = Process()
        process.executableURL = URL(fileURLWithPath: python.path)
        process.arguments = ["-c", Self.script, directory.url.path, statuses.map(String.init).joined(separator: ","), trickles ? "trickle" : "answer"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw ReceiverError(message: "the receiver did not start: \(String(decoding: line, as: UTF8.self))")
        }
        self.port = port
    }

    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// The requests received so far, in order.
    public func received() throws -> [Received] {
        var requests: [Received] = []
        while true {
            let head = directory.url.appendingPathComponent("\(requests.count).request")
            guard let text = try? String(contentsOf: head, encoding: .utf8) else { return requests }
            let lines = text.split(separator: "\n").map(String.init)
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let body = try Data(contentsOf: directory.url.appendingPathComponent("\(requests.count).body"))
            requests.append(Received(requestLine: lines.first ?? "", headers: headers, body: body))
        }
    }

    /// Kills the server with SIGKILL: a child of the test process may inherit a signal mask
    /// that blocks SIGTERM, and then `terminate()` would leave it running.
    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        directory.remove()
    }

    public struct ReceiverError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
