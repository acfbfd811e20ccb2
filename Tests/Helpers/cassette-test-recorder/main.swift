import Cassettes
import Foundation

// A second process for the cassette tests: records COUNT requests into a cassette through a
// real `CassetteTransport`, the way a test process or an evaluation run does.
//
//   cassette-test-recorder FILE MODE PREFIX COUNT [--hold]
//
// Prints `recorded I` once interaction I is on disk (journaled), `holding` (with --hold) and
// then waits for a line on stdin before closing, and `closed` once merged into the cassette.
// Errors go to stderr as `Error: …`, exit 1.

/// Answers every request at once with its own URL and body: no network needed.
struct EchoUpstream: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let body = #"{"url":"\#(request.url.absoluteString)","echo":\#(String(decoding: request.body, as: UTF8.self))}"#
        return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data(body.utf8))
    }
}

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count >= 4, let mode = RecordMode(rawValue: arguments[arguments.startIndex + 1]),
      let count = Int(arguments[arguments.startIndex + 3]) else {
    FileHandle.standardError.write(Data("USAGE: cassette-test-recorder FILE MODE PREFIX COUNT [--hold]\n".utf8))
    exit(2)
}
let file = URL(fileURLWithPath: arguments[arguments.startIndex])
let prefix = arguments[arguments.startIndex + 2]
do {
    let transport = try CassetteTransport(file: file, mode: mode, upstream: EchoUpstream(), environment: [:])
    for i in 0..<count {
        let url = URL(string: "https://api.example.test/\(prefix)/\(i)")!
        let body = Data(#"{"prefix":"\#(prefix)","i":\#(i)}"#.utf8)
        _ = try await transport.send(HTTPRequest(method: "POST", url: url, headers: ["Content-Type": "application/json"], body: body))
        say("recorded \(i)")
    }
    if arguments.contains("--hold") {
        say("holding")
        _ = readLine()
    }
    try transport.close()
    say("closed")
} catch {
    FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
    exit(1)
}
