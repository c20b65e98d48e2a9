import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Candle } from "../../../core/domain/index.ts";
import { toColumns } from "../../../core/strategy/timeline.ts";
import type { EquityColumns, TradingAccount } from "../../../core/trading/types.ts";
import { candle, feed, intent, paperAccount, STRATEGY, SYMBOL, T0, tempStore } from "./helpers.ts";

// skipCandles is the backtester's shortcut over candles at which nothing trades: it must leave the
// account exactly where onCandle, candle by candle, would (equity to the last bit, peak, marks, ATR).

const ETH = "ETH/USDT";

let stores: Awaited<ReturnType<typeof tempStore>>[] = [];
beforeEach(() => {
  stores = [];
});
afterEach(async () => {
  for (const s of stores) await s.cleanup();
});

/** A paper account holding 1 BTC and 2 ETH, both bought at candle 0. */
async function holdingAccount() {
  const t = await tempStore();
  stores.push(t);
  const { account, clock } = await paperAccount(t.store);
  await feed(account, clock, candle(0, 100, 101, 99, 100));
  await account.onCandle(ETH, { ...candle(0, 20, 21, 19, 20), time: T0 });
  await account.handleIntent(intent(0, { size: { kind: "base", value: 1 } }), candle(0, 100, 101, 99, 100), STRATEGY);
  const eth = intent(0, { symbol: ETH, size: { kind: "base", value: 2 } });
  await account.handleIntent(eth, { ...candle(0, 20, 21, 19, 20), time: T0 }, STRATEGY);
  // ETH marked away from its entry, so the skip must value it at its mark, not its entry.
  await account.onCandle(ETH, { ...candle(0, 20, 22, 20, 21.37), time: T0 + 1_800_000 });
  return { account, clock };
}

/** Candles 1..n of BTC with prices that wander and do not add up to round numbers; one hole at `gap`. */
function wandering(n: number, gap: number): Candle[] {
  const out: Candle[] = [];
  let price = 100;
  for (let h = 1; h <= n; h++) {
    const next = price * (1 + 0.013 * Math.sin(h * 1.7) + 0.007 * Math.cos(h * 0.3));
    const c = candle(h, price, Math.max(price, next) * 1.004, Math.min(price, next) * 0.996, next);
    out.push(h === gap ? { ...c, open: Number.NaN, high: Number.NaN, low: Number.NaN, close: Number.NaN } : c);
    price = next;
  }
  return out;
}

/** Equity and cash columns for `n` candles, NaN where skipCandles wrote nothing. */
function equityColumns(n: number): EquityColumns {
  return { equity: new Float64Array(n).fill(Number.NaN), cash: new Float64Array(n).fill(Number.NaN) };
}

/** What skipCandles wrote, by candle index less `shift`. */
function written(into: EquityColumns, shift: number): Map<number, { equity: number; cash: number }> {
  const out = new Map<number, { equity: number; cash: number }>();
  into.equity.forEach((equity, i) => {
    if (!Number.isNaN(equity)) out.set(i - shift, { equity, cash: into.cash[i] as number });
  });
  return out;
}

async function stepByStep(account: TradingAccount, candles: readonly Candle[], setClock: (t: number) => void) {
  const curve = new Map<number, { equity: number; cash: number }>();
  for (const [i, c] of candles.entries()) {
    if (Number.isNaN(c.open)) continue;
    setClock(c.time);
    await account.onCandle(SYMBOL, c);
    curve.set(i, account.valuation());
  }
  return curve;
}

describe("skipCandles", () => {
  it("leaves equity, peak, marks and ATR where onCandle candle by candle would, other positions included", async () => {
    // Enough candles that summing the positions in another order would show in the last bits somewhere.
    const candles = wandering(1500, 23);
    const a = await holdingAccount();
    const b = await holdingAccount();

    const expected = await stepByStep(a.account, candles, (t) => a.clock.set(t));
    const columns = toColumns([candle(0, 100, 101, 99, 100), ...candles]);
    const into = equityColumns(columns.time.length);
    b.account.skipCandles(SYMBOL, columns, 1, columns.time.length, into);
    const curve = written(into, 1);

    expect(expected.size).toBe(1499);
    expect([...curve.entries()]).toEqual([...expected.entries()]);
    expect(b.account.valuation()).toEqual(a.account.valuation());
    expect(b.account.status().peakEquity).toBe(a.account.status().peakEquity);

    // The next order is priced at the mark and checked against the ATR both ways came to.
    const last = candles.at(-1) as Candle;
    a.clock.set(last.time);
    b.clock.set(last.time);
    const next = intent(1501, { size: { kind: "quote", value: 500 } });
    const viaCandles = await a.account.handleIntent(next, last, STRATEGY);
    const viaSkip = await b.account.handleIntent(next, last, STRATEGY);
    expect(JSON.stringify(viaSkip.verdict)).toBe(JSON.stringify(viaCandles.verdict));
    expect(viaSkip.verdict?.rules.map((r) => r.rule)).toContain("volatility");
    expect(viaSkip.fills).toEqual(viaCandles.fills);
  });

  it("takes the same path for a short stretch as for a long one", async () => {
    const candles = wandering(30, 0);
    const columns = toColumns([candle(0, 100, 101, 99, 100), ...candles]);
    const a = await holdingAccount();
    const b = await holdingAccount();
    const intoOne = equityColumns(columns.time.length);
    const intoMany = equityColumns(columns.time.length);
    for (let i = 1; i < columns.time.length; i++) a.account.skipCandles(SYMBOL, columns, i, i + 1, intoOne);
    b.account.skipCandles(SYMBOL, columns, 1, columns.time.length, intoMany);
    const one = written(intoOne, 0);
    const many = written(intoMany, 0);
    expect(many.size).toBe(30);
    expect([...many.entries()]).toEqual([...one.entries()]);
    expect(b.account.valuation()).toEqual(a.account.valuation());
  });
});
