"""Fork server for sandboxed snippets: one job at a time, one fresh child per job.

Started once by the Swift host (``PythonSandbox``) with an empty environment. At start it
moves into a new network namespace (where the kernel allows), imports the allowed modules,
probes which layers work here and prints one ``{"ready": ...}`` line. Then, per line on stdin
(a job), it forks a child that takes a new session, applies the OS limits, drops root, installs
the seccomp filter, runs the snippet (see ``sandbox_policy``) and writes its result to a pipe.
The server enforces the wall-clock deadline and the stream caps, kills the child's whole
process group, removes the scratch directory and answers with one JSON line on stdout.
Because every job runs in a fresh fork, nothing a snippet does survives into the next job.

A ``{"cancel": true}`` line while a job runs kills that job (the host sends it when its task
is cancelled); one that arrives after the job finished is ignored.
"""

import ctypes
import gc
import json
import os
import pwd
import resource
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sandbox_policy  # noqa: E402
import sandbox_seccomp  # noqa: E402

LAYERS = (
    "static_check", "restricted_builtins", "resource_limits", "privilege_drop", "seccomp",
    "network_namespace", "empty_environment", "scratch_directory", "wall_clock_timeout",
    "output_caps",
)
# Only these can be switched off, and only so the tests can show what each layer stops alone.
OPTIONAL_LAYERS = ("static_check", "restricted_builtins", "resource_limits", "privilege_drop", "seccomp", "network_namespace")

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
CAPABILITY_VERSION_3 = 0x20080522
RESULT_FD = 3
CANCEL_LINE = b'{"cancel":true}'
OPEN_FILES_LIMIT = 16
FILE_SIZE_LIMIT = 1 << 20
MESSAGE_LIMIT = 2000
# The error kinds a job's child reports itself. Any other kind (or an error that is not an
# object) was forged by a snippet that patched the child's serializer (json.JSONEncoder is a
# real class it can reach) and must not pass for a timeout, a cancellation or a sandbox failure.
CHILD_ERROR_KINDS = frozenset(("rejected", "syntax_error", "python_error", "memory_limit", "non_json", "output_too_large"))

libc = ctypes.CDLL(None, use_errno=True)


class Channel:
    """Lines from the host on stdin (fd 0), read without Python's buffering so that the job
    loop can ``select`` on fd 0 and see a cancel line while a job runs."""

    def __init__(self):
        self.buffer = bytearray()
        self.closed = False

    def fill(self):
        chunk = os.read(0, 1 << 16)
        if chunk:
            self.buffer += chunk
        else:
            self.closed = True

    def pop_line(self):
        end = self.buffer.find(b"\n")
        if end < 0:
            return None
        line = bytes(self.buffer[:end])
        del self.buffer[: end + 1]
        return line

    def next_line(self):
        while True:
            line = self.pop_line()
            if line is not None or self.closed:
                return line
            self.fill()


