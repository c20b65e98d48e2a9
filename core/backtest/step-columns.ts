import type { BacktestRun, EquityPoint } from "./types.ts";

/** A run's per-step series as Float64 columns: step `i` is `time[i]`, its equity, cash and benchmark close. */
export interface StepColumns {
  readonly time: Float64Array;
  readonly equity: Float64Array;
  readonly cash: Float64Array;
  /** The first symbol's close, carried over its gaps (NaN before its first candle). */
  readonly close: Float64Array;
}

/** The columns behind each run built from columns, so that readers of the series never need the objects. */
const BEHIND = new WeakMap<BacktestRun, StepColumns>();

/**
 * A run whose `equity` and `benchmark` are built from the columns the first time they are read (then
 * kept), in the key order buildRun has always written, so JSON, spreads and structured clones see the
 * same plain run. A million steps are two million objects: the sweep's metrics, the stored form and the
 * backtest child's IPC read the columns instead (stepColumns) and never build them.
 * @example const run = runFromColumns(head, columns); stepColumns(run) === columns // true
 */
export function runFromColumns(head: Omit<BacktestRun, "equity" | "benchmark">, columns: StepColumns): BacktestRun {
  const run = {
    ...(head.id !== undefined && { id: head.id }),
    settings: head.settings,
    plugin: head.plugin,
    data: head.data,
    fills: head.fills,
    trades: head.trades,
  } as Record<string, unknown>;
  lazy(run, "equity", () => equityPoints(columns));
  lazy(run, "benchmark", () => benchmarkPoints(columns));
  run.verdicts = head.verdicts;
  run.openAtEnd = head.openAtEnd;
  const built = run as unknown as BacktestRun;
  BEHIND.set(built, columns);
  return built;
}

/**
 * The per-step series of a run as columns: the ones it was built from, or read off its objects.
 * @example const { time, equity } = stepColumns(run)
 */
export function stepColumns(run: BacktestRun): StepColumns {
  const known = BEHIND.get(run);
  if (known) return known;
  const { equity, benchmark } = run;
  const n = equity.length;
  const columns = {
    time: new Float64Array(n),
    equity: new Float64Array(n),
    cash: new Float64Array(n),
    close: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const p = equity[i] as EquityPoint;
    columns.time[i] = p.time;
    columns.equity[i] = p.equity;
    columns.cash[i] = p.cash;
    columns.close[i] = benchmark[i]?.close ?? Number.NaN;
  }
  return columns;
}

function equityPoints(c: StepColumns): EquityPoint[] {
  const out: EquityPoint[] = new Array(c.time.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = { time: c.time[i] as number, equity: c.equity[i] as number, cash: c.cash[i] as number };
  }
  return out;
}

function benchmarkPoints(c: StepColumns): BacktestRun["benchmark"][number][] {
  const out: { time: number; close: number }[] = new Array(c.time.length);
  for (let i = 0; i < out.length; i++) out[i] = { time: c.time[i] as number, close: c.close[i] as number };
  return out;
}

/** An enumerable property computed on first read, then a plain read-only value in the same place. */
function lazy(target: Record<string, unknown>, key: string, make: () => unknown): void {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = make();
      Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
  });
}
