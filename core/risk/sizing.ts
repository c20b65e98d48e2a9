import type { IntentSize, OrderIntent } from "../domain/index.ts";
import { baseOf, fmt, money, quoteOf } from "./format.ts";
import { roundAmount } from "./precision.ts";
import { type Reason, textOf } from "./rule.ts";
import { heldQuantity, type RiskSnapshot } from "./snapshot.ts";

/**
 * The price an intent is sized and valued at: its limit price for a limit order, else the snapshot's
 * reference price (the last close).
 * @example orderPrice({ type: "limit", limitPrice: 49000, ... }, { price: 50000, ... }) // 49000
 */
export function orderPrice(
  intent: Pick<OrderIntent, "type" | "limitPrice">,
  snapshot: Pick<RiskSnapshot, "price">,
): number {
  return intent.type === "limit" && intent.limitPrice !== undefined ? intent.limitPrice : snapshot.price;
}

/**
 * Base amount an `IntentSize` asks for at `price`. `base` is the fraction's base: the allocation
 * (quote) for an entry, the quantity held (base) for an exit, so `{ kind: "fraction", value: 1 }` on
 * an exit closes the whole position whatever it is worth now.
 * @example baseAmount({ kind: "fraction", value: 0.5 }, 25000, { quote: 1000 }) // 0.02
 * @example baseAmount({ kind: "quote", value: 500 }, 25000, { quote: 1000 }) // 0.02
 * @example baseAmount({ kind: "fraction", value: 0.5 }, 25000, { held: 0.04 }) // 0.02
 */
export function baseAmount(size: IntentSize, price: number, of: { quote: number } | { held: number }): number {
  switch (size.kind) {
    case "base":
      return size.value;
    case "quote":
      return size.value / price;
    case "fraction":
      return "held" in of ? size.value * of.held : (size.value * of.quote) / price;
  }
}

/** The size step of a verdict: the amount, or why there is none. */
export type SizeResult =
  | { readonly ok: true; readonly amount: number; readonly reason: string }
  | { readonly ok: false; readonly reason: string };

/** A SizeResult whose reason may not be written yet (see Reason). */
export type Sizing =
  | { readonly ok: true; readonly amount: number; readonly reason: Reason }
  | { readonly ok: false; readonly reason: Reason };

/**
 * The amount an intent asks for, rounded down to the market's amount step, with the arithmetic spelled
 * out for the verdict. Fractions above 1 are refused: asking for more than the whole allocation (or
 * position) is a strategy bug, not a wish to trim.
 * @example sizeIntent({ size: { kind: "quote", value: 500 }, symbol: "BTC/USDT", ... }, { price: 25000, ... })
 *   // { ok: true, amount: 0.02, reason: "500 USDT at 25000 = 0.02 BTC" }
 */
export function sizeIntent(intent: OrderIntent, snapshot: RiskSnapshot): SizeResult {
  const sized = sizing(intent, snapshot);
  const reason = textOf(sized.reason);
  return sized.ok ? { ok: true, amount: sized.amount, reason } : { ok: false, reason };
}

/**
 * sizeIntent with the reason left unwritten: what the pipeline runs for every intent.
 * @example sizing(intent, snapshot).amount // 0.02
 */
