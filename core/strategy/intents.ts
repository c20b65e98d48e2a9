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
  // Only the newest candle time can still get intents, so one counter map for that time is enough.
  private readonly seq = new Map<string, number>();

  constructor(readonly strategyId: string) {}

  next(symbol: string, candleTime: number): string {
    if (candleTime !== this.time) {
      this.seq.clear();
      this.time = candleTime;
    }
    const n = this.seq.get(symbol) ?? 0;
    this.seq.set(symbol, n + 1);
    return `${this.strategyId}:${symbol}:${candleTime}:${n}`;
  }
}

/**
 * An OrderIntent from a validated raw intent, with no undefined fields.
 * @example toOrderIntent(raw, "btc-sma:BTC/USDT:1700000000000:0", "btc-sma", 1700000000000)
 */
export function toOrderIntent(raw: RawIntent, id: string, strategyId: string, candleTime: number): OrderIntent {
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
