/**
 * A plugin's limit is CPU time, but isolated-vm's `timeout` counts wall-clock time, which a busy host
 * stretches: a 50 ms hook can take 200 ms of wall time on a loaded machine without using more CPU. So the
 * isolate runs under a looser wall-clock timeout that only stops runaway code, and the CPU time it actually
 * used (isolate.cpuTime, about 0.1 µs to read) is checked against the budget after each call.
 * @example wallClockLimit(50) // 350
 */
export function wallClockLimit(cpuBudgetMs: number): number {
  return 2 * cpuBudgetMs + 250;
}
