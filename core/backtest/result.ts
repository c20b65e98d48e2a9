import type { Timeline } from "../strategy/timeline.ts";
import type { AccountStatus } from "../trading/types.ts";
import type { BacktestInput } from "./input.ts";
import type { RunRecorder } from "./recorder.ts";
import { runFromColumns } from "./step-columns.ts";
import { roundTrips } from "./trades.ts";
import type { BacktestRun } from "./types.ts";

/**
 * The BacktestRun of a finished simulation. Built field by field in a fixed order from deterministic
 * parts only (no clock, no ids from a database), so the same inputs serialise to the same bytes. The
 * per-step series stay columns until someone reads them as points (runFromColumns).
 * @example const run = buildRun(input, timeline, recorder, account.status())
 */
export function buildRun(
  input: BacktestInput,
  timeline: Timeline,
  recorder: RunRecorder,
  status: AccountStatus,
): BacktestRun {
  const n = timeline.length;
  const last = lastCloses(timeline);
  const head = {
    id: input.id,
    settings: input.settings,
    plugin: { id: input.plugin.id, version: input.plugin.version, codeHash: input.plugin.codeHash },
    data: { first: timeline.time[0] as number, last: timeline.time[n - 1] as number, candles: n },
    fills: recorder.fills,
    trades: roundTrips(recorder.fills, recorder.reasonOf, last),
    verdicts: recorder.verdictCounts(),
    openAtEnd: status.positions
      .filter((p) => p.strategyId === input.plugin.id)
      .map((p) => ({
        symbol: p.symbol,
        quantity: p.quantity,
        entryPrice: p.entryPrice,
        lastPrice: last[p.symbol] ?? p.entryPrice,
      })),
  };
  // The time column is copied out of the candles: a view would keep (and ship over IPC) their whole buffer.
  const { equity, cash } = recorder.columns();
  return runFromColumns(head, { time: timeline.time.slice(), equity, cash, close: benchmarkCloses(timeline) });
}

/** The last close of each symbol. */
function lastCloses(timeline: Timeline): Record<string, number> {
  const out: Record<string, number> = {};
  timeline.symbols.forEach((symbol, s) => {
    const close = timeline.columns[s]?.close;
    if (!close) return;
    for (let i = close.length - 1; i >= 0; i--) {
      if (!Number.isNaN(close[i] as number)) {
        out[symbol] = close[i] as number;
        return;
      }
    }
  });
  return out;
}

/** The first symbol's close per step, carried over its gaps. */
function benchmarkCloses(timeline: Timeline): Float64Array {
  const close = timeline.columns[0]?.close;
  const out = new Float64Array(timeline.length);
  if (!close) return out.fill(Number.NaN);
  // `close` known to be there: read through `close?.[]`, every close was boxed on the way (a million a run).
  let carried = Number.NaN;
  for (let i = 0; i < timeline.length; i++) {
    const c = close[i] as number;
    if (!Number.isNaN(c)) carried = c;
    out[i] = carried;
  }
  return out;
}