class Server:
    def __init__(self, disabled, channel, scratch_root):
        self.channel = channel
        self.scratch_root = scratch_root
        self.enabled = {layer: layer not in disabled for layer in LAYERS}
        self.details = {}
        self.nobody = None
        self.cancelled = False
        self.server_pid = os.getpid()

    # ---- start-up -------------------------------------------------------------------------

    def start(self):
        # Anything a job leaves behind is re-parented to this server, which kills and reaps it.
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        self._enter_network_namespace()
        self._plan_privilege_drop()
        self._probe_seccomp()
        self._describe_fixed_layers()
        self.modules = sandbox_policy.preload()
        # Keep the collector away from start-up objects so forked children share their pages.
        gc.freeze()

    def _enter_network_namespace(self):
        if not self.enabled["network_namespace"]:
            self.details["network_namespace"] = "switched off by configuration"
            return
        if libc.unshare(CLONE_NEWNET) == 0:
            self.details["network_namespace"] = "jobs run in a new network namespace with no interfaces up"
            return
        why = f"the kernel refused unshare(CLONE_NEWNET): {os.strerror(ctypes.get_errno())}"
        # Without privileges a user namespace may allow it. Tried in a child first: a half-made
        # user namespace (no id mapping) would leave this server unable to create files. As
        # root it is not tried: the mapping would not include the uid jobs drop to.
        if os.geteuid() != 0:
            pid = os.fork()
            if pid == 0:
                os._exit(0 if _enter_user_and_network_namespace() else 1)
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) == 0 and _enter_user_and_network_namespace():
                self.details["network_namespace"] = "jobs run in a new user+network namespace with no interfaces up"
                return
            why += "; a user namespace with its own network did not work either"
        self.enabled["network_namespace"] = False
        self.details["network_namespace"] = f"not available: {why}; sockets are still refused by the seccomp layer if it is active"

    def _plan_privilege_drop(self):
        if not self.enabled["privilege_drop"]:
            self.details["privilege_drop"] = "switched off by configuration"
        elif os.geteuid() == 0:
            try:
                entry = pwd.getpwnam("nobody")
                self.nobody = (entry.pw_uid, entry.pw_gid)
            except KeyError:
                self.nobody = (65534, 65534)
            self.details["privilege_drop"] = f"jobs drop root to uid {self.nobody[0]} (nobody)"
        else:
            self.details["privilege_drop"] = f"not needed: jobs run as unprivileged uid {os.geteuid()}"
        limits = "RLIMIT_CPU, RLIMIT_AS, RLIMIT_FSIZE, RLIMIT_NOFILE, RLIMIT_NPROC=0, no core dumps"
        if not self.enabled["resource_limits"]:
            self.details["resource_limits"] = "switched off by configuration"
        elif self.nobody is None and os.geteuid() == 0:
            self.details["resource_limits"] = limits + " (RLIMIT_NPROC is not enforced for root; see seccomp)"
        else:
            self.details["resource_limits"] = limits

    def _probe_seccomp(self):
        if not self.enabled["seccomp"]:
            self.details["seccomp"] = "switched off by configuration"
            return
        if not sandbox_seccomp.supported():
            self.enabled["seccomp"] = False
            self.details["seccomp"] = f"not available on {os.uname().machine}"
            return
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                sandbox_seccomp.install()
                try:
                    if os.fork() == 0:
                        os._exit(0)
                except PermissionError:
                    code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) == 0:
            self.details["seccomp"] = "fork, exec, sockets, kill, ptrace and namespace calls fail with EPERM"
        else:
            self.enabled["seccomp"] = False
            self.details["seccomp"] = "not available: the kernel refused the seccomp filter"

    def _describe_fixed_layers(self):
        self.details.setdefault("static_check", "syntax tree checked before running" if self.enabled["static_check"] else "switched off by configuration")
        self.details.setdefault("restricted_builtins", "no open/eval/exec/compile/getattr/globals/stdin/exit; imports limited to the allowlist" if self.enabled["restricted_builtins"] else "switched off by configuration")
        self.details["empty_environment"] = "jobs see no environment variables"
        self.details["scratch_directory"] = "each job runs in a private directory that is removed afterwards"
        self.details["wall_clock_timeout"] = "the job's process group is killed at the deadline"
        self.details["output_caps"] = "stdout, stderr and output are capped"

    def layers(self):
        return {layer: {"active": self.enabled[layer], "detail": self.details.get(layer, "")} for layer in LAYERS}

    # ---- one job --------------------------------------------------------------------------

    def run(self, job):
        scratch = tempfile.mkdtemp(prefix="job-", dir=self.scratch_root)
        try:
            if self.nobody is not None:
                os.chown(scratch, *self.nobody)
            return self._run_in_child(job, scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _run_in_child(self, job, scratch):
        result_r, result_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        self.cancelled = False
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(result_r), os.close(out_r), os.close(err_r)
                self._child(job, scratch, result_w, out_w, err_w)
            finally:
                os._exit(70)
        for fd in (result_w, out_w, err_w):
            os.close(fd)
        try:
            outcome = self._collect(pid, job, {result_r: "result", out_r: "stdout", err_r: "stderr"}, started)
        finally:
            _kill_group(pid)
            _, status = os.waitpid(pid, 0)
            _reap_leftovers(self.server_pid)
            for fd in (result_r, out_r, err_r):
                os.close(fd)
        outcome["status_code"] = status
        return self._verdict(outcome, job, time.monotonic() - started)

    def _collect(self, pid, job, streams, started):
        caps = {"result": job["output_max"] + 65536, "stdout": job["stdout_max"], "stderr": job["stderr_max"]}
        data = {name: bytearray() for name in streams.values()}
        deadline = started + job["timeout_s"]
        outcome = {"timed_out": False, "over_cap": None, "data": data}
        open_fds = list(streams)
        while open_fds:
            if self._cancel_requested():
                self.cancelled = True
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                outcome["timed_out"] = True
                break
            watched = open_fds if self.channel.closed else open_fds + [0]
            ready, _, _ = select.select(watched, [], [], remaining)
            for fd in ready:
                if fd == 0:
                    self.channel.fill()
                    continue
                chunk = os.read(fd, 65536)
                if not chunk:
                    open_fds.remove(fd)
                    continue
                name = streams[fd]
                data[name] += chunk
                if len(data[name]) > caps[name]:
                    outcome["over_cap"] = name
                    return outcome
        return outcome

    def _cancel_requested(self):
        # The host sends nothing but cancel lines while a job runs; a closed stdin means the
        # host is gone, which cancels the job too.
        requested = self.channel.closed
        while (line := self.channel.pop_line()) is not None:
            requested = requested or line.strip() == CANCEL_LINE
        return requested

    def _verdict(self, outcome, job, elapsed):
        data = outcome["data"]
        response = {
            "stdout": data["stdout"][: job["stdout_max"]].decode("utf-8", "replace"),
            "stderr": data["stderr"][: job["stderr_max"]].decode("utf-8", "replace"),
            "elapsed_ms": round(elapsed * 1000, 3),
        }
        error = self._error_for(outcome, job)
        if error is None:
            try:
                result = json.loads(bytes(data["result"]))
            except (ValueError, RecursionError):
                result = None
            if not isinstance(result, dict):
                error = self._crash_error(outcome["status_code"], response["stderr"])
            elif "error" in result:
                error = result["error"]
                if not (isinstance(error, dict) and error.get("kind") in CHILD_ERROR_KINDS):
                    error = {"kind": "crashed", "message": "the job wrote a malformed result (did the code patch json.JSONEncoder?)"}
            else:
                response["output"] = result.get("output")
        if error is not None:
            response["error"] = error
        return response

    def _error_for(self, outcome, job):
        if self.cancelled:
            return {"kind": "cancelled"}
        if outcome["timed_out"]:
            return {"kind": "timeout", "limit": job["timeout_s"]}
        over = outcome["over_cap"]
        if over == "result":
            return {"kind": "output_too_large", "stream": "output", "limit": job["output_max"]}
        if over is not None:
            return {"kind": "output_too_large", "stream": over, "limit": job[over + "_max"]}
        return None

    def _crash_error(self, status, stderr):
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            if number == signal.SIGXCPU:
                return {"kind": "cpu_limit"}
            if number == signal.SIGSYS:
                return {"kind": "crashed", "message": "a blocked system call killed the job"}
            return {"kind": "crashed", "message": f"the job was killed by signal {signal.Signals(number).name}"}
        code = os.waitstatus_to_exitcode(status)
        tail = stderr.strip()[-500:]
        return {"kind": "crashed", "message": f"the job exited with status {code} without a result" + (f"; stderr ends: {tail}" if tail else "")}

    # ---- in the child ---------------------------------------------------------------------

    def _child(self, job, scratch, result_w, out_w, err_w):
        os.setsid()
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != self.server_pid:
            os._exit(71)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        os.dup2(result_w, RESULT_FD)
        os.closerange(RESULT_FD + 1, 1 << 16)
        # Writing past RLIMIT_FSIZE should fail with EFBIG, not kill the job silently.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        os.chdir(scratch)
        os.environ.clear()
        if self.enabled["resource_limits"]:
            cpu = job["cpu_seconds"]
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
            resource.setrlimit(resource.RLIMIT_AS, (job["memory_bytes"], job["memory_bytes"]))
            resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
            resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES_LIMIT, OPEN_FILES_LIMIT))
            resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if self.nobody is not None:
            os.setgroups([])
            os.setgid(self.nobody[1])
            os.setuid(self.nobody[0])
        _drop_capabilities()
        if self.enabled["resource_limits"]:
            # No core dumps: a job that hits its CPU limit (SIGXCPU) or overflows the C stack
            # would otherwise hand an image of up to its memory limit to the host's core
            # handler, and a piped core_pattern (systemd-coredump, apport) ignores RLIMIT_CORE.
            # After setuid, since changing credentials resets the flag. Before seccomp (prctl).
            libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        if self.enabled["seccomp"]:
            sandbox_seccomp.install()
        result = self._run_snippet(job)
        _write_result(result)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    # The defaults bind the runner's own functions before the snippet runs, so a snippet that
    # tampers with json or os (possible only with the language layers off) cannot break them.
    def _run_snippet(self, job, dumps=json.dumps):
        try:
            source = sandbox_policy.check(job["code"]) if self.enabled["static_check"] else job["code"]
            code = compile(source, "<snippet>", "exec", dont_inherit=True)
        except sandbox_policy.Rejected as rejected:
            return {"error": {"kind": "rejected", "message": _clip(rejected.reason), "line": rejected.line}}
        except SyntaxError as error:
            return {"error": {"kind": "syntax_error", "message": _clip(str(error.msg)), "line": error.lineno}}
        except (MemoryError, RecursionError):
            # The parser and compiler give up on deep nesting ("-" * 100000 + "1") this way.
            return {"error": {"kind": "syntax_error", "message": "the code is nested too deeply (or is too large) to parse", "line": None}}
        try:
            if self.enabled["restricted_builtins"]:
                scope = sandbox_policy.snippet_globals(job["input"], self.modules)
            else:
                scope = {"__name__": "__snippet__", "input": job["input"]}
            exec(code, scope)
            output = scope.get("output")
        except MemoryError:
            return {"error": {"kind": "memory_limit", "limit": job["memory_bytes"]}}
        except BaseException as error:  # noqa: B036 - SystemExit and friends are snippet errors too
            return {"error": _python_error(error)}
        try:
            # UTF-8, so a lone surrogate ('\ud800', not Unicode) fails here rather than in the host.
            encoded = dumps(output, allow_nan=False, ensure_ascii=False).encode("utf-8")
        except MemoryError:
            return {"error": {"kind": "memory_limit", "limit": job["memory_bytes"]}}
        except BaseException as error:  # noqa: B036 - a dict subclass's items() runs snippet code
            return {"error": {"kind": "non_json", "type": _clip(type(output).__name__), "message": _message(error)}}
        if len(encoded) > job["output_max"]:
            return {"error": {"kind": "output_too_large", "stream": "output", "limit": job["output_max"], "size": len(encoded)}}
        return encoded


