import type { Fill } from "../domain/index.ts";
import { feeInQuote, type MarketCurrencies, splitSymbol } from "../portfolio/currencies.ts";
import type { BacktestTrade } from "./types.ts";

/** A round trip being built: the position from flat back to flat. */
interface Open {
  readonly symbol: string;
  readonly direction: 1 | -1;
  readonly entryTime: number;
  /** Signed quantity held now. */
  held: number;
  /** Average entry of what is held (moves on adds, kept on reductions, as the positions do). */
  entry: number;
  entered: number;
  entryCost: number;
  exited: number;
  exitValue: number;
  realized: number;
  fees: number;
}

/**
 * Round trips from fills in the order they happened: a trade opens when a symbol's position leaves
 * flat and closes when it gets back (a flip closes one and opens the next at the same fill). Adds and
 * partial exits stay in one trade: its quantity is everything entered, its prices the volume-weighted
 * entries and exits, its PnL the realised PnL net of every fee (as core/portfolio computes it). A trade
 * still open is valued at `lastPrices` and has no exit.
 * @example roundTrips(fills, (id) => reasons.get(id), { "BTC/USDT": 51_000 })
 *   // [{ symbol: "BTC/USDT", direction: "long", quantity: 0.2, entryPrice: 50_000, exitPrice: 50_500, pnl: 79.9, ... }]
 */
export function roundTrips(
  fills: readonly Fill[],
  reasonOf: (clientOrderId: string, index: number) => string | undefined,
  lastPrices: Readonly<Record<string, number>>,
): BacktestTrade[] {
  const trades: BacktestTrade[] = [];
  const open = new Map<string, Open>();
  // A run has a symbol or a few and tens of thousands of fills: each symbol is split once.
  const currencies = new Map<string, MarketCurrencies>();
  for (let i = 0; i < fills.length; i++) {
    const fill = fills[i] as Fill;
    let market = currencies.get(fill.symbol);
    if (!market) {
      market = splitSymbol(fill.symbol);
      currencies.set(fill.symbol, market);
    }
    const fee = feeInQuote(fill.fee, fill.feeCurrency, fill.price, market);
    const sign = fill.side === "buy" ? 1 : -1;
    let amount = fill.amount;
    let t = open.get(fill.symbol);
    if (t && t.direction !== sign) {
      const closed = Math.min(amount, Math.abs(t.held));
      const share = closed / amount;
      t.exited += closed;
      t.exitValue += closed * fill.price;
      t.realized += closed * (fill.price - t.entry) * t.direction;
      t.fees += fee * share;
      t.held += sign * closed;
      amount -= closed;
      if (Math.abs(t.held) <= 1e-9 * Math.max(t.entered, 1e-12)) {
        trades.push(finish(t, fill.time, fill.price, reasonOf(fill.clientOrderId, i)));
        open.delete(fill.symbol);
        t = undefined;
      }
      if (!(amount > 1e-12 * fill.amount)) continue;
    }
    const part = amount / fill.amount;
    if (!t) {
      t = {
        symbol: fill.symbol,
        direction: sign,
        entryTime: fill.time,
        held: 0,
        entry: 0,
        entered: 0,
        entryCost: 0,
        exited: 0,
        exitValue: 0,
        realized: 0,
        fees: 0,
      };
      open.set(fill.symbol, t);
    }
    t.entry = (Math.abs(t.held) * t.entry + amount * fill.price) / (Math.abs(t.held) + amount);
    t.held += sign * amount;
    t.entered += amount;
    t.entryCost += amount * fill.price;
    t.fees += fee * part;
  }
  for (const t of open.values()) {
    const last = lastPrices[t.symbol] ?? t.entry;
    const pnl = t.realized + t.held * (last - t.entry) - t.fees;
    trades.push(trade(t, pnl));
  }
  return trades;
}

function finish(t: Open, time: number, price: number, reason: string | undefined): BacktestTrade {
  const exitPrice = t.exited > 0 ? t.exitValue / t.exited : price;
  // Added to trade()'s object in place of `{ ...trade(), exitTime, ... }`: the same keys in the same
  // order, without the slow path a literal opening with a spread takes on Node 20.
  const out: { -readonly [K in keyof BacktestTrade]: BacktestTrade[K] } = trade(t, t.realized - t.fees);
  out.exitTime = time;
  out.exitPrice = exitPrice;
  if (reason !== undefined) out.exitReason = reason;
  return out;
}

function trade(t: Open, pnl: number): BacktestTrade {
  const entryPrice = t.entryCost / t.entered;
  return {
    symbol: t.symbol,
    direction: t.direction === 1 ? "long" : "short",
    quantity: t.entered,
    entryTime: t.entryTime,
    entryPrice,
    pnl,
    pnlPct: t.entryCost > 0 ? (pnl / t.entryCost) * 100 : 0,
    fees: t.fees,
  };
}
