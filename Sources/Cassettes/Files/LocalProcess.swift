import Foundation

/// Processes on this machine, as far as the files they leave behind are concerned: temporary
/// files, recording journals and idempotency claims carry their writer's process id, so a
/// later process can tell a file still in use from one left by a process that was killed.
public enum LocalProcess {
    /// This process's id.
    public static var id: Int32 { getpid() }

    /// Whether a process with this id is running (owned by anyone). A killed writer's id may be
    /// reused by an unrelated process; its leftovers then wait until that one ends too.
    public static func isRunning(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
