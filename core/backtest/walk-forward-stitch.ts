import type { BacktestRun } from "./types.ts";

/**
 * The out-of-sample runs of a walk-forward joined into one run, as if the money had moved from each
 * test window into the next: window k is scaled by (equity at the end of window k-1) / cash, so its
 * returns compound on what the earlier windows made. Trades, fills and open positions scale with it;
 * returns in percent do not change. The result's params are those of the first window (each window
 * has its own; the walk-forward report lists them).
 * @example computeMetrics(stitchRuns(testRuns)).totalReturn // the out-of-sample return
 */
export function stitchRuns(runs: readonly BacktestRun[]): BacktestRun {
  const first = runs[0];
  const last = runs[runs.length - 1];
  if (!first || !last) throw new Error("stitchRuns needs at least one run");
  const cash = first.settings.cash;
  const equity: BacktestRun["equity"][number][] = [];
  const trades: BacktestRun["trades"][number][] = [];
  const fills: BacktestRun["fills"][number][] = [];
  const benchmark: BacktestRun["benchmark"][number][] = [];
  let openAtEnd: BacktestRun["openAtEnd"] = [];
  const verdicts = { approved: 0, resized: 0, rejected: 0 };
  let scale = 1;
  let candles = 0;
  for (const run of runs) {
    const f = scale;
    for (const p of run.equity) equity.push({ time: p.time, equity: p.equity * f, cash: p.cash * f });
    for (const t of run.trades) trades.push({ ...t, quantity: t.quantity * f, pnl: t.pnl * f, fees: t.fees * f });
    for (const x of run.fills) fills.push({ ...x, amount: x.amount * f, fee: x.fee * f });
    benchmark.push(...run.benchmark);
    openAtEnd = run.openAtEnd.map((p) => ({ ...p, quantity: p.quantity * f }));
    verdicts.approved += run.verdicts.approved;
    verdicts.resized += run.verdicts.resized;
    verdicts.rejected += run.verdicts.rejected;
    candles += run.data.candles;
    const end = run.equity[run.equity.length - 1];
    if (end) scale = (end.equity * f) / cash;
  }
  return {
    settings: { ...first.settings, from: first.settings.from, to: last.settings.to },
    plugin: first.plugin,
    data: { first: first.data.first, last: last.data.last, candles },
    fills,
    trades,
    equity,
    benchmark,
    verdicts,
    openAtEnd,
  };
}
