// Runs inside the isolate: writes the bootstrap's answer as JSON text by hand. JSON.stringify of an object
// looks up `toJSON` through its prototype chain, and Object.prototype stays unfrozen (see harden.ts), so a
// plugin could plant one there. Here every value is read from our own null-prototype records and only
// primitives reach JSON.stringify, which never consults a prototype for them.

import type { FailureReport } from "./errors.ts";
import type { LogLine } from "./logbook.ts";
import type { IntentOut, LevelOut, TargetOrderOut, TrailingOut } from "./orders.ts";

/**
 * The targets of an onCandles batch, as parallel lists (one entry per target: its index in the batch,
 * its side code, its order's index in `orders`) and the table of distinct orders, already written as
 * JSON by orderText: a batch may hold thousands of targets and only a few different orders.
 */
export interface TargetsAnswer {
  at: readonly number[];
  side: readonly number[];
  order: readonly number[];
  orders: readonly string[];
}

/** Everything an answer may carry; absent fields are left out. */
export interface Answer {
  intents: readonly IntentOut[];
  logs: readonly LogLine[];
  reached?: number;
  state?: string;
  error?: FailureReport;
  hooks?: readonly string[];
  unknown?: readonly string[];
  targets?: TargetsAnswer;
}

/** @example serializeAnswer({ intents: [], logs: [], reached: 3 }) // '{"intents":[],"logs":[],"reached":3}' */
export function serializeAnswer(answer: Answer): string {
  let out = `{"intents":${list(answer.intents, intent)},"logs":${list(answer.logs, log)}`;
  if (answer.reached !== undefined) out += `,"reached":${num(answer.reached)}`;
  if (answer.state !== undefined) out += `,"state":${str(answer.state)}`;
  if (answer.error !== undefined)
    out += `,"error":{"cause":${str(answer.error.cause)},"message":${str(answer.error.message)}}`;
  if (answer.hooks !== undefined) out += `,"hooks":${list(answer.hooks, str)}`;
  if (answer.unknown !== undefined) out += `,"unknown":${list(answer.unknown, str)}`;
  if (answer.targets !== undefined) {
    const t = answer.targets;
    out += `,"targets":{"at":${numbers(t.at)},"side":${numbers(t.side)},"order":${numbers(t.order)}`;
    out += `,"orders":[${t.orders.join(",")}]}`;
  }
  return `${out}}`;
}

/**
 * A target's order as JSON, fields in a fixed order: equal orders give equal text, which is what the
 * table of a batch is keyed by.
 * @example orderText({ symbol: "BTC/USDT", size: { kind: "fraction", value: 1 } }) // '{"symbol":"BTC/USDT","size":{"kind":"fraction","value":1}}'
 */
export function orderText(o: TargetOrderOut): string {
  let out = `{"symbol":${str(o.symbol)},"size":{"kind":${str(o.size.kind)},"value":${num(o.size.value)}}`;
  if (o.stopLoss !== undefined) out += `,"stopLoss":${level(o.stopLoss)}`;
  if (o.takeProfit !== undefined) out += `,"takeProfit":${level(o.takeProfit)}`;
  if (o.trailingStop !== undefined) out += `,"trailingStop":${trailing(o.trailingStop)}`;
  if (o.reason !== undefined) out += `,"reason":${str(o.reason)}`;
  return `${out}}`;
}

function intent(i: IntentOut): string {
  let out = `{"symbol":${str(i.symbol)},"side":${str(i.side)},"reduceOnly":${i.reduceOnly ? "true" : "false"}`;
  out += `,"size":{"kind":${str(i.size.kind)},"value":${num(i.size.value)}},"type":${str(i.type)}`;
  if (i.limitPrice !== undefined) out += `,"limitPrice":${num(i.limitPrice)}`;
  if (i.stopLoss !== undefined) out += `,"stopLoss":${level(i.stopLoss)}`;
  if (i.takeProfit !== undefined) out += `,"takeProfit":${level(i.takeProfit)}`;
  if (i.trailingStop !== undefined) out += `,"trailingStop":${trailing(i.trailingStop)}`;
  if (i.reason !== undefined) out += `,"reason":${str(i.reason)}`;
  return `${out}}`;
}

function level(l: LevelOut): string {
  return "price" in l ? `{"price":${num(l.price)}}` : `{"pct":${num(l.pct)}}`;
}

function trailing(t: TrailingOut): string {
  switch (t.mode) {
    case "percent":
      return `{"mode":"percent","pct":${num(t.pct)}}`;
    case "atr":
      return `{"mode":"atr","multiple":${num(t.multiple)},"period":${num(t.period)}}`;
    case "step":
      return `{"mode":"step","bands":${list(t.bands, (b) => `{"profitPct":${num(b.profitPct)},"trailPct":${num(b.trailPct)}}`)}}`;
    case "sar":
      return `{"mode":"sar","step":${num(t.step)},"max":${num(t.max)}}`;
  }
}

function log(l: LogLine): string {
  return `{"level":${str(l.level)},"message":${str(l.message)}}`;
}

function list<T>(items: readonly T[], write: (item: T) => string): string {
  let out = "[";
  for (let i = 0; i < items.length; i++) out += (i === 0 ? "" : ",") + write(items[i] as T);
  return `${out}]`;
}

/** Integers the bootstrap counted itself; join never calls a plugin's code for them. */
function numbers(values: readonly number[]): string {
  return `[${values.join(",")}]`;
}

function str(value: string): string {
  return JSON.stringify(`${value}`);
}

/** Numbers here are validated finite; anything else becomes null, which the host rejects. */
function num(value: number): string {
  return Number.isFinite(value) ? `${value}` : "null";
}
