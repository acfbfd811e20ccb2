import Foundation
import OrchJSON
@testable import Sandbox
import Testing

/// Plain hostile Python with the language layers switched off: what a snippet could do if the
/// static check and the restricted builtins were both fooled. Each attack names the OS layers
/// that stop it, and runs twice per layer: with every OS layer on, and with only that layer on
/// (so the test shows the layer holds on its own). System calls go through ctypes, so that an
/// attack reaches the kernel instead of failing early in Python for an unrelated reason.
@Suite(.enabled(if: Python.available, Python.missing), .serialized)
struct IsolationTests {
    static let probed = try? PythonSandbox.probe()

    struct Attack: Sendable, CustomTestStringConvertible {
        let name: String
        /// Plain Python; `MARKER` becomes a fresh path in /tmp, `HOST` the test process's pid.
        let code: String
        /// The layers each of which stops the attack alone.
        let stoppedBy: [SandboxLayer]
        /// What the error message says when it is stopped (errno texts; one of them).
        let messages: [String]
        var testDescription: String { name }
    }

    /// Tries every call that can signal `target` (with signal 0: the kernel checks permission
    /// exactly as for SIGKILL) and raises PermissionError listing the errors if none got through.
    static let signalEveryWay = """
        import ctypes, os, struct
        libc = ctypes.CDLL(None, use_errno=True)
        NR = {'x86_64': dict(kill=62, tkill=200, tgkill=234, rt_sigqueueinfo=129, rt_tgsigqueueinfo=297, pidfd_open=434, pidfd_send_signal=424),
              'aarch64': dict(kill=129, tkill=130, tgkill=131, rt_sigqueueinfo=138, rt_tgsigqueueinfo=240, pidfd_open=434, pidfd_send_signal=424)}[os.uname().machine]
        info = ctypes.create_string_buffer(struct.pack('iii', 0, 0, -1) + bytes(116))  # si_code SI_QUEUE
        results = {}
        def attempt(name, *args):
            r = libc.syscall(NR[name], *args)
            if r < 0 or name != 'pidfd_open':  # a pidfd alone signals nothing
                results[name] = 'ok' if r >= 0 else os.strerror(ctypes.get_errno())
            return r
        attempt('kill', TARGET, 0)
        attempt('tkill', TARGET, 0)
        attempt('tgkill', TARGET, TARGET, 0)
        attempt('rt_sigqueueinfo', TARGET, 0, info)
        attempt('rt_tgsigqueueinfo', TARGET, TARGET, 0, info)
        pidfd = attempt('pidfd_open', TARGET, 0)
        if pidfd >= 0:
            attempt('pidfd_send_signal', pidfd, 0, None, 0)
        escaped = sorted(name for name, result in results.items() if result == 'ok')
        if escaped:
            output = 'signalled via ' + ', '.join(escaped)
        else:
            raise PermissionError(sorted(set(results.values())))
        """

