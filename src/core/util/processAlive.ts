/**
 * Whether a process with this id runs on this machine (signal 0 checks without sending). EPERM
 * means it exists but belongs to another user: alive. Used to tell stale lock files and judge runs
 * left by a crashed process from ones still in progress.
 */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
