import { describe, expect, it } from "vitest";
import { type BusEvents, MemoryBus } from "../../../core/bus/index.ts";
import type { OrderIntent } from "../../../core/domain/index.ts";
import { approve, defineRule, judgeIntent } from "../../../core/risk/index.ts";
import { recordVerdict } from "../../../core/trading/verdicts.ts";
import { snap } from "../risk/fixtures.ts";

const INTENT: OrderIntent = {
  id: "s1:BTC/USDT:1",
  strategyId: "s1",
  symbol: "BTC/USDT",
  side: "buy",
  reduceOnly: false,
  size: { kind: "base", value: 0.01 },
  type: "market",
  candleTime: 0,
};

/** A verdict whose one rule counts how often its reason is written. */
function countedVerdict() {
  const calls = { n: 0 };
  const rule = defineRule("counted", () =>
    approve("counted", () => {
      calls.n++;
      return "fine";
    }),
  );
  return { verdict: judgeIntent(INTENT, snap(), [rule]), calls };
}

describe("recordVerdict", () => {
  it("writes no reason when nothing stores the verdict and nobody listens", () => {
    const { verdict, calls } = countedVerdict();
    expect(recordVerdict({ bus: new MemoryBus() }, INTENT, verdict, 1)).toBeUndefined();
    expect(calls.n).toBe(0);
  });

  it("stores, then publishes every rule's reason to a subscriber", async () => {
    const { verdict, calls } = countedVerdict();
    const bus = new MemoryBus();
    const published: BusEvents["risk.verdict"][] = [];
    bus.subscribe("risk.verdict", (e) => {
      published.push(e);
    });
    const stored: unknown[] = [];
    await recordVerdict({ bus, write: (record) => void stored.push(record) }, INTENT, verdict, 7);
    await bus.drain();
    expect(stored).toEqual([
      expect.objectContaining({ intentId: INTENT.id, time: 7, decision: "approve", rules: verdict.rules }),
    ]);
    expect(published).toEqual([
      { intentId: INTENT.id, strategyId: "s1", decision: "approve", reasons: ["size: 0.01 BTC", "counted: fine"] },
    ]);
    expect(calls.n).toBe(1);
  });
});
