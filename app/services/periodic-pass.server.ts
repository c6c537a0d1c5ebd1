/**
 * Runs `pass` now and then every `intervalMs`, never two at once: a pass still working through a
 * backlog is not joined by a second one. The timers do not keep the process alive. `pass` handles
 * its own errors (a rejection is only the end of that pass).
 */
export function startPeriodicPass(pass: () => Promise<unknown>, intervalMs: number): { stop(): void } {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    pass()
      .catch(() => {})
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  const first = setTimeout(run, 0);
  first.unref();
  return {
    stop() {
      clearInterval(timer);
      clearTimeout(first);
    },
  };
}
