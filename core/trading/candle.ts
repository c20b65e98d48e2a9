import type { Candle, CandleColumns, Fill, Position } from "../domain/index.ts";
import type { Maybe } from "../execution/maybe.ts";
import { exchangeStopOuts, restsOnExchange } from "./exchange-stops.ts";
import { submitIntent } from "./order-path.ts";
import { type AccountState, bindingOf, holdings, NO_FILLS, observeEquity, take } from "./state.ts";
import { stopExitIntent, stopLabel } from "./stop-exit.ts";
import type { AtrOf, StopHit } from "./stops.ts";
import type { CandleOutcome, EquityColumns, IntentOutcome } from "./types.ts";
import { cashOf, equityOf, portfolioView } from "./valuation.ts";

/**
 * One closed candle of `symbol`, in the order that keeps a backtest honest:
 * 1. next-open intents of the symbol go out at the candle's OPEN (ATR and marks as of the last close);
 * 2. the candle updates the ATR, then every stop of the symbol: a stop that fires sends its exit at the
 *    stop's fill price (the level, or the open on a gap), entries made at step 1 included;
 * 3. the paper venue gets the candle (resting limit orders it crossed fill) and the executor observes;
 * 4. the close becomes the mark; equity is observed (and recorded to the store, throttled).
 * Answered at once when no step had anything to wait for (see submitIntent).
 * @example const { outcomes, fills } = await processCandle(state, "BTC/USDT", candle)
 */
export function processCandle(s: AccountState, symbol: string, candle: Candle): Maybe<CandleOutcome> {
  const out = new Happened(take(s));
  const waiting = takeDeferred(s, symbol);
  if (!waiting) return afterOpen(s, symbol, candle, out);
  s.marks.set(symbol, candle.open);
  const sent = inTurn(waiting, ({ intent, strategy }) => out.add(submitIntent(s, intent, strategy, candle.open)));
  if (sent) return sent.then(() => afterOpen(s, symbol, candle, out));
  return afterOpen(s, symbol, candle, out);
}

function afterOpen(s: AccountState, symbol: string, candle: Candle, out: Happened): Maybe<CandleOutcome> {
  s.atr.add(symbol, candle.high, candle.low, candle.close);
  const hits = s.stops.onCandle(symbol, candle, atrOf(s));
  const fired = hits.length === 0 ? undefined : inTurn(hits, (hit) => fire(s, hit, candle, out));
  if (fired) return fired.then(() => afterStops(s, symbol, candle, out));
  return afterStops(s, symbol, candle, out);
}

function fire(s: AccountState, hit: StopHit, candle: Candle, out: Happened): Promise<void> | undefined {
  // That level rests on the exchange as a stop order: its fill (synced below) closes the position.
  if (hit.trigger.kind !== "take-profit" && restsOnExchange(hit.state)) return undefined;
  const intent = stopExitIntent(hit, candle.time);
  s.options.log?.info({ intentId: intent.id, reason: hit.trigger.reason }, stopLabel(hit.trigger.kind));
  return out.add(submitIntent(s, intent, bindingOf(s, hit.strategyId), hit.trigger.price, { stop: hit }));
}

function afterStops(s: AccountState, symbol: string, candle: Candle, out: Happened): Maybe<CandleOutcome> {
  s.paper?.onCandle(symbol, candle);
  if (s.executor.trackedCount() > 0) return synced(s, out).then(() => closed(s, symbol, candle, out));
  return closed(s, symbol, candle, out);
}

/** Orders still open on the venue, polled once: their fills (a resting stop's are stop-outs). */
async function synced(s: AccountState, out: Happened): Promise<void> {
  await s.executor.sync();
  const fills = take(s);
  if (!fills) return;
  s.balances = await s.options.exchange.fetchBalance();
  exchangeStopOuts(s, fills, s.options.clock.now());
  out.addFills(fills);
}

function closed(s: AccountState, symbol: string, candle: Candle, out: Happened): Maybe<CandleOutcome> {
  s.marks.set(symbol, candle.close);
  const equity = observeEquity(s, candle.time);
  if (!s.recorder) return out.outcome();
  const reference = {
    dayStartEquity: s.equity.dayStartAt(candle.time, equity),
    peakEquity: s.equity.peak(equity),
  };
  return s.recorder.record(portfolioView(holdings(s), candle.time, reference)).then(() => out.outcome());
}

/** The next-open intents waiting for a candle of `symbol`, taken off the queue; undefined when none. */
function takeDeferred(s: AccountState, symbol: string): AccountState["deferred"] | undefined {
  const all = s.deferred;
  if (all.length === 0) return undefined;
  let mine = 0;
  for (const d of all) if (d.intent.symbol === symbol) mine++;
  if (mine === 0) return undefined;
  if (mine === all.length) {
    s.deferred = [];
    return all;
  }
  s.deferred = all.filter((d) => d.intent.symbol !== symbol);
  return all.filter((d) => d.intent.symbol === symbol);
}

/** What one candle did so far: the outcomes of the intents it sent, and every fill recorded. */
class Happened {
  private outcomes: IntentOutcome[] | undefined;

  constructor(private fills: Fill[] | undefined) {}

