"""A seccomp filter that makes process creation, program execution, sockets and signals to
other processes fail with EPERM in a job's child.

It is the "no new processes" layer that still holds when the host runs as root (where the
kernel does not enforce RLIMIT_NPROC), and it also refuses sockets when no network namespace
could be made. Linux on x86_64 and aarch64 only; elsewhere ``supported()`` is False.
"""

import ctypes
import errno
import os
import struct

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_KILL_PROCESS = 0x80000000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_ALLOW = 0x7FFF0000

BPF_LD_W_ABS = 0x20
BPF_JEQ_K = 0x15
BPF_JGE_K = 0x35
BPF_RET_K = 0x06

# seccomp_data: int nr at offset 0, __u32 arch at offset 4.
ARCHES = {
    "x86_64": (0xC000003E, {
        "clone": 56, "fork": 57, "vfork": 58, "execve": 59, "execveat": 322, "clone3": 435,
        "socket": 41, "socketpair": 53, "connect": 42, "bind": 49, "listen": 50,
        "accept": 43, "accept4": 288, "kill": 62, "tkill": 200, "tgkill": 234,
        "ptrace": 101, "unshare": 272, "setns": 308, "mount": 165, "chroot": 161,
        "process_vm_readv": 310, "process_vm_writev": 311, "pidfd_open": 434,
        "pidfd_send_signal": 424, "keyctl": 250, "bpf": 321, "perf_event_open": 298,
        "userfaultfd": 323, "io_uring_setup": 425, "prctl": 157,
    }),
    "aarch64": (0xC00000B7, {
        "clone": 220, "execve": 221, "execveat": 281, "clone3": 435,
        "socket": 198, "socketpair": 199, "bind": 200, "listen": 201, "accept": 202,
        "connect": 203, "accept4": 242, "kill": 129, "tkill": 130, "tgkill": 131,
        "ptrace": 117, "unshare": 97, "setns": 268, "mount": 40, "chroot": 51,
        "process_vm_readv": 270, "process_vm_writev": 271, "pidfd_open": 434,
        "pidfd_send_signal": 424, "keyctl": 219, "bpf": 280, "perf_event_open": 241,
        "userfaultfd": 282, "io_uring_setup": 425, "prctl": 167,
    }),
}
X32_SYSCALL_BIT = 0x40000000


def supported():
    return os.uname().machine in ARCHES


def _program():
    arch, table = ARCHES[os.uname().machine]
    numbers = sorted(set(table.values()))
    instructions = [
        (BPF_LD_W_ABS, 0, 0, 4),
        (BPF_JEQ_K, 1, 0, arch),
        (BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS),
        (BPF_LD_W_ABS, 0, 0, 0),
    ]
    # Each jump lands on the final "deny" instruction: skip the remaining checks and "allow".
    checks = [(BPF_JGE_K, X32_SYSCALL_BIT)] + [(BPF_JEQ_K, number) for number in numbers]
    for index, (opcode, value) in enumerate(checks):
        instructions.append((opcode, len(checks) - index, 0, value))
    instructions.append((BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW))
    instructions.append((BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | errno.EPERM))
    return instructions


def install():
    """Installs the filter on the calling process; raises OSError if the kernel refuses."""
    libc = ctypes.CDLL(None, use_errno=True)
    instructions = _program()
    raw = b"".join(struct.pack("HBBI", *instruction) for instruction in instructions)
    buffer = ctypes.create_string_buffer(raw, len(raw))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    program = SockFprog(len(instructions), ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")
