// Runs inside the isolate: turns what a plugin passes to ctx.buy/sell/close into a clean intent, reading
// each field of the plugin's object exactly once (a getter cannot answer differently to the check and
// to the copy) and copying only primitives. Anything malformed throws InvalidOrderError at the call
// site, so the plugin author gets a line number; the host validates the result again regardless.

import { InvalidOrderError } from "./errors.ts";
import { OUTPUT_LIMITS } from "./limits.ts";

export type SizeOut = { kind: "fraction" | "quote" | "base"; value: number };
export type LevelOut = { price: number } | { pct: number };
export type TrailingOut =
  | { mode: "percent"; pct: number }
  | { mode: "atr"; multiple: number; period: number }
  | { mode: "step"; bands: { profitPct: number; trailPct: number }[] }
  | { mode: "sar"; step: number; max: number };

/** An intent as the bootstrap emits it; the host adds ids, the strategy and the candle time. */
export interface IntentOut {
  symbol: string;
  side: "buy" | "sell";
  reduceOnly: boolean;
  size: SizeOut;
  type: "market" | "limit";
  limitPrice?: number;
  stopLoss?: LevelOut;
  takeProfit?: LevelOut;
  trailingStop?: TrailingOut;
  reason?: string;
}

/** The order of a target (ctx.target): what an entry towards it carries. */
export interface TargetOrderOut {
  symbol: string;
  size: SizeOut;
  stopLoss?: LevelOut;
  takeProfit?: LevelOut;
  trailingStop?: TrailingOut;
  reason?: string;
}

const ORDER_KEYS = ["symbol", "size", "type", "limitPrice", "stopLoss", "takeProfit", "trailingStop", "reason"];
const TARGET_KEYS = ["symbol", "size", "stopLoss", "takeProfit", "trailingStop", "reason"];
const CLOSE_KEYS = ["symbol", "reason"];
const L = OUTPUT_LIMITS;

/** A copy of `fields` on a null prototype (see normalizeOrder). */
export function record<T extends object>(fields: T): T {
  return Object.assign(Object.create(null), fields);
}

/**
 * Normalises the argument of ctx.buy / ctx.sell.
 * @example normalizeOrder("buy", { size: { fraction: 0.5 } }, "ctx.buy", pick) // { side: "buy", size: { kind: "fraction", value: 0.5 }, ... }
 */
export function normalizeOrder(
  side: "buy" | "sell",
  order: unknown,
  where: string,
  resolveSymbol: (symbol: unknown, where: string) => string,
): IntentOut {
  const o = order === undefined ? Object.create(null) : fields(order, ORDER_KEYS, where);
  const symbol = resolveSymbol(o.symbol, where);
  // Null-prototype records: assigning a field can never reach a setter a plugin planted on Object.prototype.
  const intent: IntentOut = record({
    symbol,
    side,
    reduceOnly: false,
    size: size(o.size, `${where}: size`),
    type: "market",
  });
  const type = o.type ?? "market";
  if (type !== "market" && type !== "limit") fail(`${where}: type must be "market" or "limit", got ${show(type)}`);
  intent.type = type;
  if (type === "limit") {
    if (o.limitPrice === undefined) fail(`${where}: a limit order needs limitPrice`);
    intent.limitPrice = amount(o.limitPrice, `${where}: limitPrice`);
  } else if (o.limitPrice !== undefined) {
    fail(`${where}: limitPrice is only for type "limit"`);
  }
  return withExits(intent, o, where);
}

/**
 * Normalises the order of ctx.target: what ctx.buy takes, less `type` and `limitPrice` (a target is
 * reached with market orders), checked by the same rules.
 * @example normalizeTarget({ size: { fraction: 0.5 }, reason: "up" }, "ctx.target", pick) // { symbol, size: { kind: "fraction", value: 0.5 }, reason: "up" }
 */
export function normalizeTarget(
  order: unknown,
  where: string,
  resolveSymbol: (symbol: unknown, where: string) => string,
): TargetOrderOut {
  const o = order === undefined ? Object.create(null) : fields(order, TARGET_KEYS, where);
  const symbol = resolveSymbol(o.symbol, where);
  return withExits(record({ symbol, size: size(o.size, `${where}: size`) }), o, where);
}

/** The protective exits and the reason of an order, validated onto `out`. */
function withExits<T extends TargetOrderOut>(out: T, o: Record<string, unknown>, where: string): T {
  if (o.stopLoss !== undefined) out.stopLoss = level(o.stopLoss, `${where}: stopLoss`);
  if (o.takeProfit !== undefined) out.takeProfit = level(o.takeProfit, `${where}: takeProfit`);
  if (o.trailingStop !== undefined) out.trailingStop = trailing(o.trailingStop, `${where}: trailingStop`);
  if (o.reason !== undefined) out.reason = reason(o.reason, `${where}: reason`);
  return out;
}

/** Reads `{ symbol?, reason? }` of ctx.close. */
export function normalizeClose(order: unknown, where: string): { symbol: unknown; reason?: string } {
  if (order === undefined) return { symbol: undefined };
  const o = fields(order, CLOSE_KEYS, where);
  return o.reason === undefined
    ? { symbol: o.symbol }
    : { symbol: o.symbol, reason: reason(o.reason, `${where}: reason`) };
}

