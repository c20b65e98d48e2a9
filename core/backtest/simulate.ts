import { MemoryBus } from "../bus/memory-bus.ts";
import { SimulatedClock } from "../clock.ts";
import { lowerBound } from "../market/columns.ts";
import { PluginFailure, type PluginFailureInfo } from "../plugins/sandbox/failure.ts";
import { LocalSandbox } from "../plugins/sandbox/local.ts";
import { migratedMemoryStore } from "../store/memory-store.ts";
import { StrategyRunner } from "../strategy/runner.ts";
import { buildTimeline, type Timeline } from "../strategy/timeline.ts";
import type { StrategySession } from "../trading/session.ts";
import type { StrategyBinding } from "../trading/types.ts";
import { BacktestError } from "./errors.ts";
import type { BacktestInput } from "./input.ts";
import { RunRecorder } from "./recorder.ts";
import { replay } from "./replay.ts";
import { replayTargets } from "./replay-targets.ts";
import { buildRun } from "./result.ts";
import type { BacktestRun } from "./types.ts";
import { backtestAccount, backtestVenue } from "./venue.ts";

export interface SimulateOptions {
  /** Steps replayed so far and in all, about 200 times a run. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * "memory" (default): a plain in-memory ledger with the same plans (same fills), no verdict rows.
   * "store": the executor's durable SQLite ledger and verdict rows, in the run's own in-memory database,
   * exactly as live. That database is dropped when the run ends, so a backtest gains nothing from the
   * durability but its cost; "store" is there to run the live write path itself (tests, benchmarks).
   */
  readonly ledger?: "store" | "memory";
}

/**
 * Runs a prepared backtest in THIS process: the plugin in an isolate entered synchronously
 * (LocalSandbox), the live trading account (risk rules, executor, stops) on a simulated clock and a
 * paper venue, over the candles. Only for a process that is itself a sandbox worker (runBacktest's
 * child), a test, or a benchmark: never the engine's main process, which a hostile plugin could hang.
 * @example const run = await simulate(await prepareBacktest(settings, options))
 */
export async function simulate(input: BacktestInput, options: SimulateOptions = {}): Promise<BacktestRun> {
  const { settings, plugin, symbols } = input;
  const whole = buildTimeline(input.candles, symbols);
  const first = lowerBound(whole.time, input.start);
  const main = sliceTimeline(whole, first, whole.length);
  if (main.length === 0) throw new BacktestError("data", "no candles to replay");
  const store = await migratedMemoryStore();
  try {
    const clock = new SimulatedClock(main.time[0] as number);
    const bus = new MemoryBus();
    const venue = await backtestVenue(settings, clock, input.quote);
    const account = backtestAccount({
      settings,
      venue,
      store,
      bus,
      clock,
      quote: input.quote,
      ledger: options.ledger ?? "memory",
    });
    await account.start();
    const sandbox = await LocalSandbox.create(plugin.spec, { bus, strategyId: plugin.id }).catch((error: unknown) => {
      throw error instanceof PluginFailure ? failed(plugin.id, error.toInfo()) : error;
    });
    try {
      const runner = new StrategyRunner({
        strategyId: plugin.id,
        symbols,
        params: plugin.params,
        sandbox,
        warmup: plugin.warmup,
        bus,
      });
      const strategy: StrategyBinding = { id: plugin.id, allocation: { pct: 100 } };
      const session: StrategySession = { strategy, runner, symbols };
      const warm = first > 0 ? sliceTimeline(whole, 0, first) : undefined;
      const startFailure = await runner.start({
        snapshot: account.snapshotFor(strategy),
        ...(warm && { warmup: warm }),
      });
      if (startFailure) throw failed(plugin.id, startFailure);
      const recorder = new RunRecorder(main.length);
      const failure = await (runner.usesTargets ? replayTargets : replay)({
        account,
        session,
        timeline: main,
        clock,
        recorder,
        ...(options.onProgress && { onProgress: options.onProgress }),
      });
      if (failure) throw failed(plugin.id, failure);
      // onStop runs (a plugin may save state), but the data ended: nobody stopped the strategy, so what
      // it asks for is not traded; closeAtEnd decides what happens to open positions.
      await runner.stop(account.snapshotFor(strategy));
      clock.set(main.time[main.length - 1] as number);
      if (settings.closeAtEnd) {
        for (const symbol of symbols) {
          const outcome = await account.closePosition(strategy, symbol, "end of backtest");
          if (outcome) recorder.collect({ outcomes: [outcome], fills: outcome.fills });
        }
      }
      const value = account.valuation();
      recorder.point(main.length - 1, value.equity, value.cash);
      return buildRun(input, main, recorder, account.status());
    } finally {
      await sandbox.dispose();
      await account.stop();
    }
  } finally {
    await store.close();
  }
}

/** Steps [from, to) of a timeline, as views. */
export function sliceTimeline(t: Timeline, from: number, to: number): Timeline {
  if (from === 0 && to === t.length) return t;
  const time = t.time.subarray(from, to);
  return {
    symbols: t.symbols,
    length: to - from,
    time,
    columns: t.columns.map((c) => ({
      time,
      open: c.open.subarray(from, to),
      high: c.high.subarray(from, to),
      low: c.low.subarray(from, to),
      close: c.close.subarray(from, to),
      volume: c.volume.subarray(from, to),
    })),
  };
}

function failed(pluginId: string, failure: PluginFailureInfo): BacktestError {
  return new BacktestError("plugin-failed", `${pluginId} failed (${failure.cause}): ${failure.message}`);
}
