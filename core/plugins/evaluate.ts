import { readFileSync } from "node:fs";
import path from "node:path";
import type { Candle } from "../domain/candle.ts";
import type { IntentSize, PriceLevel, TrailingStop } from "../domain/order.ts";
import { type EmittedIntent, StrategyRunner } from "../strategy/runner.ts";
import type { EmittedTarget } from "../strategy/targets.ts";
import { buildTimeline, candleAt } from "../strategy/timeline.ts";
import { STATE_CAP_BYTES } from "./host-api.ts";
import { loadManifest } from "./manifest.ts";
import { validateParams } from "./params.ts";
import { PositionBook } from "./position-book.ts";
import { PluginFailure, type PluginFailureInfo } from "./sandbox/failure.ts";
import type { SandboxHandle } from "./sandbox/handle.ts";
import { sharedPool } from "./sandbox/shared-pool.ts";

export interface EvaluateOptions {
  /** The plugin folder, e.g. "plugins/sma-cross". */
  pluginDir: string;
  /** Validated against the manifest, defaults applied. */
  params?: Record<string, number | boolean | string>;
  /** By symbol; multi-symbol series share timestamps. */
  candles: Record<string, Candle[]>;
  /** Quote allocation, default 10_000. */
  cash?: number;
  /**
   * "close" (default): each market intent fills at once at that candle's close, no fees, so the plugin sees
   * its position from the next candle on; "none": positions stay flat.
   */
  fill?: "close" | "none";
}

export interface EvaluatedIntent {
  /** Index of the candle (step) that caused the intent. */
  index: number;
  time: number;
  symbol: string;
  side: "buy" | "sell";
  reduceOnly: boolean;
  size: IntentSize;
  type: "market" | "limit";
  limitPrice?: number;
  stopLoss?: PriceLevel;
  takeProfit?: PriceLevel;
  trailingStop?: TrailingStop;
  reason?: string;
}

/** Fills chained through onFill within one step before the plugin counts as looping. */
const MAX_FILL_CHAIN = 8;
let evaluations = 0;

/**
 * Runs a plugin over hand-made or sample candles the way the engine would: the real sandbox (an isolate
 * in a supervised worker process) and the real runner, with a simple host-side book for fills. For the
 * built-in plugins' tests and `quantchat plugins validate`.
 *
 * Every candle given is live (no warm-up replay), so `index` is the position in the arrays. A manifest or
 * params problem throws; a plugin failure returns the intents up to it and `failed`.
 * @example
 * const { intents } = await evaluatePlugin({ pluginDir: "plugins/sma-cross", params: { fast: 2, slow: 4 }, candles: { "BTC/USDT": candles } });
 * intents[0] // { index: 5, side: "buy", size: { kind: "fraction", value: 1 }, ... }
 */