  /** Collects an intent's outcome, now or once it settles; a promise only when it had to wait. */
  add(outcome: Maybe<IntentOutcome>): Promise<void> | undefined {
    if (outcome instanceof Promise) return outcome.then((o) => this.add(o));
    // Literals for the first: pushing to an empty array reserves 17 slots, and most candles have one.
    if (this.outcomes) this.outcomes.push(outcome);
    else this.outcomes = [outcome];
    this.addFills(outcome.fills);
    return undefined;
  }

  addFills(fills: readonly Fill[]): void {
    if (fills.length === 0) return;
    if (!this.fills) {
      this.fills = fills.slice();
      return;
    }
    for (const fill of fills) this.fills.push(fill);
  }

  outcome(): CandleOutcome {
    return { outcomes: this.outcomes ?? NO_OUTCOMES, fills: this.fills ?? NO_FILLS };
  }
}

const NO_OUTCOMES: readonly IntentOutcome[] = Object.freeze([]);

/** `step` for each item in turn, the next one only once the last settled; a promise only if one had to wait. */
function inTurn<T>(
  items: readonly T[],
  step: (item: T) => Promise<void> | undefined,
  from = 0,
): Promise<void> | undefined {
  for (let i = from; i < items.length; i++) {
    const pending = step(items[i] as T);
    if (pending) return pending.then(() => inTurn(items, step, i + 1));
  }
  return undefined;
}

/**
 * The first index in [from, to) at which `symbol`'s candles need processCandle; see TradingAccount.nextEvent.
 * @example nextEvent(state, "BTC/USDT", columns, 101, 5000) // 312: a stop fires there
 */
export function nextEvent(s: AccountState, symbol: string, candles: CandleColumns, from: number, to: number): number {
  if (s.deferred.length > 0 || s.executor.trackedCount() > 0 || s.stops.needsEveryCandle(symbol)) return from;
  return s.stops.has(symbol) ? s.stops.scan(symbol, candles, from, to) : to;
}

/**
 * What processCandle does to quiet candles (nothing rests, nothing waits, no stop fires), in one loop;
 * see TradingAccount.skipCandles.
 * @example skipCandles(state, "BTC/USDT", columns, 101, 312, { equity: new Float64Array(n), cash: new Float64Array(n) })
 */
export function skipCandles(
  s: AccountState,
  symbol: string,
  candles: CandleColumns,
  from: number,
  to: number,
  into?: EquityColumns,
): void {
  if (!(to > from)) return;
  if (!s.stops.has(symbol)) {
    skipUnwatched(s, symbol, candles, from, to, into);
    return;
  }
  const atr = atrOf(s);
  // Nothing but this symbol's mark moves in a quiet stretch (no fill, no balance change), so the
  // holdings are gathered once; the marks map they read is the live one.
  const held = holdings(s);
  const cash = cashOf(held);
  for (let i = from; i < to; i++) {
    const open = candles.open[i] as number;
    if (Number.isNaN(open)) continue;
    const high = candles.high[i] as number;
    const low = candles.low[i] as number;
    const close = candles.close[i] as number;
    s.atr.add(symbol, high, low, close);
    if (s.stops.onCandle(symbol, { open, high, low, close }, atr).length > 0) {
      throw new Error(`skipCandles: a stop of ${symbol} fires at index ${i}; ask nextEvent first`);
    }
    s.marks.set(symbol, close);
    const equity = equityOf(held, cash);
    s.equity.observe(candles.time[i] as number, equity);
    if (into) {
      into.equity[i] = equity;
      into.cash[i] = cash;
    }
  }
}

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
  into: EquityColumns | undefined,
): void {
  // The ATRs take the candles as they are whatever the equity does (neither reads the other).
  s.atr.addColumns(symbol, candles, from, to);
  const cash = cashOf(s);
  const open = s.positions.openIn(s.quote);
  if (open.length > 1) {
    skipHolding(s, symbol, candles, from, to, into, cash, open);
    return;
  }
  // None or one position (the usual case), without the arrays: the same sum, cash first.
  const held = open[0];
  const quantity = held?.quantity ?? 0;
  const own = held?.symbol === symbol;
  const mark = held ? (s.marks.get(held.symbol) ?? held.entryPrice) : 0;
  let last = Number.NaN;
  for (let i = from; i < to; i++) {
    if (Number.isNaN(candles.open[i] as number)) continue;
    const close = candles.close[i] as number;
    const equity = held ? cash + quantity * (own ? close : mark) : cash;
    s.equity.observe(candles.time[i] as number, equity);
    if (into) {
      into.equity[i] = equity;
      into.cash[i] = cash;
    }
    last = close;
  }
  if (!Number.isNaN(last)) s.marks.set(symbol, last);
}

/** skipUnwatched with several positions open: each one's numbers taken once, summed in their order. */
function skipHolding(
  s: AccountState,
  symbol: string,
  candles: CandleColumns,
  from: number,
  to: number,
  into: EquityColumns | undefined,
  cash: number,
  open: readonly Position[],
): void {
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
    let equity = cash;
    for (let k = 0; k < count; k++) equity += (quantity[k] as number) * (own[k] ? close : (mark[k] as number));
    s.equity.observe(candles.time[i] as number, equity);
    if (into) {
      into.equity[i] = equity;
      into.cash[i] = cash;
    }
    last = close;
  }
  if (!Number.isNaN(last)) s.marks.set(symbol, last);
}

function atrOf(s: AccountState): AtrOf {
  return (symbol, period) => s.atr.value(symbol, period);
}
