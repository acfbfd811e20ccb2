import Foundation
import OrchJSON
@testable import Sandbox
import Testing

/// The hostile corpus, run with every layer on. Each case checks its specific safe outcome,
/// then that it left no trace: the marker file it aimed at does not exist, the loopback
/// listener saw no connection, no process outlived the job, and the sandbox still answers.
/// Serialized: every case starts its own fork server, and fifty at once would crowd a small CI
/// machine for no gain.
@Suite(.enabled(if: Python.available, Python.missing), .serialized)
struct HostileSnippetTests {
    enum Expected: Sendable, CustomStringConvertible {
        case rejected(mentioning: String, line: Int)
        case python(type: String, line: Int?, message: String? = nil)
        case syntaxError(mentioning: String)
        case timeout
        case cpuLimit
        case memoryLimit
        case tooLarge(stream: String)
        case nonJSON(type: String, message: String? = nil)
        case crashed(mentioning: String)

        func matches(_ error: SandboxError) -> Bool {
            switch (self, error) {
            case (.rejected(let text, let line), .rejected(let reason, let actual)):
                reason.contains(text) && actual == line
            case (.python(let type, let line, let message), .pythonError(let actualType, let actualMessage, let actualLine)):
                type == actualType && (line == nil || line == actualLine) && Self.contains(actualMessage, message)
            case (.syntaxError(let text), .syntaxError(let message, _)):
                message.contains(text)
            case (.timeout, .timeout), (.cpuLimit, .cpuLimit), (.memoryLimit, .memoryLimit):
                true
            case (.tooLarge(let stream), .outputTooLarge(let actual, _)):
                stream == actual
            case (.nonJSON(let type, let message), .nonJSONOutput(let actual, let actualMessage)):
                type == actual && Self.contains(actualMessage, message)
            case (.crashed(let text), .crashed(let reason)):
                reason.contains(text)
            default:
                false
            }
        }

        private static func contains(_ text: String, _ part: String?) -> Bool {
            part.map { text.contains($0) } ?? true
        }

