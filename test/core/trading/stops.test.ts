import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryBus } from "../../../core/bus/index.ts";
import { SimulatedClock } from "../../../core/clock.ts";
import type { OrderIntent } from "../../../core/domain/index.ts";
import type { Store } from "../../../core/store/database.ts";
import { findPosition, listFills } from "../../../core/store/index.ts";
import { candle, feed, intent, LOOSE, paperAccount, STRATEGY, SYMBOL, T0, tempStore } from "./helpers.ts";

let t: Awaited<ReturnType<typeof tempStore>>;
let store: Store;

beforeEach(async () => {
  t = await tempStore();
  store = t.store;
});
afterEach(async () => {
  await t.cleanup();
});

/** An account long 10 BTC from 100, the entry carrying `exits`. */
async function longFrom100(exits: Partial<OrderIntent>) {
  const opened = await paperAccount(store, { globalLimits: { ...LOOSE, cooldownAfterStopMinutes: 60 } });
  const c0 = candle(0, 100, 101, 99, 100);
  await feed(opened.account, opened.clock, c0);
  const entry = await opened.account.handleIntent(
    intent(0, { size: { kind: "base", value: 10 }, ...exits }),
    c0,
    STRATEGY,
  );
  expect(entry.fills).toHaveLength(1);
  return opened;
}

describe("engine-managed stops", () => {
  it("a stop-loss fires on a later candle's low and exits at the stop price, then the cooldown holds entries", async () => {
    const { account, clock } = await longFrom100({ stopLoss: { pct: 5 } });
    expect(account.status().positions[0]?.stops).toMatchObject({ side: "long", entryPrice: 100, stopLoss: 95 });
    expect((await feed(account, clock, candle(1, 100, 102, 96, 97))).outcomes).toEqual([]);

    const hit = await feed(account, clock, candle(2, 97, 98, 94, 96));
    expect(hit.outcomes).toHaveLength(1);
    expect(hit.outcomes[0]).toMatchObject({
      intent: { reduceOnly: true, side: "sell", reason: "stop-loss" },
      stop: { kind: "stop-loss", price: 95 },
    });
    expect(hit.fills).toEqual([
      expect.objectContaining({ side: "sell", amount: 10, price: 95, fee: 0.95, time: T0 + 2 * 3_600_000 }),
    ]);
    expect(account.status().positions).toEqual([]);
    expect(
      (await findPosition(store.db, { accountId: "paper", strategyId: "s1", symbol: SYMBOL }))?.stops,
    ).toBeUndefined();

    const again = await account.handleIntent(intent(2), candle(2, 97, 98, 94, 96), STRATEGY);
    expect(again.verdict?.rules.find((r) => r.rule === "cooldown")).toMatchObject({ decision: "reject" });
    await account.stop();
  });

  it("a bar that opens through the stop fills at the open", async () => {
    const { account, clock } = await longFrom100({ stopLoss: { pct: 5 } });
    const hit = await feed(account, clock, candle(1, 93, 96, 92, 94));
    expect(hit.fills[0]).toMatchObject({ side: "sell", price: 93 });
    expect(hit.outcomes[0]?.stop?.reason).toContain("opened at 93");
    await account.stop();
  });

  it("a take-profit fills at its level and is not a stop-out", async () => {
    const { account, clock } = await longFrom100({ takeProfit: { pct: 10 } });
    const hit = await feed(account, clock, candle(1, 104, 112, 103, 111));
    expect(hit.fills[0]).toMatchObject({ side: "sell", price: 110 });
    expect(hit.outcomes[0]?.intent.reason).toBe("take-profit");
    const again = await account.handleIntent(intent(1), candle(1, 104, 112, 103, 111), STRATEGY);
    expect(again.verdict?.rules.find((r) => r.rule === "cooldown")?.decision).toBe("approve");
    await account.stop();
  });

  it("when a bar touches both, the stop-loss is assumed first", async () => {
    const { account, clock } = await longFrom100({ stopLoss: { pct: 5 }, takeProfit: { pct: 10 } });
    const hit = await feed(account, clock, candle(1, 100, 111, 94, 105));
    expect(hit.fills[0]).toMatchObject({ price: 95 });
    expect(hit.outcomes[0]?.stop).toMatchObject({ kind: "stop-loss" });
    await account.stop();
  });

  it("a trailing stop follows the high, only up, and exits where it stands", async () => {
    const { account, clock } = await longFrom100({ trailingStop: { mode: "percent", pct: 5 } });
    const trail = () => (account.status().positions[0]?.stops?.trailing as { stop: number } | undefined)?.stop;
    expect(trail()).toBe(95);
    await feed(account, clock, candle(1, 100, 110, 105, 108));
    expect(trail()).toBe(104.5);
    await feed(account, clock, candle(2, 108, 109, 105, 106)); // lower high: the stop stays
    expect(trail()).toBe(104.5);
    const hit = await feed(account, clock, candle(3, 106, 107, 103, 104));
    expect(hit.fills[0]).toMatchObject({ side: "sell", price: 104.5 });
    expect(hit.outcomes[0]?.intent.reason).toBe("trailing stop");
    await account.stop();
  });
});

describe("a restart over the same store", () => {
  it("keeps positions and stops, and the stop still fires after it", async () => {
    const { account, clock } = await longFrom100({ stopLoss: { pct: 5 }, trailingStop: { mode: "percent", pct: 8 } });
    await feed(account, clock, candle(1, 100, 120, 101, 118)); // trail 8% under 120 = 110.4
    await account.stop();

    // New process objects (store handle, paper exchange, account) over the same SQLite file.
    const store2 = await t.reopen();
    const clock2 = new SimulatedClock(clock.now());
    const { account: resumed } = await paperAccount(store2, { clock: clock2, bus: new MemoryBus() });
    expect(resumed.status().positions).toEqual([
      expect.objectContaining({
        strategyId: "s1",
        symbol: SYMBOL,
        quantity: 10,
        entryPrice: 100,
        stops: expect.objectContaining({ stopLoss: 95, trailing: expect.objectContaining({ stop: 110.4 }) }),
      }),
    ]);
    const hit = await feed(resumed, clock2, candle(2, 117, 118, 109, 112));
    expect(hit.fills[0]).toMatchObject({ side: "sell", amount: 10, price: 110.4 });
    expect((await listFills(store2.db, { accountId: "paper", order: "asc" })).map((f) => f.side)).toEqual([
      "buy",
      "sell",
    ]);
    // Cash is restored from the recorded fills: 10 000 - 1000 - 1 + 1104 - 1.104.
    expect(resumed.valuation().cash).toBeCloseTo(10_101.896, 6);
    await resumed.stop();
  });
});