export function sizing(intent: OrderIntent, snapshot: RiskSnapshot): Sizing {
  const price = orderPrice(intent, snapshot);
  const { kind, value } = intent.size;
  if (!(price > 0) || !Number.isFinite(price))
    return { ok: false, reason: `no valid price for ${intent.symbol} (${price})` };
  if (!(value > 0) || !Number.isFinite(value))
    return { ok: false, reason: `size must be a positive number, got ${value}` };
  if (kind === "fraction" && value > 1) return { ok: false, reason: `a fraction must be at most 1, got ${value}` };

  const held = Math.abs(heldQuantity(snapshot, intent));
  const exitFraction = kind === "fraction" && intent.reduceOnly;
  const allocation = snapshot.allocation;
  // baseAmount's arithmetic, without an object for its third argument.
  const raw =
    kind === "base"
      ? value
      : kind === "quote"
        ? value / price
        : exitFraction
          ? value * held
          : (value * allocation) / price;
  const step = snapshot.market?.amountStep;
  const amount = roundAmount(raw, step);
  // The arithmetic behind the amount, spelled out only when a reason is read.
  const work: Work = { intent, price, raw, held, allocation, exitFraction, step: step ?? 0, amount };
  if (!(amount > 0)) return unsized(() => `${how(work)}, which rounds down to 0 at the amount step ${fmt(work.step)}`);
  // Rounding that only removed float noise (500 / 50000 = 0.010000000000000002) is not worth a mention.
  if (Math.abs(raw - amount) <= 1e-9 * raw) return sized(amount, () => how(work));
  return sized(
    amount,
    () => `${how(work)}, rounded down to the amount step ${fmt(work.step)}: ${money(amount, baseOf(intent.symbol))}`,
  );
}

/** What the size line of a verdict explains. */
interface Work {
  readonly intent: OrderIntent;
  readonly price: number;
  readonly raw: number;
  readonly held: number;
  readonly allocation: number;
  readonly exitFraction: boolean;
  readonly step: number;
  readonly amount: number;
}

function how({ intent, price, raw, held, allocation, exitFraction }: Work): string {
  const { kind, value } = intent.size;
  const base = baseOf(intent.symbol);
  if (kind === "base") return money(raw, base);
  const quote = quoteOf(intent.symbol);
  if (kind === "quote") return `${money(value, quote)} at ${fmt(price)} = ${money(raw, base)}`;
  return exitFraction
    ? `${fmt(value)} of the ${money(held, base)} held = ${money(raw, base)}`
    : `${fmt(value)} of the ${money(allocation, quote)} allocation at ${fmt(price)} = ${money(raw, base)}`;
}

// Built by a call rather than as `{ reason: () => ... }` literals: a runner that keeps function names
// (tsx) gives every named closure a defineProperty, on every intent.
function sized(amount: number, reason: Reason): Sizing {
  return { ok: true, amount, reason };
}

function unsized(reason: Reason): Sizing {
  return { ok: false, reason };
}

/**
 * Base amount worth a fixed quote amount.
 * @example fixedQuoteAmount(500, 25000) // 0.02
 */
export function fixedQuoteAmount(quote: number, price: number): number {
  return price > 0 ? quote / price : 0;
}

/**
 * Base amount worth `pct`% of equity.
 * @example equityPctAmount(10000, 5, 25000) // 0.02
 */
export function equityPctAmount(equity: number, pct: number, price: number): number {
  return price > 0 ? (equity * pct) / 100 / price : 0;
}

/**
 * Risk-based size: the amount whose loss, if the stop is hit, is `riskPct`% of equity. 0 when the
 * stop is at the entry (no distance, no defined risk).
 * @example riskBasedAmount({ equity: 10000, riskPct: 1, entry: 50000, stop: 48000 }) // 0.05 (100 USDT / 2000)
 */
export function riskBasedAmount(p: { equity: number; riskPct: number; entry: number; stop: number }): number {
  const distance = Math.abs(p.entry - p.stop);
  return distance > 0 ? (p.equity * p.riskPct) / 100 / distance : 0;
}

/**
 * ATR-scaled size: risk `riskPct`% of equity per `multiple` × ATR of adverse move, so a calmer market
 * gets a bigger position and a wilder one a smaller one. 0 while the ATR is unknown.
 * @example atrScaledAmount({ equity: 10000, riskPct: 1, atr: 500, multiple: 2 }) // 0.1 (100 USDT / 1000)
 */
export function atrScaledAmount(p: { equity: number; riskPct: number; atr: number; multiple: number }): number {
  const distance = p.atr * p.multiple;
  return distance > 0 ? (p.equity * p.riskPct) / 100 / distance : 0;
}
