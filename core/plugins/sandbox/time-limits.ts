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

/**
 * How many times its per-call budget a plugin may use the first time a piece of its code runs: loading
 * the entry, and the first call of each hook. V8 compiles lazily, so first runs pay for parsing,
 * compiling and warming inline caches (and the bundled indicators too); seen here at 60-85 ms for
 * plugins whose warm calls take well under 1 ms. A loop in top-level code still fails, only later.
 * @example coldBudget(50) // 500
 */
export const COLD_START_FACTOR = 10;

export function coldBudget(cpuBudgetMs: number): number {
  return cpuBudgetMs * COLD_START_FACTOR;
}
