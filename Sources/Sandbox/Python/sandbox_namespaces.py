"""Namespaces the fork server enters once at start, for two layers:

* ``network_namespace``: a new network namespace, no interface up, not even loopback.
* ``disk_budget``: a new mount namespace in which the server's scratch root is a private
  ``tmpfs`` of ``DISK_BUDGET_BYTES`` and ``DISK_BUDGET_INODES``. The server runs one job at a
  time and empties the scratch root after each, so this is each job's total budget for files
  and directories; writing past it fails with ``ENOSPC``. The host never sees those files.

As root, ``unshare`` does both. Otherwise a user namespace (mapping only our own ids) makes
them possible, tried in a throw-away child first: a half-made user namespace would leave the
server unable to create files. As root no user namespace is made: its mapping would not
include the uid jobs drop to.
"""

import ctypes
import os

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REC = 0x4000
MS_PRIVATE = 1 << 18
DISK_BUDGET_BYTES = 8 << 20
DISK_BUDGET_INODES = 256

libc = ctypes.CDLL(None, use_errno=True)


def enter(network, disk, scratch_root):
    """Enters what was asked for; returns {layer: (active, detail)}."""
    flags = (CLONE_NEWNET if network else 0) | (CLONE_NEWNS if disk and scratch_root else 0)
    entered, why = _unshare(flags) if flags else (0, "")
    report = {}
    if network:
        if entered & CLONE_NEWNET:
            how = "user+network" if entered & CLONE_NEWUSER else "network"
            report["network_namespace"] = (True, f"jobs run in a new {how} namespace with no interfaces up")
        else:
            report["network_namespace"] = (False, f"not available: {why}; sockets are still refused by the seccomp layer, TCP by ipc_scope")
    if disk:
        if not scratch_root:
            report["disk_budget"] = (False, "not available: the server was started without a scratch root")
        elif not entered & CLONE_NEWNS:
            report["disk_budget"] = (False, f"not available: no mount namespace ({why}); files are still capped at 1 MiB each, but not their number")
        else:
            report["disk_budget"] = _mount_budget(scratch_root)
    return report


def _unshare(flags):
    """Tries the namespaces together, then each alone; returns (flags entered, why not)."""
    attempts = [flags] + [flag for flag in (CLONE_NEWNET, CLONE_NEWNS) if flags & flag and flag != flags]
    why = ""
    for attempt in attempts:
        if libc.unshare(attempt) == 0:
            return attempt, ""
        why = f"the kernel refused unshare(): {os.strerror(ctypes.get_errno())}"
        if os.geteuid() != 0 and _user_namespace_works(attempt) and _enter_with_user_namespace(attempt):
            return attempt | CLONE_NEWUSER, ""
        if os.geteuid() != 0:
            why += "; a user namespace did not work either"
    return 0, why


def _user_namespace_works(flags):
    pid = os.fork()
    if pid == 0:
        os._exit(0 if _enter_with_user_namespace(flags) else 1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _enter_with_user_namespace(flags):
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | flags) != 0:
        return False
    try:
        # Map our own ids so files and limits keep working inside the user namespace.
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1")
        _write("/proc/self/gid_map", f"{gid} {gid} 1")
        return True
    except OSError:
        return False


def _mount_budget(scratch_root):
    # Private propagation first, so the tmpfs never shows up in the host's mount table.
    if libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        return (False, f"not available: cannot make mounts private: {os.strerror(ctypes.get_errno())}")
    options = f"size={DISK_BUDGET_BYTES},nr_inodes={DISK_BUDGET_INODES},mode=0711".encode()
    if libc.mount(b"tmpfs", scratch_root.encode(), b"tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options) != 0:
        return (False, f"not available: cannot mount a tmpfs: {os.strerror(ctypes.get_errno())}")
    return (True, f"each job's files live on a private tmpfs of {DISK_BUDGET_BYTES >> 20} MiB and {DISK_BUDGET_INODES} inodes")


def _write(path, text):
    with open(path, "w") as handle:
        handle.write(text)
