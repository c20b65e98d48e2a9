import type { OrderIntent } from "../domain/order.ts";
import type { RawIntent } from "../plugins/sandbox/output.ts";

/**
 * Gives deterministic ids to intents: `${strategyId}:${symbol}:${candleTime}:${seq}`, where seq counts
 * the intents for that symbol and candle (0, 1, ...). The same plugin on the same candles always
 * produces the same ids, which is what makes client order ids safe to retry (ARCHITECTURE.md §4).
 * @example new IntentIds("btc-sma").next("BTC/USDT", 1700000000000) // "btc-sma:BTC/USDT:1700000000000:0"
 */
export class IntentIds {
  private time = Number.NEGATIVE_INFINITY;
  /** Bumped whenever the candle time changes: a counter of an older epoch counts from 0 again. */
  private epoch = 0;
  // Only the newest candle time can still get intents, so each symbol keeps one counter, reset in
  // place when its epoch is over: a Map cleared at every new candle time would allocate a fresh
  // table each time, and a backtest asks for tens of thousands of ids.
  private readonly seq = new Map<string, { epoch: number; n: number }>();

  constructor(readonly strategyId: string) {}

  next(symbol: string, candleTime: number): string {
    if (candleTime !== this.time) {
      this.time = candleTime;
      this.epoch++;
    }
    let counter = this.seq.get(symbol);
    if (!counter) {
      counter = { epoch: this.epoch, n: 0 };
      this.seq.set(symbol, counter);
    } else if (counter.epoch !== this.epoch) {
      counter.epoch = this.epoch;
      counter.n = 0;
    }
    const n = counter.n++;
    return `${this.strategyId}:${symbol}:${candleTime}:${n}`;
  }
}

/**
 * An OrderIntent from a validated raw intent, with no undefined fields.
 * @example toOrderIntent(raw, "btc-sma:BTC/USDT:1700000000000:0", "btc-sma", 1700000000000)
 */
export function toOrderIntent(raw: RawIntent, id: string, strategyId: string, candleTime: number): OrderIntent {
  const plain =
    raw.limitPrice === undefined &&
    raw.stopLoss === undefined &&
    raw.takeProfit === undefined &&
    raw.trailingStop === undefined;
  // A market order with a reason and nothing attached, the usual one: one whole literal, as fields
  // added past a literal's own grow a side array; the same keys in the same order as below.
  if (plain && raw.reason !== undefined) {
    return {
      id,
      strategyId,
      symbol: raw.symbol,
      side: raw.side,
      reduceOnly: raw.reduceOnly,
      size: raw.size,
      type: raw.type,
      candleTime,
      reason: raw.reason,
    };
  }
  const intent: { -readonly [K in keyof OrderIntent]: OrderIntent[K] } = {
    id,
    strategyId,
    symbol: raw.symbol,
    side: raw.side,
    reduceOnly: raw.reduceOnly,
    size: raw.size,
    type: raw.type,
    candleTime,
  };
  if (raw.limitPrice !== undefined) intent.limitPrice = raw.limitPrice;
  if (raw.stopLoss !== undefined) intent.stopLoss = raw.stopLoss;
  if (raw.takeProfit !== undefined) intent.takeProfit = raw.takeProfit;
  if (raw.trailingStop !== undefined) intent.trailingStop = raw.trailingStop;
  if (raw.reason !== undefined) intent.reason = raw.reason;
  return intent;
}