/** Validates a close's reason the same way as an order's. */
export function reason(value: unknown, where: string): string {
  if (typeof value !== "string") fail(`${where} must be a string, got ${show(value)}`);
  if (value.length > L.reasonChars) fail(`${where} is longer than ${L.reasonChars} characters (${value.length})`);
  return value;
}

function size(value: unknown, where: string): SizeOut {
  if (value === undefined) return record({ kind: "fraction", value: 1 });
  const o = fields(value, ["fraction", "quote", "base"], where);
  const keys = Object.keys(o);
  if (keys.length !== 1) fail(`${where} must have exactly one of fraction, quote, base`);
  const kind = keys[0] as SizeOut["kind"];
  const v = o[kind];
  if (kind === "fraction") {
    if (!isNumber(v) || v <= 0 || v > 1)
      fail(`${where}.fraction must be a number greater than 0 and at most 1, got ${show(v)}`);
    return record({ kind, value: v });
  }
  return record({ kind, value: amount(v, `${where}.${kind}`) });
}

function level(value: unknown, where: string): LevelOut {
  const o = fields(value, ["price", "pct"], where);
  const keys = Object.keys(o);
  if (keys.length !== 1) fail(`${where} must be { pct } or { price }`);
  if (keys[0] === "price") return record({ price: amount(o.price, `${where}.price`) });
  return record({ pct: bounded(o.pct, L.maxPct, `${where}.pct`) });
}

function trailing(value: unknown, where: string): TrailingOut {
  const o = fields(value, ["mode", "pct", "multiple", "period", "bands", "step", "max"], where);
  const expectOnly = (allowed: string[]) => {
    for (const key of Object.keys(o))
      if (key !== "mode" && !allowed.includes(key)) fail(`${where}: unknown field "${key}" for mode ${show(o.mode)}`);
  };
  switch (o.mode) {
    case "percent":
      expectOnly(["pct"]);
      return record({ mode: "percent", pct: bounded(o.pct, L.maxTrailPct, `${where}.pct`) });
    case "atr": {
      expectOnly(["multiple", "period"]);
      const period = o.period;
      if (!isNumber(period) || !Number.isInteger(period) || period < 1 || period > L.maxAtrPeriod)
        fail(`${where}.period must be an integer from 1 to ${L.maxAtrPeriod}, got ${show(period)}`);
      return record({ mode: "atr", multiple: bounded(o.multiple, L.maxAtrMultiple, `${where}.multiple`), period });
    }
    case "step": {
      expectOnly(["bands"]);
      const bands = o.bands;
      if (!Array.isArray(bands) || bands.length < 1 || bands.length > L.stepBands)
        fail(`${where}.bands must be a list of 1 to ${L.stepBands} bands`);
      const out: { profitPct: number; trailPct: number }[] = [];
      for (let i = 0; i < bands.length; i++) {
        const b = fields(bands[i], ["profitPct", "trailPct"], `${where}.bands[${i}]`);
        out.push(
          record({
            profitPct: bounded(b.profitPct, L.maxPct, `${where}.bands[${i}].profitPct`),
            trailPct: bounded(b.trailPct, L.maxTrailPct, `${where}.bands[${i}].trailPct`),
          }),
        );
      }
      return record({ mode: "step", bands: out });
    }
    case "sar": {
      expectOnly(["step", "max"]);
      const step = bounded(o.step, 1, `${where}.step`);
      const max = bounded(o.max, 1, `${where}.max`);
      if (step > max) fail(`${where}: step must not exceed max`);
      return record({ mode: "sar", step, max });
    }
    default:
      return fail(`${where}.mode must be "percent", "atr", "step" or "sar", got ${show(o.mode)}`);
  }
}

/**
 * Copies the allowed own fields of a plugin object into a null-prototype record, each read once.
 * Unknown fields are an error: a typo like `stoploss` must not silently drop a stop.
 */
function fields(value: unknown, allowed: readonly string[], where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    fail(`${where} must be an object, got ${show(value)}`);
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(`${where}: unknown field "${truncateKey(key)}" (allowed: ${allowed.join(", ")})`);
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function amount(value: unknown, where: string): number {
  if (!isNumber(value) || value <= 0 || value > L.maxAmount)
    fail(`${where} must be a number greater than 0 and at most ${L.maxAmount}, got ${show(value)}`);
  return value;
}

function bounded(value: unknown, max: number, where: string): number {
  if (!isNumber(value) || value <= 0 || value > max)
    fail(`${where} must be a number greater than 0 and at most ${max}, got ${show(value)}`);
  return value;
}

function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function truncateKey(key: string): string {
  return key.length > 40 ? `${key.slice(0, 39)}…` : key;
}

/** A value for a message, without calling anything the plugin defined (no String(object)). */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === undefined || value === null)
    return String(value);
  if (typeof value === "bigint") return `${value}n`;
  return Array.isArray(value)
    ? "a list"
    : typeof value === "function"
      ? "a function"
      : typeof value === "symbol"
        ? "a symbol"
        : "an object";
}

function fail(message: string): never {
  throw new InvalidOrderError(message);
}
