import { describe, expect, it } from "vitest";
import type { Position } from "../../../core/domain/index.ts";
import { AccountPositions } from "../../../core/trading/positions.ts";

const position = (strategyId: string, symbol: string, quantity: number): Position => ({
  accountId: "a",
  strategyId,
  symbol,
  quantity,
  entryPrice: 100,
  realizedPnl: 0,
  fees: 0,
  openedAt: 1,
  updatedAt: 1,
});

describe("AccountPositions: the open positions equity counts", () => {
  it("lists the open ones sorted, and in a quote only the symbols quoted in it, after every apply", () => {
    const book = new AccountPositions();
    expect(book.open()).toEqual([]);
    expect(book.openIn("USDT")).toEqual([]);
    book.apply(position("s", "ETH/BTC", 2));
    expect(book.open().map((p) => p.symbol)).toEqual(["ETH/BTC"]);
    expect(book.openIn("USDT")).toEqual([]);
    expect(book.openIn("BTC").map((p) => p.symbol)).toEqual(["ETH/BTC"]);
    book.apply(position("s", "BTC/USDT", 1));
    book.apply(position("r", "SOL/USDT:USDT", -3));
    expect(book.open().map((p) => `${p.strategyId} ${p.symbol}`)).toEqual([
      "r SOL/USDT:USDT",
      "s BTC/USDT",
      "s ETH/BTC",
    ]);
    expect(book.openIn("USDT").map((p) => p.symbol)).toEqual(["SOL/USDT:USDT", "BTC/USDT"]);
    // Flat positions leave both lists; the quote's list is read again, not kept from before.
    book.apply(position("s", "ETH/BTC", 0));
    book.apply(position("r", "SOL/USDT:USDT", 0));
    expect(book.openIn("BTC")).toEqual([]);
    expect(book.openIn("USDT").map((p) => p.symbol)).toEqual(["BTC/USDT"]);
    expect(book.all()).toHaveLength(3);
  });
});
