import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import type { Candle } from "../../core/domain/candle.ts";
import type { IntentSize } from "../../core/domain/order.ts";
import type { EvaluatedIntent } from "../../core/plugins/evaluate.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const HOUR = 3_600_000;
/** Open time of the first hand-made candle: 2024-01-01 00:00 UTC. */
export const T0 = Date.UTC(2024, 0, 1);

/** The folder of a built-in plugin, as `evaluatePlugin` takes it. */
export function pluginDir(id: string): string {
  return path.join(ROOT, "plugins", id);
}

/** Ids of every built-in plugin (every folder under plugins/ with a plugin.yaml). */
export function builtInPluginIds(): string[] {
  return readdirSync(path.join(ROOT, "plugins"))
    .filter((id) => existsSync(path.join(ROOT, "plugins", id, "plugin.yaml")))
    .sort();
}

/** One hourly candle per [open, high, low, close] row, starting at T0; volume 1. */
export function fromOhlc(rows: readonly (readonly [number, number, number, number])[]): Candle[] {
  return rows.map(([open, high, low, close], i) => ({ time: T0 + i * HOUR, open, high, low, close, volume: 1 }));
}

/**
 * Hourly candles from closes alone: open = close, high = close + spread, low = close - spread. With
 * spread 0 each candle is a single price, so "highest high" and "lowest low" are plain closes.
 */
export function fromCloses(closes: readonly number[], spread = 0): Candle[] {
  return fromOhlc(closes.map((c) => [c, c + spread, c - spread, c] as const));
}

/** `n` copies of `value`: flat stretches of a hand-made series. */
export function flat(value: number, n: number): number[] {
  return new Array<number>(n).fill(value);
}

/** The shipped sample file: the repo's data/ copy, or the shared one. */
function dataFile(name: string): string {
  const local = path.join(ROOT, "data", name);
  return existsSync(local) ? local : path.join(ROOT, "..", "shared", "data", name);
}

/** The first `limit` candles of a shipped CSV (gzipped or not): timestamp_ms,open,high,low,close,volume. */
export function readSampleCandles(name: string, limit = Number.POSITIVE_INFINITY): Candle[] {
  const raw = readFileSync(dataFile(name));
  const text = (name.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
  const lines = text.split("\n");
  const out: Candle[] = [];
  for (let i = 1; i < lines.length && out.length < limit; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    const [time, open, high, low, close, volume] = line.split(",").map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    out.push({ time, open, high, low, close, volume });
  }
  return out;
}

/** The series restricted to the timestamps all of them have, in time order. */
export function alignOnTime(series: Record<string, Candle[]>): Record<string, Candle[]> {
  const lists = Object.values(series);
  let common = new Set(lists[0]!.map((c) => c.time));
  for (const list of lists.slice(1)) {
    const times = new Set(list.map((c) => c.time));
    common = new Set([...common].filter((t) => times.has(t)));
  }
  const out: Record<string, Candle[]> = {};
  for (const [symbol, list] of Object.entries(series)) out[symbol] = list.filter((c) => common.has(c.time));
  return out;
}

/** What a hand-checked test asserts of each intent. */
export interface Expected {
  index: number;
  side: "buy" | "sell";
  reduceOnly: boolean;
  size: IntentSize;
  symbol?: string;
}

/** The asserted fields of each intent, in order (symbol only when `withSymbol`). */
export function brief(intents: readonly EvaluatedIntent[], withSymbol = false): Expected[] {
  return intents.map((i) => ({
    index: i.index,
    side: i.side,
    reduceOnly: i.reduceOnly,
    size: i.size,
    ...(withSymbol ? { symbol: i.symbol } : {}),
  }));
}

export const fraction = (value: number): IntentSize => ({ kind: "fraction", value });
export const quote = (value: number): IntentSize => ({ kind: "quote", value });
export const base = (value: number): IntentSize => ({ kind: "base", value });

/** A long entry at `index` of `size` (default: the whole allocation). */
export function entry(index: number, size: IntentSize = fraction(1)): Expected {
  return { index, side: "buy", reduceOnly: false, size };
}

/** A short entry at `index`. */
export function shortEntry(index: number, size: IntentSize = fraction(1)): Expected {
  return { index, side: "sell", reduceOnly: false, size };
}

/** What `ctx.close()` of a long becomes: a reduce-only sell of the whole position. */
export function exit(index: number): Expected {
  return { index, side: "sell", reduceOnly: true, size: fraction(1) };
}

/** What `ctx.close()` of a short becomes: a reduce-only buy of the whole position. */
export function cover(index: number): Expected {
  return { index, side: "buy", reduceOnly: true, size: fraction(1) };
}

/**
 * For a long-only, single-position strategy: intents go entry, exit, entry, exit... never two entries
 * without an exit between them, never an exit while flat. Returns the problems found.
 */
export function alternationProblems(intents: readonly EvaluatedIntent[]): string[] {
  const problems: string[] = [];
  let long = false;
  for (const i of intents) {
    const isEntry = i.side === "buy" && !i.reduceOnly;
    const isExit = i.side === "sell" && i.reduceOnly;
    if (!isEntry && !isExit) problems.push(`index ${i.index}: neither a long entry nor an exit`);
    else if (isEntry && long) problems.push(`index ${i.index}: second entry without an exit`);
    else if (isExit && !long) problems.push(`index ${i.index}: exit while flat`);
    else long = isEntry;
  }
  return problems;
}
