"""A seccomp filter that makes process creation, program execution, sockets, signals and
other calls that reach beyond the job's own process fail with EPERM in a job's child.

It is the "no new processes" layer that still holds when the host runs as root (where the
kernel does not enforce RLIMIT_NPROC), and it also refuses sockets when no network namespace
could be made. Every call that can signal another process is listed (kill, tkill, tgkill,
rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_send_signal), and so are those that touch another
process in other ways (ptrace, process_vm_*, pidfd_getfd, kcmp, process_madvise, scheduling
and I/O priorities, migrate_pages/move_pages, prlimit64 on any pid but 0), System V and POSIX
IPC, keyrings, and mount, module and reboot calls. It is a list of what is refused, not of what
is allowed: a default-deny list for CPython would have to follow every libc and interpreter
version, and what it would add is covered by the filesystem and ipc_scope layers.
Linux on x86_64 and aarch64 only; elsewhere ``supported()`` is False.
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

# seccomp_data: int nr at offset 0, __u32 arch at offset 4, u64 args[6] from offset 16.
# Per architecture: the audit arch, the refused calls, and prlimit64 (refused for pid != 0:
# resource.setrlimit on the job itself is fine, on the host or server it is not).
ARCHES = {
    "x86_64": (0xC000003E, {
        "clone": 56, "fork": 57, "vfork": 58, "execve": 59, "execveat": 322, "clone3": 435,
        "socket": 41, "socketpair": 53, "connect": 42, "bind": 49, "listen": 50,
        "accept": 43, "accept4": 288, "kill": 62, "tkill": 200, "tgkill": 234,
        "ptrace": 101, "unshare": 272, "setns": 308, "mount": 165, "chroot": 161,
        "process_vm_readv": 310, "process_vm_writev": 311, "pidfd_open": 434,
        "pidfd_send_signal": 424, "keyctl": 250, "bpf": 321, "perf_event_open": 298,
        "userfaultfd": 323, "io_uring_setup": 425, "prctl": 157,
        "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297, "pidfd_getfd": 438, "kcmp": 312,
        "process_madvise": 440, "setpriority": 141, "sched_setparam": 142, "sched_setscheduler": 144,
        "sched_setaffinity": 203, "sched_setattr": 314, "ioprio_set": 251, "migrate_pages": 256,
        "move_pages": 279, "shmget": 29, "shmat": 30, "shmctl": 31, "semget": 64, "semop": 65,
        "semctl": 66, "semtimedop": 220, "msgget": 68, "msgsnd": 69, "msgrcv": 70, "msgctl": 71,
        "mq_open": 240, "mq_unlink": 241, "mq_timedsend": 242, "mq_timedreceive": 243,
        "mq_notify": 244, "add_key": 248, "request_key": 249, "open_by_handle_at": 304,
        "name_to_handle_at": 303, "pivot_root": 155, "umount2": 166, "mount_setattr": 442,
        "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "move_mount": 429,
        "open_tree": 428, "init_module": 175, "finit_module": 313, "delete_module": 176,
        "kexec_load": 246, "kexec_file_load": 320, "reboot": 169, "swapon": 167, "swapoff": 168,
        "acct": 163, "quotactl": 179, "personality": 135,
    }, 302),
    "aarch64": (0xC00000B7, {
        "clone": 220, "execve": 221, "execveat": 281, "clone3": 435,
        "socket": 198, "socketpair": 199, "bind": 200, "listen": 201, "accept": 202,
        "connect": 203, "accept4": 242, "kill": 129, "tkill": 130, "tgkill": 131,
        "ptrace": 117, "unshare": 97, "setns": 268, "mount": 40, "chroot": 51,
        "process_vm_readv": 270, "process_vm_writev": 271, "pidfd_open": 434,
        "pidfd_send_signal": 424, "keyctl": 219, "bpf": 280, "perf_event_open": 241,
        "userfaultfd": 282, "io_uring_setup": 425, "prctl": 167,
        "rt_sigqueueinfo": 138, "rt_tgsigqueueinfo": 240, "pidfd_getfd": 438, "kcmp": 272,
        "process_madvise": 440, "setpriority": 140, "sched_setparam": 118, "sched_setscheduler": 119,
        "sched_setaffinity": 122, "sched_setattr": 274, "ioprio_set": 30, "migrate_pages": 238,
        "move_pages": 239, "shmget": 194, "shmat": 196, "shmctl": 195, "semget": 190, "semop": 193,
        "semctl": 191, "semtimedop": 192, "msgget": 186, "msgsnd": 189, "msgrcv": 188, "msgctl": 187,
        "mq_open": 180, "mq_unlink": 181, "mq_timedsend": 182, "mq_timedreceive": 183,
        "mq_notify": 184, "add_key": 217, "request_key": 218, "open_by_handle_at": 265,
        "name_to_handle_at": 264, "pivot_root": 41, "umount2": 39, "mount_setattr": 442,
        "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "move_mount": 429,
        "open_tree": 428, "init_module": 105, "finit_module": 273, "delete_module": 106,
        "kexec_load": 104, "kexec_file_load": 294, "reboot": 142, "swapon": 224, "swapoff": 225,
        "acct": 89, "quotactl": 60, "personality": 92,
    }, 261),
}
X32_SYSCALL_BIT = 0x40000000


def supported():
    return os.uname().machine in ARCHES


def _program():
    arch, table, prlimit64 = ARCHES[os.uname().machine]
    numbers = sorted(set(table.values()))
    deny = (BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | errno.EPERM)
    allow = (BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW)
    instructions = [
        (BPF_LD_W_ABS, 0, 0, 4),
        (BPF_JEQ_K, 1, 0, arch),
        (BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS),
        (BPF_LD_W_ABS, 0, 0, 0),
    ]
    # prlimit64: allowed only when both halves of args[0] (the pid) are 0.
    instructions += [
        (BPF_JEQ_K, 0, 6, prlimit64),
        (BPF_LD_W_ABS, 0, 0, 16),
        (BPF_JEQ_K, 0, 2, 0),
        (BPF_LD_W_ABS, 0, 0, 20),
        (BPF_JEQ_K, 1, 0, 0),
        deny,
        allow,
    ]
    # Each jump lands on the final "deny" instruction: skip the remaining checks and "allow".
    checks = [(BPF_JGE_K, X32_SYSCALL_BIT)] + [(BPF_JEQ_K, number) for number in numbers]
    for index, (opcode, value) in enumerate(checks):
        instructions.append((opcode, len(checks) - index, 0, value))
    instructions.append(allow)
    instructions.append(deny)
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
