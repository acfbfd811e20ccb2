"""The job's side of a fork: a child process that locks itself down and runs one snippet.

``JobChild`` is mixed into ``Server``. In the child, in this order: a new session, death with
the server, the pipes on fds 0-3, rlimits, a fresh random seed, the drop to ``nobody``, no
capabilities, not dumpable, Landlock, seccomp; then the static check, the snippet as the
``__main__`` module, and its result written to fd 3 as one JSON object.
"""

import ctypes
import json
import os
import random
import resource
import signal
import sys
import traceback
import types

import sandbox_builtins
import sandbox_landlock
import sandbox_policy
import sandbox_seccomp

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
CAPABILITY_VERSION_3 = 0x20080522
RESULT_FD = 3
OPEN_FILES_LIMIT = 16
FILE_SIZE_LIMIT = 1 << 20
MESSAGE_LIMIT = 2000

libc = ctypes.CDLL(None, use_errno=True)


class JobChild:
    """The child side of ``Server``: runs in the forked process, never returns."""

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
        # Each job its own random sequence (a fork copies the server's generator state).
        random.seed()
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
        if self.enabled["filesystem"] or self.enabled["ipc_scope"]:
            # Raises if the kernel refuses: the job then ends as crashed instead of running
            # with less isolation than the server reported.
            sandbox_landlock.restrict(self.landlock_version, self.readable, (scratch,),
                                      self.enabled["filesystem"], self.enabled["ipc_scope"])
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
            return {"error": {"kind": "rejected", "message": clip(rejected.reason), "line": rejected.line}}
        except SyntaxError as error:
            return {"error": {"kind": "syntax_error", "message": clip(str(error.msg)), "line": error.lineno}}
        except (MemoryError, RecursionError):
            # The parser and compiler give up on deep nesting ("-" * 100000 + "1") this way.
            return {"error": {"kind": "syntax_error", "message": "the code is nested too deeply (or is too large) to parse", "line": None}}
        try:
            # The snippet is the __main__ module, as a script would be: `if __name__ ==
            # "__main__":` works, and library code that looks up a class's module (dataclasses)
            # finds the snippet's namespace, not this server's.
            main = types.ModuleType("__main__")
            sys.modules["__main__"] = main
            scope = main.__dict__
            if self.enabled["restricted_builtins"]:
                sandbox_builtins.snippet_globals(scope, job["input"], self.modules)
            else:
                scope["input"] = job["input"]
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
            return {"error": {"kind": "non_json", "type": clip(type(output).__name__), "message": _message(error)}}
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
    return {"kind": "python_error", "type": clip(type(error).__name__), "message": _message(error), "line": line}


def _message(error):
    """``str(error)``, clipped, whatever the exception's ``__str__`` does or returns."""
    try:
        # str.__str__ turns a str subclass (whose own __str__ may raise) into a plain str.
        return clip(str.__str__(str(error)))
    except BaseException:  # noqa: B036 - a hostile __str__ must not hide the error
        return "<the exception's message could not be read>"


def clip(text):
    """At most MESSAGE_LIMIT characters of valid Unicode: a lone surrogate, which the host's
    JSON reader refuses, is written as a visible \\udxxx escape."""
    text = text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _drop_capabilities():
    """Clears every capability. A job in a user namespace would otherwise keep full
    capabilities inside it; after the drop from root there are none left anyway."""
    header = (ctypes.c_uint32 * 2)(CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    libc.capset(header, data)