export async function evaluatePlugin(
  options: EvaluateOptions,
): Promise<{ intents: EvaluatedIntent[]; logs: string[]; failed?: { cause: string; message: string } }> {
  const dir = path.resolve(options.pluginDir);
  const { manifest } = loadManifest(dir);
  const applied = validateParams(manifest, options.params ?? {});
  if (!applied.ok) throw new Error(`${manifest.id}: ${applied.problems.map((p) => p.text).join("; ")}`);
  const symbols = Object.keys(options.candles);
  if (symbols.length < manifest.symbols.min || symbols.length > manifest.symbols.max) {
    throw new Error(
      `${manifest.id} trades ${manifest.symbols.min} to ${manifest.symbols.max} symbols, got ${symbols.length}`,
    );
  }
  const entryPath = path.join(dir, manifest.entry);
  const spec = {
    instanceId: `evaluate-${manifest.id}-${process.pid}-${++evaluations}`,
    pluginId: manifest.id,
    code: readFileSync(entryPath, "utf8"),
    filename: path.relative(process.cwd(), entryPath) || entryPath,
    limits: manifest.limits,
    permissions: manifest.permissions,
    stateCapBytes: STATE_CAP_BYTES,
  };

  const intents: EvaluatedIntent[] = [];
  const logs: string[] = [];
  let sandbox: SandboxHandle;
  try {
    sandbox = await sharedPool().createInstance(spec, { restart: false });
  } catch (error) {
    if (error instanceof PluginFailure) return { intents, logs, failed: error.toInfo() };
    throw error;
  }
  try {
    const runner = new StrategyRunner({
      strategyId: spec.instanceId,
      symbols,
      params: applied.params,
      sandbox,
      onLog: (line) => logs.push(`${line.level}: ${line.message}`),
    });
    const book = new PositionBook(options.cash ?? 10_000);
    const timeline = buildTimeline(options.candles, symbols);
    const fills = options.fill ?? "close";

    // Records intents of step `index`, fills them, runs onFill, and repeats for what onFill asks.
    const settle = async (emitted: readonly EmittedIntent[], index: number): Promise<PluginFailureInfo | undefined> => {
      let batch = emitted;
      for (let depth = 0; batch.length > 0; depth++) {
        if (depth > MAX_FILL_CHAIN)
          return {
            cause: "invalid-output",
            message: `onFill kept ordering: over ${MAX_FILL_CHAIN} rounds in one step`,
          };
        const filled = [];
        for (const { intent, candle } of batch) {
          intents.push(evaluated(intent, index, candle.time));
          if (fills === "close" && intent.type === "market") {
            const price = candleAt(timeline, symbols.indexOf(intent.symbol), index)?.close ?? candle.close;
            const fill = book.apply(intent, price, candle.time);
            if (fill) filled.push(fill);
          }
        }
        const next: EmittedIntent[] = [];
        for (const fill of filled) {
          const r = await runner.onFill(fill, book.snapshot());
          if (r.failed) return r.failed;
          next.push(...r.intents);
        }
        batch = next;
      }
      return undefined;
    };

    // An onCandles plugin's targets become orders at their step, against the position held then.
    const resolve = async (targets: readonly EmittedTarget[]): Promise<PluginFailureInfo | undefined> => {
      for (const t of targets) {
        const candle = candleAt(timeline, symbols.indexOf(t.target.symbol), t.step);
        const emitted = await runner.targetIntents(t, book.quantity(t.target.symbol), candle);
        const failure = await settle(emitted, t.step);
        if (failure) return failure;
      }
      return undefined;
    };

    let failed = await runner.start({ snapshot: book.snapshot() });
    let from = 0;
    while (!failed && from < timeline.length) {
      const r = await runner.processCandles(timeline, { from, snapshot: book.snapshot() });
      failed = r.targets
        ? ((await resolve(r.targets)) ?? r.failed)
        : (r.failed ?? (await settle(r.intents, r.reachedIndex - 1)));
      from = r.reachedIndex;
    }
    if (!failed) {
      const r = await runner.stop(book.snapshot());
      failed = r.failed;
      for (const { intent, candle } of r.intents) intents.push(evaluated(intent, timeline.length - 1, candle.time));
    }
    return failed ? { intents, logs, failed: { cause: failed.cause, message: failed.message } } : { intents, logs };
  } finally {
    await sandbox.dispose();
  }
}

function evaluated(intent: EmittedIntent["intent"], index: number, time: number): EvaluatedIntent {
  const { symbol, side, reduceOnly, size, type, limitPrice, stopLoss, takeProfit, trailingStop, reason } = intent;
  return {
    index,
    time,
    symbol,
    side,
    reduceOnly,
    size,
    // The sandbox's output schema admits only these two; "stop" orders are the engine's own.
    type: type as "market" | "limit",
    ...(limitPrice !== undefined ? { limitPrice } : {}),
    ...(stopLoss !== undefined ? { stopLoss } : {}),
    ...(takeProfit !== undefined ? { takeProfit } : {}),
    ...(trailingStop !== undefined ? { trailingStop } : {}),
    ...(reason !== undefined ? { reason } : {}),
  };
}