def _write_result(result, dumps=json.dumps, write=os.write, close=os.close):
    payload = (b'{"output":' + result + b"}") if type(result) is bytes else dumps(result).encode("utf-8")
    view = memoryview(payload)
    while view:
        written = write(RESULT_FD, view)
        view = view[written:]
    close(RESULT_FD)


def _python_error(error):
    line = None
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename == "<snippet>":
            line = lineno
    return {"kind": "python_error", "type": _clip(type(error).__name__), "message": _message(error), "line": line}


def _message(error):
    """``str(error)``, clipped, whatever the exception's ``__str__`` does or returns."""
    try:
        # str.__str__ turns a str subclass (whose own __str__ may raise) into a plain str.
        return _clip(str.__str__(str(error)))
    except BaseException:  # noqa: B036 - a hostile __str__ must not hide the error
        return "<the exception's message could not be read>"


def _clip(text):
    """At most MESSAGE_LIMIT characters of valid Unicode: a lone surrogate, which the host's
    JSON reader refuses, is written as a visible \\udxxx escape."""
    text = text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _kill_group(pid):
    # The child itself too: it may not have called setsid yet, so its group may not exist.
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _reap_leftovers(server_pid):
    """Kills and reaps any process still parented to the server after a job's child is gone
    (one that escaped the job's process group despite the limits)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # no children at all: the usual case
        if pid == 0:
            break  # live leftovers exist
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == server_pid:
                try:
                    os.kill(int(entry), signal.SIGKILL)
                    os.waitpid(int(entry), 0)
                except OSError:
                    pass


def _drop_capabilities():
    """Clears every capability. A job in a user namespace would otherwise keep full
    capabilities inside it; after the drop from root there are none left anyway."""
    header = (ctypes.c_uint32 * 2)(CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    libc.capset(header, data)


def _enter_user_and_network_namespace():
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return False
    try:
        # Map our own ids so files and limits keep working inside the user namespace.
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1")
        _write("/proc/self/gid_map", f"{gid} {gid} 1")
        return True
    except OSError:
        return False


def _write(path, text):
    with open(path, "w") as handle:
        handle.write(text)


def main():
    # Descriptors the host left open (anything not close-on-exec) must not reach any job.
    os.closerange(3, 1 << 16)
    disabled = set()
    scratch_root = None
    for argument in sys.argv[1:]:
        if argument.startswith("--disable="):
            disabled.update(name for name in argument.split("=", 1)[1].split(",") if name)
        elif argument.startswith("--scratch-root="):
            scratch_root = argument.split("=", 1)[1]
    unknown = disabled - set(OPTIONAL_LAYERS)
    if unknown:
        sys.stderr.write(f"sandbox_server: cannot disable {sorted(unknown)}\n")
        return 2
    channel = Channel()
    server = Server(disabled, channel, scratch_root)
    server.start()
    protocol = sys.stdout.buffer
    hello = {"ready": True, "python": sys.version.split()[0], "layers": server.layers()}
    protocol.write(json.dumps(hello).encode() + b"\n")
    protocol.flush()
    while (line := channel.next_line()) is not None:
        try:
            request = json.loads(line)
            if request.get("cancel"):
                continue  # its job had already finished
            response = server.run(request)
        except Exception as error:  # noqa: BLE001 - the host must always get an answer
            response = {"error": {"kind": "internal", "message": _clip(f"{type(error).__name__}: {error}")}}
        try:
            protocol.write(json.dumps(response).encode() + b"\n")
            protocol.flush()
        except OSError:
            break  # the host is gone
    # stdin closed: the host stopped the pool or exited.
    if scratch_root:
        shutil.rmtree(scratch_root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    # _exit: nothing is left to flush, and a vanished host must not turn into a traceback.
    os._exit(main())
