import type { Candle, CandleColumns } from "../domain/index.ts";
import { exchangeStopOuts, restsOnExchange } from "./exchange-stops.ts";
import { submitIntent } from "./order-path.ts";
import { type AccountState, bindingOf, holdings, observeEquity, take } from "./state.ts";
import { stopExitIntent, stopLabel } from "./stop-exit.ts";
import type { AtrOf } from "./stops.ts";
import type { CandleOutcome, IntentOutcome } from "./types.ts";
import { accountValue, portfolioView } from "./valuation.ts";

/**
 * One closed candle of `symbol`, in the order that keeps a backtest honest:
 * 1. next-open intents of the symbol go out at the candle's OPEN (ATR and marks as of the last close);
 * 2. the candle updates the ATR, then every stop of the symbol: a stop that fires sends its exit at the
 *    stop's fill price (the level, or the open on a gap), entries made at step 1 included;
 * 3. the paper venue gets the candle (resting limit orders it crossed fill) and the executor observes;
 * 4. the close becomes the mark; equity is observed (and recorded to the store, throttled).
 * @example const { outcomes, fills } = await processCandle(state, "BTC/USDT", candle)
 */
export async function processCandle(s: AccountState, symbol: string, candle: Candle): Promise<CandleOutcome> {
  const outcomes: IntentOutcome[] = [];
  const fills = take(s);
  const waiting = s.deferred.filter((d) => d.intent.symbol === symbol);
  if (waiting.length > 0) {
    s.deferred.splice(0, s.deferred.length, ...s.deferred.filter((d) => d.intent.symbol !== symbol));
    s.marks.set(symbol, candle.open);
    for (const { intent, strategy } of waiting) {
      const outcome = await submitIntent(s, intent, strategy, candle.open);
      outcomes.push(outcome);
      fills.push(...outcome.fills);
    }
  }
  s.atr.add(symbol, candle.high, candle.low, candle.close);
  for (const hit of s.stops.onCandle(symbol, candle, atrOf(s))) {
    // That level rests on the exchange as a stop order: its fill (synced below) closes the position.
    if (hit.trigger.kind !== "take-profit" && restsOnExchange(hit.state)) continue;
    const intent = stopExitIntent(hit, candle.time);
    s.options.log?.info({ intentId: intent.id, reason: hit.trigger.reason }, stopLabel(hit.trigger.kind));
    const outcome = await submitIntent(s, intent, bindingOf(s, hit.strategyId), hit.trigger.price, { stop: hit });
    outcomes.push(outcome);
    fills.push(...outcome.fills);
  }
  if (s.paper) await s.paper.onCandle(symbol, candle);
  if (s.executor.tracked().length > 0) {
    await s.executor.sync();
    const synced = take(s);
    if (synced.length > 0) s.balances = await s.options.exchange.fetchBalance();
    exchangeStopOuts(s, synced, s.options.clock.now());
    fills.push(...synced);
  }
  s.marks.set(symbol, candle.close);
  const value = observeEquity(s, candle.time);
  if (s.recorder) {
    const reference = {
      dayStartEquity: s.equity.dayStartAt(candle.time, value.equity),
      peakEquity: s.equity.peak(value.equity),
    };
    await s.recorder.record(portfolioView(holdings(s), candle.time, reference));
  }
  return { outcomes, fills };
}

/**
 * The first index in [from, to) at which `symbol`'s candles need processCandle; see TradingAccount.nextEvent.
 * @example nextEvent(state, "BTC/USDT", columns, 101, 5000) // 312: a stop fires there
 */
export function nextEvent(s: AccountState, symbol: string, candles: CandleColumns, from: number, to: number): number {
  if (s.deferred.length > 0 || s.executor.tracked().length > 0 || s.stops.needsEveryCandle(symbol)) return from;
  return s.stops.has(symbol) ? s.stops.scan(symbol, candles, from, to) : to;
}

/**
 * What processCandle does to quiet candles (nothing rests, nothing waits, no stop fires), in one loop;
 * see TradingAccount.skipCandles.
 * @example skipCandles(state, "BTC/USDT", columns, 101, 312, (i, equity, cash) => curve.set(i, equity))
 */
export function skipCandles(
  s: AccountState,
  symbol: string,
  candles: CandleColumns,
  from: number,
  to: number,
  onEquity?: (index: number, equity: number, cash: number) => void,
): void {
  if (!(to > from)) return;
  const watched = s.stops.has(symbol);
  if (!watched && to - from >= QUIET_RUN) {
    skipUnwatched(s, symbol, candles, from, to, onEquity);
    return;
  }
  const atr = atrOf(s);
  // Nothing but this symbol's mark moves in a quiet stretch (no fill, no balance change), so the
  // holdings are gathered once; the marks map they read is the live one.
  const held = holdings(s);
  for (let i = from; i < to; i++) {
    const open = candles.open[i] as number;
    if (Number.isNaN(open)) continue;
    const high = candles.high[i] as number;
    const low = candles.low[i] as number;
    const close = candles.close[i] as number;
    s.atr.add(symbol, high, low, close);
    if (watched && s.stops.onCandle(symbol, { open, high, low, close }, atr).length > 0) {
      throw new Error(`skipCandles: a stop of ${symbol} fires at index ${i}; ask nextEvent first`);
    }
    s.marks.set(symbol, close);
    const value = accountValue(held);
    s.equity.observe(candles.time[i] as number, value.equity);
    onEquity?.(i, value.equity, value.cash);
  }
}

/** Quiet candles in a row from which the loop below pays for its set-up. */
const QUIET_RUN = 8;

/**
 * skipCandles for a symbol without stops: the same ATR, equity and marks, with the equity summed as
 * accountValue sums it (cash, then each open position in its order at its mark) from numbers taken
 * once, since in a quiet stretch only this symbol's mark moves. A backtest spends most of its candles
 * here, so the loop allocates nothing per candle; the mark is written once, after the last candle.
 */
function skipUnwatched(
  s: AccountState,
  symbol: string,
  candles: CandleColumns,
  from: number,
  to: number,
  onEquity: ((index: number, equity: number, cash: number) => void) | undefined,
): void {
  const { cash } = accountValue(holdings(s));
  const open = s.positions.openIn(s.quote);
  const count = open.length;
  const quantity: number[] = [];
  // Positions in this symbol are valued at the candle's close, the others at their (fixed) marks.
  const own: boolean[] = [];
  const mark: number[] = [];
  for (const p of open) {
    quantity.push(p.quantity);
    own.push(p.symbol === symbol);
    mark.push(s.marks.get(p.symbol) ?? p.entryPrice);
  }
  let last = Number.NaN;
  for (let i = from; i < to; i++) {
    if (Number.isNaN(candles.open[i] as number)) continue;
    const close = candles.close[i] as number;
    s.atr.add(symbol, candles.high[i] as number, candles.low[i] as number, close);
    let equity = cash;
    for (let k = 0; k < count; k++) equity += (quantity[k] as number) * (own[k] ? close : (mark[k] as number));
    s.equity.observe(candles.time[i] as number, equity);
    onEquity?.(i, equity, cash);
    last = close;
  }
  if (!Number.isNaN(last)) s.marks.set(symbol, last);
}

function atrOf(s: AccountState): AtrOf {
  return (symbol, period) => s.atr.value(symbol, period);
}
