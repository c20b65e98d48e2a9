import type { Bus, Unsubscribe } from "../../../core/bus/index.ts";
import type { Candle } from "../../../core/domain/index.ts";

/** The last closed candle of each symbol on each exchange. */
export interface LastCandles {
  get(exchange: string, symbol: string): Candle | undefined;
  stop(): void;
}

/**
 * Remembers the last candle the feed published per symbol: the price a manual order is quoted at and
 * the candle its risk check sees. Replay and live alike, since both publish `candle.closed`; a
 * replay's candles are historical, so the stored series' end would be the wrong "now".
 * @example const candles = trackLastCandles(bus); candles.get("binance", "BTC/USDT")?.close
 */
export function trackLastCandles(bus: Bus): LastCandles {
  const last = new Map<string, Candle>();
  const unsubscribe: Unsubscribe = bus.subscribe("candle.closed", (event) => {
    const key = `${event.exchange}\u0000${event.symbol}`;
    const seen = last.get(key);
    // Several timeframes of one symbol may be on the feed; the latest close wins.
    if (!seen || event.candle.time >= seen.time) last.set(key, event.candle);
  });
  return {
    get: (exchange, symbol) => last.get(`${exchange}\u0000${symbol}`),
    stop: unsubscribe,
  };
}
