"""Fork server for sandboxed snippets: one job at a time, one fresh child per job.

Started once by the Swift host (``PythonSandbox``) with an empty environment. At start it
moves into new network and mount namespaces (where the kernel allows; the mount namespace puts
a size-limited tmpfs on its scratch root), imports the allowed modules, freezes the library
classes, probes which layers work here and prints one ``{"ready": ...}`` line. Then, per line
on stdin (a job), it forks a child that takes a new session, applies the OS limits, drops root,
restricts itself with Landlock and seccomp, runs the snippet (see ``sandbox_policy`` and
``sandbox_builtins``) and writes its result to a pipe. The server enforces the wall-clock
deadline and the stream caps, kills the child's whole process group, removes the scratch
directory, checks the child's result (it trusts nothing the child wrote) and answers with one
JSON line on stdout. Because every job runs in a fresh fork, nothing a snippet does survives
into the next job.

fd 3, when open at start, is the host's lock on the scratch root (see ``SandboxWorker``): the
server keeps it so that the host can tell a live server's scratch root from a dead one's.

A ``{"cancel": true}`` line while a job runs kills that job (the host sends it when its task
is cancelled); one that arrives after the job finished is ignored.
"""

import json
import os
import select
import shutil
import signal
import sys
import sysconfig
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sandbox_child import JobChild, clip  # noqa: E402
from sandbox_setup import LAYERS, OPTIONAL_LAYERS, LayerSetup  # noqa: E402

LOCK_FD = 3
CANCEL_LINE = b'{"cancel":true}'
# The error kinds a job's child reports itself. Any other kind (or an error that is not an
# object) was forged by a snippet that wrote the result pipe itself or patched what writes it,
# and must not pass for a timeout, a cancellation or a sandbox failure.
CHILD_ERROR_KINDS = frozenset(("rejected", "syntax_error", "python_error", "memory_limit", "non_json", "output_too_large"))
# The fields each of those may carry, and their types; anything else is dropped.
CHILD_ERROR_TEXT_FIELDS = ("message", "type")
CHILD_ERROR_INT_FIELDS = ("line", "limit", "size")


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


class Server(LayerSetup, JobChild):
    def __init__(self, disabled, channel, scratch_root):
        self.channel = channel
        self.scratch_root = scratch_root
        self.enabled = {layer: layer not in disabled for layer in LAYERS}
        self.details = {}
        self.nobody = None
        self.cancelled = False
        self.server_pid = os.getpid()
        self.landlock_version = 0
        # What a job may read besides its scratch directory: the standard library (for lazy
        # imports inside library code) and the sandbox's own code.
        paths = sysconfig.get_paths()
        self.readable = sorted({paths["stdlib"], paths["platstdlib"], os.path.dirname(os.path.abspath(__file__))})

    # ---- start-up -------------------------------------------------------------------------

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
        error = self._error_for(outcome, job, elapsed)
        if error is None:
            try:
                result = json.loads(bytes(data["result"]))
            except (ValueError, RecursionError):
                result = None
            if not isinstance(result, dict):
                error = self._crash_error(outcome["status_code"], response["stderr"])
            elif "error" in result:
                error = _checked_child_error(result["error"])
            else:
                response["output"] = result.get("output")
        if error is not None:
            response["error"] = error
        return response

    def _error_for(self, outcome, job, elapsed):
        if self.cancelled:
            return {"kind": "cancelled"}
        # The CPU limit is a second beyond the deadline so that a busy loop meets the deadline
        # first; when this server was starved of CPU past the deadline, the job's SIGXCPU can
        # arrive before the server looks at the clock, but the job still overran its deadline.
        status = outcome["status_code"]
        cpu_killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU
        if outcome["timed_out"] or (cpu_killed and elapsed >= job["timeout_s"]):
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


def _checked_child_error(error):
    """The child's error rebuilt from the fields its kind may carry, each of its type and
    clipped: a snippet that writes the result pipe itself (or patches what writes it) cannot
    pose as a timeout, a cancellation or a sandbox failure, nor pass on a huge message."""
    if not (isinstance(error, dict) and error.get("kind") in CHILD_ERROR_KINDS):
        return {"kind": "crashed", "message": "the job wrote a malformed result (did the code write to the result pipe or patch its serializer?)"}
    checked = {"kind": error["kind"]}
    for field in CHILD_ERROR_TEXT_FIELDS:
        if isinstance(error.get(field), str):
            checked[field] = clip(error[field])
    for field in CHILD_ERROR_INT_FIELDS:
        if type(error.get(field)) is int:
            checked[field] = error[field]
    if error.get("stream") in ("output", "stdout", "stderr"):
        checked["stream"] = error["stream"]
    return checked


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


def main():
    # Descriptors the host left open (anything not close-on-exec) must not reach any job; the
    # scratch root's lock stays with the server (each job's child replaces fd 3 with its
    # result pipe).
    os.closerange(LOCK_FD + 1, 1 << 16)
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
            response = {"error": {"kind": "internal", "message": clip(f"{type(error).__name__}: {error}")}}
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