    static let attacks: [Attack] = [
        Attack(name: "read /etc/hostname", code: "output = open('/etc/hostname').read()",
               stoppedBy: [.filesystem], messages: ["Permission denied"]),
        Attack(name: "write a file in /tmp", code: "open('MARKER', 'w').write('pwned')",
               stoppedBy: [.filesystem], messages: ["Permission denied"]),
        Attack(name: "read /proc/1/environ", code: "output = open('/proc/1/environ', 'rb').read().decode('latin-1')",
               stoppedBy: [.filesystem], messages: ["Permission denied"]),
        Attack(name: "read the server's /proc/<pid>/cmdline", code: "import os\noutput = open(f'/proc/{os.getppid()}/cmdline').read()",
               stoppedBy: [.filesystem], messages: ["Permission denied"]),
        Attack(name: "read the host's environment", code: "output = open('/proc/HOST/environ', 'rb').read().decode('latin-1')",
               stoppedBy: [.filesystem], messages: ["Permission denied"]),
        Attack(name: "list other processes", code: "import os\noutput = os.listdir('/proc')",
               stoppedBy: [.filesystem], messages: ["Permission denied"]),
        Attack(name: "signal the server every way", code: signalEveryWay.replacingOccurrences(of: "TARGET", with: "os.getppid()"),
               stoppedBy: [.seccomp, .ipcScope], messages: ["Operation not permitted"]),
        Attack(name: "signal the host every way", code: signalEveryWay.replacingOccurrences(of: "TARGET", with: "HOST"),
               stoppedBy: [.seccomp, .ipcScope], messages: ["Operation not permitted"]),
        Attack(name: "TCP to the host's loopback", code: """
            import ctypes, os, struct
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.socket(2, 1, 0)
            if fd < 0:
                raise PermissionError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
            address = struct.pack('=H', 2) + struct.pack('>H', PORT) + bytes([127, 0, 0, 1]) + bytes(8)
            if libc.connect(fd, address, len(address)) != 0:
                raise PermissionError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
            output = 'connected'
            """, stoppedBy: [.seccomp, .ipcScope, .networkNamespace],
               messages: ["Operation not permitted", "Permission denied", "Network is unreachable"]),
        Attack(name: "connect to the host's abstract UNIX socket", code: """
            import ctypes, os, struct
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.socket(1, 1, 0)
            if fd < 0:
                raise PermissionError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
            address = struct.pack('=H', 1) + b'\\0' + b'ABSTRACT'
            if libc.connect(fd, address, len(address)) != 0:
                raise PermissionError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
            output = 'connected'
            """, stoppedBy: [.seccomp, .ipcScope], messages: ["Operation not permitted"]),
        Attack(name: "fork", code: "import os\nif os.fork() == 0:\n    os._exit(0)",
               stoppedBy: [.seccomp], messages: ["Operation not permitted"]),
        Attack(name: "run a program", code: "import os\nos.execv('/bin/touch', ['touch', 'MARKER'])",
               stoppedBy: [.seccomp, .filesystem], messages: ["Operation not permitted", "Permission denied"]),
        Attack(name: "fill the disk with files just under the size limit", code: """
            for i in range(64):
                open(f'f{i}', 'wb').write(b'x' * ((1 << 20) - 4096))
            """, stoppedBy: [.diskBudget], messages: ["No space left on device"]),
        Attack(name: "fill the disk with many small files", code: """
            for i in range(100000):
                open(f'f{i}', 'w').close()
            """, stoppedBy: [.diskBudget], messages: ["No space left on device"]),
        Attack(name: "list the other jobs' scratch directories", code: "import os\noutput = os.listdir('..')",
               stoppedBy: [.filesystem], messages: ["Permission denied"]),
    ]

    /// Each attack with every OS layer on, and with each of its layers alone where that layer
    /// works on this machine (`orch-eval doctor` says which do not, and why).
    static var configurations: [(Attack, SandboxLayer?)] {
        attacks.flatMap { attack in
            [(attack, nil)] + attack.stoppedBy.filter { probed?[$0]?.active == true }.map { (attack, $0) }
        }
    }

    /// `layer == nil`: every OS layer on. Otherwise only `layer` (the language layers are off either way).
    @Test(arguments: configurations)
    func anAttackFailsWithTheLanguageLayersOff(_ attack: Attack, alone layer: SandboxLayer?) async throws {
        let marker = MarkerFile()
        let listener = try LoopbackListener()
        let unixListener = try AbstractSocketListener()
        let disabled = layer.map { Sandboxes.optionalLayers.subtracting([$0]) } ?? Sandboxes.languageLayers
        let sandbox = Sandboxes.dedicated(disabling: disabled)
        let code = attack.code
            .replacingOccurrences(of: "MARKER", with: marker.path)
            .replacingOccurrences(of: "HOST", with: String(getpid()))
            .replacingOccurrences(of: "PORT", with: String(listener.port))
            .replacingOccurrences(of: "ABSTRACT", with: unixListener.name)

        let error = await sandbox.failure(of: code)

        guard case .pythonError(_, let message, _) = error else {
            Issue.record("expected a Python error, got \(String(describing: error))")
            await sandbox.shutdown()
            return
        }
        #expect(attack.messages.contains { message.contains($0) }, "\(layer?.rawValue ?? "all layers"): \(message)")
        #expect(!marker.exists)
        #expect(!listener.sawConnection)
        #expect(!unixListener.sawConnection)
        #expect(await sandbox.stillAnswers())
        await sandbox.shutdown()
    }
}
