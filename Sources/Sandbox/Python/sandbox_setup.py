"""Start-up of a fork server: which layers work on this machine, and getting them ready.

``LayerSetup`` is mixed into ``Server``: at start it enters the namespaces, plans the privilege
drop, probes seccomp and Landlock in throw-away children, imports and freezes the library, and
writes one ``{active, detail}`` entry per layer for the host's ready report.
"""

import ctypes
import gc
import os
import pwd

import sandbox_builtins
import sandbox_landlock
import sandbox_namespaces
import sandbox_seccomp

LAYERS = (
    "static_check", "restricted_builtins", "resource_limits", "privilege_drop", "seccomp",
    "filesystem", "ipc_scope", "network_namespace", "disk_budget", "empty_environment",
    "scratch_directory", "wall_clock_timeout", "output_caps",
)
# Only these can be switched off, and only so the tests can show what each layer stops alone.
OPTIONAL_LAYERS = (
    "static_check", "restricted_builtins", "resource_limits", "privilege_drop", "seccomp",
    "filesystem", "ipc_scope", "network_namespace", "disk_budget",
)
PR_SET_CHILD_SUBREAPER = 36

libc = ctypes.CDLL(None, use_errno=True)


class LayerSetup:
    """Start-up steps of ``Server``; reads and fills ``enabled`` and ``details``."""

    def start(self):
        # Anything a job leaves behind is re-parented to this server, which kills and reaps it.
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        self._enter_namespaces()
        self._plan_privilege_drop()
        self._probe_seccomp()
        self._probe_landlock()
        self._describe_fixed_layers()
        self.modules = sandbox_builtins.preload()
        self._freeze_library_classes()
        # Keep the collector away from start-up objects so forked children share their pages.
        gc.freeze()

    def _enter_namespaces(self):
        for layer in ("network_namespace", "disk_budget"):
            if not self.enabled[layer]:
                self.details[layer] = "switched off by configuration"
        report = sandbox_namespaces.enter(self.enabled["network_namespace"], self.enabled["disk_budget"], self.scratch_root)
        for layer, (active, detail) in report.items():
            self.enabled[layer] = active
            self.details[layer] = detail

    def _probe_landlock(self):
        wanted = [layer for layer in ("filesystem", "ipc_scope") if self.enabled[layer]]
        for layer in ("filesystem", "ipc_scope"):
            if not self.enabled[layer]:
                self.details[layer] = "switched off by configuration"
        if not wanted:
            return
        version, why = sandbox_landlock.abi()
        if version >= 1 and not self._landlock_works(version):
            version, why = 0, "the kernel reports Landlock but refused to apply a ruleset"
        self.landlock_version = version
        if "filesystem" in wanted:
            if version >= 1:
                self.details["filesystem"] = f"jobs read only the standard library and the sandbox's code, and write only their scratch directory (Landlock ABI {version})"
            else:
                self.enabled["filesystem"] = False
                self.details["filesystem"] = f"not available: {why}; jobs can read what their user can read"
        if "ipc_scope" in wanted:
            if version >= 6:
                self.details["ipc_scope"] = f"jobs cannot signal, ptrace or connect (abstract UNIX sockets, TCP) outside themselves (Landlock ABI {version})"
            else:
                self.enabled["ipc_scope"] = False
                reason = why or f"Landlock ABI {version} has no signal scoping (it needs ABI 6, Linux 6.12+)"
                self.details["ipc_scope"] = f"not available: {reason}; signals are still refused by the seccomp layer"

    def _landlock_works(self, version):
        pid = os.fork()
        if pid == 0:
            try:
                sandbox_landlock.restrict(version, self.readable, (), True, version >= 6)
                os._exit(0)
            finally:
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status) == 0

    def _freeze_library_classes(self):
        if not self.enabled["restricted_builtins"]:
            return
        try:
            count = sandbox_builtins.freeze_library_classes()
            self.details["restricted_builtins"] = f"no open/eval/exec/compile/globals/stdin/exit; checked type/getattr; imports limited to the allowlist; {count} library classes frozen"
        except RuntimeError as error:
            self.details["restricted_builtins"] = f"no open/eval/exec/compile/globals/stdin/exit; checked type/getattr; imports limited to the allowlist; library classes NOT frozen: {error}"

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
            self.details["seccomp"] = "process, program, socket, signal, ptrace, IPC, mount and namespace calls fail with EPERM"
        else:
            self.enabled["seccomp"] = False
            self.details["seccomp"] = "not available: the kernel refused the seccomp filter"

    def _describe_fixed_layers(self):
        self.details.setdefault("static_check", "syntax tree checked before running" if self.enabled["static_check"] else "switched off by configuration")
        self.details.setdefault("restricted_builtins", "switched off by configuration")
        self.details["empty_environment"] = "jobs see no environment variables"
        self.details["scratch_directory"] = "each job runs in a private directory that is removed afterwards"
        self.details["wall_clock_timeout"] = "the job's process group is killed at the deadline"
        self.details["output_caps"] = "stdout, stderr and output are capped"

    def layers(self):
        return {layer: {"active": self.enabled[layer], "detail": self.details.get(layer, "")} for layer in LAYERS}

    # ---- one job --------------------------------------------------------------------------
