/**
 * Noticing that the process which started this one is gone. `npm start` runs the bot under npm
 * and `sh -c`; a SIGTERM to npm ends npm and the shell without passing it on, and the bot, now
 * an orphan, would go on serving with nobody to stop or restart it. Linux tells a child nothing
 * when its parent dies, so the parent's id is checked every second.
 */

/** How often the parent is checked. */
export const PARENT_CHECK_MS = 1_000;

/**
 * Calls `gone` once, when this process has been re-parented (its parent exited). Does nothing
 * for a process started by init or a container's runtime (parent id 0 or 1). The timer does not
 * keep the process alive.
 *
 * @param gone - what to do then (typically: stop as on SIGTERM)
 */
export function watchParent(gone: () => void): void {
  const parent = process.ppid;
  if (parent <= 1) return;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    gone();
  }, PARENT_CHECK_MS);
  timer.unref();
}
