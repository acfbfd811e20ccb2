"""Landlock (Linux 5.13+), applied by a job's child to itself before the snippet runs.

Two layers use it, and each works without the other:

* ``filesystem``: the child may read only the directories it is given (the standard library
  and the sandbox's own code) and read and write only its scratch directory. Everything else,
  ``/etc``, ``/tmp``, ``/proc`` (so other processes' ``cmdline`` and ``environ``), ``/home``,
  is refused with ``EACCES``, whatever the user id or file modes say; programs cannot be run.
* ``ipc_scope`` (ABI 6+): the child cannot signal any process outside its own Landlock domain
  (the fork server, the host, a sibling job: each job restricts itself, so each has a domain
  of its own), cannot connect to abstract UNIX sockets made outside it, and (ABI 4+) cannot
  bind or connect TCP sockets. Any Landlock domain also stops ``ptrace`` of processes outside it.

No privilege is needed; ``PR_SET_NO_NEW_PRIVS`` is set first, as the kernel requires. Raw
system calls through ctypes, because Python has no binding for them.
"""

import ctypes
import os
import struct

SYSCALLS = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1
PR_SET_NO_NEW_PRIVS = 38

FS_EXECUTE = 1 << 0
FS_WRITE_FILE = 1 << 1
FS_READ_FILE = 1 << 2
FS_READ_DIR = 1 << 3
FS_REMOVE_DIR = 1 << 4
FS_REMOVE_FILE = 1 << 5
FS_MAKE_DIR = 1 << 7
FS_MAKE_REG = 1 << 8
FS_REFER = 1 << 13
FS_TRUNCATE = 1 << 14
# Every filesystem right of each ABI (1: bits 0-12, 2: REFER, 3: TRUNCATE, 5: IOCTL_DEV).
FS_HANDLED_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 4: (1 << 15) - 1}
FS_HANDLED_LATEST = (1 << 16) - 1
NET_BIND_TCP = 1 << 0
NET_CONNECT_TCP = 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0
SCOPE_SIGNAL = 1 << 1

READ_ONLY = FS_READ_FILE | FS_READ_DIR
SCRATCH = (READ_ONLY | FS_WRITE_FILE | FS_TRUNCATE | FS_MAKE_REG | FS_MAKE_DIR
           | FS_REMOVE_FILE | FS_REMOVE_DIR | FS_REFER)

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


def abi():
    """The kernel's Landlock ABI version, or 0 with the reason when there is none."""
    numbers = SYSCALLS.get(os.uname().machine)
    if numbers is None:
        return 0, f"Landlock is not wired up for {os.uname().machine} here"
    version = _libc.syscall(numbers[0], None, ctypes.c_size_t(0), ctypes.c_uint(CREATE_RULESET_VERSION))
    if version < 0:
        error = ctypes.get_errno()
        return 0, f"the kernel has no Landlock ({os.strerror(error)}; it needs Linux 5.13+ with 'landlock' in the lsm= boot list)"
    return version, ""


def restrict(version, read_only=(), read_write=(), filesystem=True, scope=True):
    """Restricts the calling (single-threaded) process for good; raises OSError on failure."""
    create, add_rule, restrict_self = SYSCALLS[os.uname().machine]
    handled_fs = (FS_HANDLED_BY_ABI.get(version, FS_HANDLED_LATEST)) if filesystem else 0
    handled_net = (NET_BIND_TCP | NET_CONNECT_TCP) if scope and version >= 4 else 0
    scoped = (SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL) if scope and version >= 6 else 0
    if version >= 6:
        attr = struct.pack("QQQ", handled_fs, handled_net, scoped)
    elif version >= 4:
        attr = struct.pack("QQ", handled_fs, handled_net)
    else:
        attr = struct.pack("Q", handled_fs)
    if not (handled_fs or handled_net or scoped):
        return
    ruleset = _libc.syscall(create, attr, ctypes.c_size_t(len(attr)), ctypes.c_uint(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    try:
        if filesystem:
            for paths, rights in ((read_only, READ_ONLY), (read_write, SCRATCH)):
                for path in paths:
                    _allow(add_rule, ruleset, path, rights & handled_fs)
        if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
        if _libc.syscall(restrict_self, ctypes.c_int(ruleset), ctypes.c_uint(0)) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)


def _allow(add_rule, ruleset, path, rights):
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # a directory that does not exist here grants nothing
    try:
        # struct landlock_path_beneath_attr is packed: u64 allowed_access, s32 parent_fd.
        rule = struct.pack("=Qi", rights, fd)
        if _libc.syscall(add_rule, ctypes.c_int(ruleset), ctypes.c_int(RULE_PATH_BENEATH), rule, ctypes.c_uint(0)) != 0:
            raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
    finally:
        os.close(fd)
