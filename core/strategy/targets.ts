import type { IntentSize, PriceLevel, TrailingStop } from "../domain/order.ts";
import type { RawIntent } from "../plugins/sandbox/output.ts";

/** The side of a symbol an onCandles plugin wants to hold. */
export type TargetSide = "long" | "short" | "flat";

/**
 * What an onCandles plugin asks for at one step (`ctx.target(i, side, order)`): hold `side` of `symbol`
 * from the next fill on. It says nothing about the position the host holds, so the plugin never has to
 * read it, and the runner can run a whole window of candles in one entry into the isolate; the host
 * turns it into orders against the real position when it reaches that step (targetIntents).
 */
export interface RawTarget {
  readonly symbol: string;
  readonly side: TargetSide;
  /** How an entry is sized; the whole allocation (fraction 1) when absent. Unused by "flat". */
  readonly size?: IntentSize;
  readonly stopLoss?: PriceLevel;
  readonly takeProfit?: PriceLevel;
  readonly trailingStop?: TrailingStop;
  readonly reason?: string;
}

/** A target and the step of the timeline it was asked at. */
export interface EmittedTarget {
  readonly target: RawTarget;
  readonly step: number;
}

const WHOLE: IntentSize = { kind: "fraction", value: 1 };

/**
 * The market orders that take a position of `held` to `target`, in the order to send them: the other
 * side closed first (reduce-only, the whole position), then the entry. The same orders a per-candle
 * plugin would ask for with ctx.close and ctx.buy/sell after reading ctx.position(); none when the
 * position is already on the wanted side (its size is the entry's business, not the target's).
 * @example targetIntents({ symbol: "BTC/USDT", side: "long", reason: "cross up" }, -2)
 *   // [{ side: "buy", reduceOnly: true, size: { kind: "fraction", value: 1 }, ... }, { side: "buy", reduceOnly: false, ... }]
 */
export function targetIntents(target: RawTarget, held: number): RawIntent[] {
  const wantsLong = target.side === "long";
  const wantsShort = target.side === "short";
  const closes = (held > 0 && !wantsLong) || (held < 0 && !wantsShort);
  const enters = (wantsLong && held <= 0) || (wantsShort && held >= 0);
  if (!closes && !enters) return [];
  // Array literals of the exact length: an empty array that is pushed to reserves 17 slots.
  const exit = closes ? order(target, held > 0 ? "sell" : "buy", true, WHOLE) : undefined;
  if (!enters) return [exit as RawIntent];
  const entry = order(target, wantsLong ? "buy" : "sell", false, target.size ?? WHOLE);
  return exit ? [exit, entry] : [entry];
}

function order(target: RawTarget, side: "buy" | "sell", reduceOnly: boolean, size: IntentSize): RawIntent {
  const intent: { -readonly [K in keyof RawIntent]: RawIntent[K] } = {
    symbol: target.symbol,
    side,
    reduceOnly,
    size,
    type: "market",
  };
  if (!reduceOnly) {
    if (target.stopLoss !== undefined) intent.stopLoss = target.stopLoss;
    if (target.takeProfit !== undefined) intent.takeProfit = target.takeProfit;
    if (target.trailingStop !== undefined) intent.trailingStop = target.trailingStop;
  }
  if (target.reason !== undefined) intent.reason = target.reason;
  return intent;
}
