import { describe, expect, it } from "vitest";
import type { Position } from "../../../core/domain/index.ts";
import {
  applyExecution,
  type Execution,
  feeInQuote,
  splitSymbol,
  valuePositions,
} from "../../../core/portfolio/index.ts";

const KEY = { accountId: "a", strategyId: "s", symbol: "BTC/USDT" };
const M = { base: "BTC", quote: "USDT" };
const ex = (
  side: "buy" | "sell",
  amount: number,
  price: number,
  fee: number,
  feeCurrency = "USDT",
  time = 1,
): Execution => ({
  side,
  amount,
  price,
  fee,
  feeCurrency,
  time,
});

/** Applies executions in turn, returning every intermediate position. */
function run(...executions: Execution[]): Position[] {
  const out: Position[] = [];
  let position: Position | undefined;
  for (const e of executions) {
    position = applyExecution(position, KEY, e, M).position;
    out.push(position);
  }
  return out;
}

describe("positions from fills (hand-computed)", () => {
  it("buy 2 @100 (fee 0.1% = 0.2), sell 1 @110 (fee 0.11): realised 10 - 0.2 - 0.11 = 9.69", () => {
    const [afterBuy, afterSell] = run(ex("buy", 2, 100, 0.2), ex("sell", 1, 110, 0.11));
    expect(afterBuy).toMatchObject({ quantity: 2, entryPrice: 100, fees: 0.2 });
    expect(afterBuy?.realizedPnl).toBeCloseTo(-0.2, 12);
    expect(afterSell).toMatchObject({ quantity: 1, entryPrice: 100 });
    expect(afterSell?.realizedPnl).toBeCloseTo(9.69, 12);
    expect(afterSell?.fees).toBeCloseTo(0.31, 12);
    // unrealised on the remaining 1 at a mark of 120: 20
    expect(valuePositions([afterSell as Position], { "BTC/USDT": 120 }).unrealizedPnl).toBe(20);
  });

  it("through zero: the old side closes at the price, the rest opens there; then the short covers", () => {
    const [, , flipped, covered] = run(
      ex("buy", 2, 100, 0.2),
      ex("sell", 1, 110, 0.11),
      ex("sell", 2, 90, 0.18, "USDT", 5), // closes 1 at 90 (-10), opens a short of 1 at 90
      ex("buy", 1, 80, 0.08, "USDT", 9), // covers at 80: +10
    );
    expect(flipped).toMatchObject({ quantity: -1, entryPrice: 90, openedAt: 5 });
    expect(flipped?.realizedPnl).toBeCloseTo(9.69 - 10 - 0.18, 12);
    expect(covered).toMatchObject({ quantity: 0, entryPrice: 0 });
    expect(covered?.realizedPnl).toBeCloseTo(9.69 - 10 - 0.18 + 10 - 0.08, 12);
    expect(covered?.fees).toBeCloseTo(0.57, 12);
  });

  it("adding moves the entry to the weighted average; reducing keeps it", () => {
    const [, added, reduced] = run(ex("buy", 1, 100, 0), ex("buy", 3, 120, 0), ex("sell", 2, 130, 0));
    expect(added).toMatchObject({ quantity: 4, entryPrice: 115 });
    expect(reduced).toMatchObject({ quantity: 2, entryPrice: 115, realizedPnl: 30 });
  });

  it("a fee in the base asset shrinks the quantity like the wallet, and counts once, in quote, in PnL", () => {
    // Binance: buy 1 BTC @100, fee 0.001 BTC; the wallet gets 0.999 BTC for 100 USDT.
    const [bought, sold] = run(ex("buy", 1, 100, 0.001, "BTC"), ex("sell", 0.999, 100, 0.0999));
    expect(bought).toMatchObject({ quantity: 0.999, entryPrice: 100 });
    expect(bought?.realizedPnl).toBeCloseTo(-0.1, 12);
    // Spent 100, got back 99.9 - 0.0999: lost 0.1999 in fees, flat.
    expect(sold?.quantity).toBe(0);
    expect(sold?.realizedPnl).toBeCloseTo(-0.1999, 12);
  });

  it("float dust from closing exactly is zero, and the change says the side ended", () => {
    const first = applyExecution(undefined, KEY, ex("buy", 0.3, 10, 0), M).position;
    const second = applyExecution(first, KEY, ex("sell", 0.1, 10, 0), M).position;
    const last = applyExecution(second, KEY, ex("sell", 0.2, 10, 0), M);
    expect(last.position.quantity).toBe(0);
    expect(last.sideEnded).toBe(true);
  });

  it("fees in quote, base or a third currency", () => {
    expect(feeInQuote(0.5, "USDT", 100, M)).toBe(0.5);
    expect(feeInQuote(0.001, "BTC", 50_000, M)).toBe(50);
    expect(feeInQuote(0.01, "BNB", 50_000, M)).toBe(0);
    expect(splitSymbol("ETH/BTC")).toEqual({ base: "ETH", quote: "BTC" });
    expect(splitSymbol("BTC/USDT:USDT")).toEqual({ base: "BTC", quote: "USDT" });
  });

  it("valuation: shorts subtract value, exposure is gross, unpriced symbols sit at entry", () => {
    const v = valuePositions(
      [
        { symbol: "BTC/USDT", quantity: 2, entryPrice: 100 },
        { symbol: "ETH/USDT", quantity: -3, entryPrice: 10 },
        { symbol: "SOL/USDT", quantity: 1, entryPrice: 5 },
      ],
      { "BTC/USDT": 110, "ETH/USDT": 12 },
    );
    expect(v).toEqual({ value: 220 - 36 + 5, unrealizedPnl: 20 - 6, exposure: 220 + 36 + 5, unpriced: ["SOL/USDT"] });
  });
});