        var description: String {
            switch self {
            case .rejected(let text, let line): "rejected mentioning '\(text)' at line \(line)"
            case .python(let type, let line, let message):
                "\(type) at line \(line.map(String.init) ?? "?")\(message.map { " mentioning '\($0)'" } ?? "")"
            case .syntaxError(let text): "syntax error mentioning '\(text)'"
            case .timeout: "timeout"
            case .cpuLimit: "CPU limit"
            case .memoryLimit: "memory limit"
            case .tooLarge(let stream): "\(stream) too large"
            case .nonJSON(let type, let message): "non-JSON output of type \(type)\(message.map { " mentioning '\($0)'" } ?? "")"
            case .crashed(let text): "crashed mentioning '\(text)'"
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// `MARKER` becomes a fresh path in /tmp, `PORT` the loopback listener's port.
        let code: String
        let expected: Expected
        var timeout: Duration? = nil
        var cpuSeconds: Int? = nil
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // Object-graph walks to interpreter internals.
        Case(name: "subclass walk", code: "output = ().__class__.__bases__[0].__subclasses__()",
             expected: .rejected(mentioning: "__subclasses__", line: 1)),
        Case(name: "subclass walk to Popen", code: """
            for c in object.__subclasses__():
                if c.__name__ == 'Popen':
                    c(['/bin/touch', 'MARKER'])
            """, expected: .rejected(mentioning: "__subclasses__", line: 1)),
        Case(name: "generator frame globals", code: "g = (x for x in [1])\noutput = g.gi_frame.f_globals",
             expected: .rejected(mentioning: "f_globals", line: 2)),
        Case(name: "generator frame alone", code: "def gen():\n    yield 1\ng = gen()\nnext(g)\nf = g.gi_frame",
             expected: .rejected(mentioning: "gi_frame", line: 5)),
        Case(name: "traceback frame walk", code: """
            try:
                1 / 0
            except Exception as e:
                output = e.__traceback__.tb_frame.f_back.f_globals
            """, expected: .rejected(mentioning: "f_globals", line: 4)),
        Case(name: "code object constants", code: "output = (x for x in []).gi_code.co_consts",
             expected: .rejected(mentioning: "co_consts", line: 1)),
        Case(name: "method resolution order", code: "output = int.mro()",
             expected: .rejected(mentioning: "mro", line: 1)),
        Case(name: "match pattern reads an attribute", code: "match 1:\n    case int(__class__=c):\n        output = c",
             expected: .rejected(mentioning: "__class__", line: 2)),
        // Attribute access hidden in format strings.
        Case(name: "format string attribute walk", code: "output = '{0.__class__.__mro__}'.format(1)",
             expected: .rejected(mentioning: "format field", line: 1)),
        Case(name: "str.format on a non-literal", code: "output = str.format('{0.__globals__}', len)",
             expected: .rejected(mentioning: "string literal", line: 1)),
        Case(name: "format_map attribute walk", code: "output = '{x.__class__}'.format_map({'x': 1})",
             expected: .rejected(mentioning: "format field", line: 1)),
        // Recovering the real builtins.
        Case(name: "__builtins__ by name", code: "b = __builtins__\noutput = b['open']('MARKER', 'w')",
             expected: .rejected(mentioning: "__builtins__", line: 1)),
        Case(name: "function globals", code: "output = (lambda: 0).__globals__['__builtins__']",
             expected: .rejected(mentioning: "__globals__", line: 1)),
        Case(name: "builtin's module via __self__", code: "output = print.__self__.open",
             expected: .rejected(mentioning: "__self__", line: 1)),
        Case(name: "getattr with a string", code: "output = getattr((), '__class__')",
             expected: .rejected(mentioning: "getattr", line: 1)),
        Case(name: "globals()", code: "output = list(globals())", expected: .rejected(mentioning: "globals", line: 1)),
        Case(name: "vars()", code: "output = vars()", expected: .rejected(mentioning: "vars", line: 1)),
        Case(name: "type() to build classes", code: "T = type('T', (), {})", expected: .rejected(mentioning: "type", line: 1)),
        // Import tricks.
        Case(name: "__import__", code: "os = __import__('os')\nos.system('/bin/touch MARKER')",
             expected: .rejected(mentioning: "__import__", line: 1)),
        Case(name: "import os", code: "import os\nos.system('/bin/touch MARKER')", expected: .rejected(mentioning: "'os'", line: 1)),
        Case(name: "importlib", code: "import importlib\nimportlib.import_module('os')",
             expected: .rejected(mentioning: "'importlib'", line: 1)),
        Case(name: "sys.modules", code: "import math\nimport sys\nsys.modules['os'].system('/bin/touch MARKER')",
             expected: .rejected(mentioning: "'sys'", line: 2)),
        Case(name: "from subprocess import run", code: "from subprocess import run\nrun(['/bin/touch', 'MARKER'])",
             expected: .rejected(mentioning: "'subprocess'", line: 1)),
        Case(name: "relative import", code: "from . import secrets", expected: .rejected(mentioning: "relative", line: 1)),
        Case(name: "allowed module's own imports (json.codecs)", code: "import json\njson.codecs.open('MARKER', 'w').write('x')",
             expected: .python(type: "AttributeError", line: 2)),
        Case(name: "allowed module's own imports (re.enum.sys)", code: "import re\nos = re.enum.sys.modules['os']",
             expected: .python(type: "AttributeError", line: 2)),
        Case(name: "private module attribute (collections._sys)", code: "import collections\nos = collections._sys.modules['os']",
             expected: .python(type: "AttributeError", line: 2, message: "no attribute '_sys'")),
        Case(name: "string.Formatter attribute lookups", code: "import string\nf = string.Formatter().get_field('0.__class__', [1], {})",
             expected: .python(type: "AttributeError", line: 2)),
        // Evaluating code.
        Case(name: "eval", code: "output = eval('1 + 1')", expected: .rejected(mentioning: "eval", line: 1)),
        Case(name: "exec", code: "x = 1\nexec('import os')", expected: .rejected(mentioning: "exec", line: 2)),
        Case(name: "compile", code: "c = compile('1', 'x', 'eval')", expected: .rejected(mentioning: "compile", line: 1)),
        // Files, sockets, processes, signals, the interpreter itself.
        Case(name: "file write", code: "open('MARKER', 'w').write('pwned')", expected: .rejected(mentioning: "open", line: 1)),
        Case(name: "socket to the host's loopback", code: "import socket\nsocket.create_connection(('127.0.0.1', PORT))",
             expected: .rejected(mentioning: "'socket'", line: 1)),
        Case(name: "fork bomb", code: "import os\nwhile True:\n    os.fork()", expected: .rejected(mentioning: "'os'", line: 1)),
        Case(name: "signal tampering", code: "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)",
             expected: .rejected(mentioning: "'signal'", line: 1)),
        Case(name: "exit()", code: "exit(1)", expected: .rejected(mentioning: "exit", line: 1)),
        Case(name: "raise SystemExit (an error like any other)", code: "x = 1\nraise SystemExit(3)", expected: .python(type: "SystemExit", line: 2)),
        Case(name: "BaseException subclass past 'except Exception'", code: "class Quit(BaseException):\n    pass\nraise Quit()",
             expected: .python(type: "Quit", line: 3)),
        // Resource exhaustion.
        Case(name: "memory bomb: huge string", code: "output = 'x' * 10**10", expected: .memoryLimit),
        Case(name: "memory bomb: list growth", code: "a = []\nwhile True:\n    a.append(' ' * 10**6)", expected: .memoryLimit),
        Case(name: "CPU loop", code: "n = 0\nwhile True:\n    n += 1", expected: .cpuLimit, timeout: .seconds(20), cpuSeconds: 1),
        Case(name: "while True: pass", code: "while True:\n    pass", expected: .timeout, timeout: .seconds(1)),
        Case(name: "regex catastrophic backtracking", code: "import re\nre.match(r'(a+)+$', 'a' * 64 + 'b')",
             expected: .timeout, timeout: .seconds(1)),
        Case(name: "exception whose message never ends", code: """
            class Endless(Exception):
                def __str__(self):
                    while True:
                        pass
            raise Endless()
            """, expected: .timeout, timeout: .seconds(1)),
        Case(name: "recursion bomb", code: "def f(n):\n    return f(n + 1)\noutput = f(0)",
             expected: .python(type: "RecursionError", line: 2)),
        Case(name: "huge output", code: "output = 'x' * (2 * 1024 * 1024)", expected: .tooLarge(stream: "output")),
        Case(name: "huge print", code: "while True:\n    print('x' * 1000)", expected: .tooLarge(stream: "stdout")),
        // Outputs that are not JSON.
        Case(name: "set output", code: "output = {1, 2}", expected: .nonJSON(type: "set")),
        Case(name: "object output", code: "class Thing:\n    pass\noutput = Thing()", expected: .nonJSON(type: "Thing")),
        Case(name: "NaN output", code: "output = float('nan')", expected: .nonJSON(type: "float")),
        Case(name: "bytes output", code: "output = b'abc'", expected: .nonJSON(type: "bytes")),
        Case(name: "function output", code: "output = len", expected: .nonJSON(type: "builtin_function_or_method")),
        Case(name: "number beyond a double's range", code: "output = 10**400", expected: .nonJSON(type: "value")),
        Case(name: "nesting too deep for JSON", code: "x = []\nfor _ in range(100000):\n    x = [x]\noutput = x",
             expected: .nonJSON(type: "list")),
    ]

    /// The original corpus, the red-team additions (`RedTeamCorpus.swift`) and the descriptor
    /// gadgets (`GadgetCorpus.swift`).
    @Test(arguments: cases + redTeamCases + gadgetCases)
    func failsSafelyAndLeavesNoTrace(_ hostile: Case) async throws {
        let marker = MarkerFile()
        let listener = try LoopbackListener()
        let code = hostile.code
            .replacingOccurrences(of: "MARKER", with: marker.path)
            .replacingOccurrences(of: "PORT", with: String(listener.port))
        let sandbox = Sandboxes.dedicated()

        let error = await sandbox.failure(of: code, timeout: hostile.timeout, cpuSeconds: hostile.cpuSeconds)

        let outcome = try #require(error)
        #expect(hostile.expected.matches(outcome), "expected \(hostile.expected), got \(outcome)")
        #expect(!outcome.description.isEmpty)
        #expect(!marker.exists)
        #expect(!listener.sawConnection)
        for server in await sandbox.serverProcessIDs {
            #expect(Processes.descendants(of: server).isEmpty, "a process outlived the job")
        }
        #expect(await sandbox.stillAnswers())
        await sandbox.shutdown()
    }

    @Test func theCorpusIsLargeEnough() {
        #expect(Self.cases.count >= 30)
    }
}
