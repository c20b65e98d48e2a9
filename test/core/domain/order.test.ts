import { describe, expect, it } from "vitest";
import { clientOrderId } from "../../../core/domain/index.ts";

/** The id as first defined: FNV-1a over "<strategy>\0<intent>" as two 32-bit halves, in base 36. */
function byDefinition(strategyId: string, intentId: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  const text = `${strategyId}\u0000${intentId}`;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return `qc-${h1.toString(36)}${h2.toString(36)}-${text.length.toString(36)}`;
}

describe("clientOrderId", () => {
  it("is stable, short and made of what exchanges accept", () => {
    const id = clientOrderId("sma-btc", "sma-btc:BTC/USDT:1700000000000:0");
    expect(id).toBe(clientOrderId("sma-btc", "sma-btc:BTC/USDT:1700000000000:0"));
    expect(id).toMatch(/^qc-[0-9a-z]+-[0-9a-z]+$/);
    expect(id.length).toBeLessThanOrEqual(36);
    expect(clientOrderId("sma-btc", "sma-btc:BTC/USDT:1700000000000:1")).not.toBe(id);
  });

  it("is the id of its definition for any strategy and intent, so stored orders keep being recognised", () => {
    const strategies = ["sma-cross", "", "x", "grid-btc-ü", "a".repeat(60), "日本"];
    for (let i = 0; i < 5_000; i++) {
      const strategy = `${strategies[i % strategies.length]}${i % 3 === 0 ? i : ""}`;
      const intent = i % 17 === 0 ? "" : `${strategy}:BTC/USDT:${1_600_000_000_000 + i * 60_000}:${i % 4}`;
      expect(clientOrderId(strategy, intent)).toBe(byDefinition(strategy, intent));
    }
  });
});
