import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dailySummary, scheduleDailySummary } from "../../../bot/commands/daily-summary.ts";
import type { Notice } from "../../../bot/commands/notices.ts";
import { CHAT_CHART } from "../../../bot/commands/services/charts.ts";
import { createCoreServices } from "../../../bot/commands/services/core-services.ts";
import { SimulatedClock } from "../../../core/clock.ts";
import type { OrderIntent } from "../../../core/domain/index.ts";
import { startTestEngine, type TestEngine } from "../engine-fixture.ts";
import { type Harness, plain, startHarness, T0 } from "../harness.ts";
import { decodePng } from "../png.ts";

const WATCHER = 5;
const RISK_DESK = -777;

// Notifications of what the engine does: stop-outs, risk rejections and the daily summary.
describe("notifications from a real engine", () => {
  let t: TestEngine;
  let h: Harness;
  beforeAll(async () => {
    t = await startTestEngine();
    h = await startHarness({
      roles: { [WATCHER]: "viewer" },
      engine: t,
    });
    await h.say(WATCHER, "/notify stops daily");
    await h.say(WATCHER, "/notify risk", { chatId: RISK_DESK, chatType: "group" });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  const account = () => t.engine.accounts().get("paper")!.trading;
  const entry = (id: string, extra: Partial<OrderIntent>): OrderIntent => ({
    id,
    strategyId: "manual",
    symbol: "BTC/USDT",
    side: "buy",
    reduceOnly: false,
    size: { kind: "base", value: 0.01 },
    type: "market",
    candleTime: Date.UTC(2020, 11, 17, 16),
    ...extra,
  });

  it("a stop-loss that fires sends a stop-out to the chats subscribed to stops", async () => {
    const price = t.engine.accounts().get("paper")!.paper!.lastPrice("BTC/USDT")!;
    const candle = { time: Date.UTC(2020, 11, 17, 16), open: price, high: price, low: price, close: price, volume: 1 };
    const opened = await account().handleIntent(
      entry("manual:BTC/USDT:1608220800000:sl", { stopLoss: { pct: 1 } }),
      candle,
      { id: "manual", allocation: { pct: 100 } },
    );
    expect(opened.fills).toHaveLength(1);
    const after = h.fake.sent.length;
    // The next hour falls through the stop: the account sends the reduce-only exit itself.
    const drop = {
      time: candle.time + 3_600_000,
      open: price * 0.995,
      high: price,
      low: price * 0.97,
      close: price * 0.975,
      volume: 1,
    };
    const outcome = await account().onCandle("BTC/USDT", drop);
    expect(outcome.outcomes.map((o) => o.stop?.kind)).toEqual(["stop-loss"]);
    const notice = await h.fake.waitFor(
      (c) => c.payload.chat_id === WATCHER && /^Stop-loss/.test(c.payload.text ?? ""),
      {
        after,
      },
    );
    expect(plain(notice)).toMatch(/^Stop-loss: manual SELL 0\.01 BTC\/USDT at [\d,.]+$/);
    await t.bus.drain();
    // Fills are another kind: the watcher did not ask for them.
    expect(
      h.fake
        .messagesTo(WATCHER, after)
        .map(plain)
        .filter((s) => s.startsWith("Fill")),
    ).toEqual([]);
  });

  it("a rejected order reaches the risk chat with the reason that refused it, not every rule", async () => {
    const after = h.fake.sent.length;
    const price = t.engine.accounts().get("paper")!.paper!.lastPrice("BTC/USDT")!;
    const candle = { time: Date.UTC(2020, 11, 17, 18), open: price, high: price, low: price, close: price, volume: 1 };
    const outcome = await account().handleIntent(
      entry("manual:BTC/USDT:1608228000000:big", { size: { kind: "base", value: 1_000 } }),
      candle,
      { id: "manual", allocation: { pct: 100 }, limits: { maxPositionPct: 100, maxExposurePct: 100 } },
    );
    expect(outcome.verdict?.decision).toBe("reject");
    const notice = await h.fake.waitFor((c) => c.payload.chat_id === RISK_DESK, { after });
    expect(plain(notice)).toMatch(/^Risk rejected an order from manual: [a-z-]+: [^;]+$/);
  });

  it("the daily summary sends each account's day, week and bar chart to the daily subscribers", async () => {
    const services = createCoreServices({
      engine: t.engine,
      db: t.store.db,
      bus: t.bus,
      clock: new SimulatedClock(T0),
    });
    const notice = (await dailySummary(services))!;
    expect(notice.kind).toBe("daily");
    const after = h.fake.sent.length;
    const report = await h.telegram.notifier!.deliver(notice);
    expect(report.delivered).toEqual([String(WATCHER)]);
    const sent = h.fake.messagesTo(WATCHER, after);
    expect(plain(sent[0]!)).toMatch(
      /^Daily summary\n\npaper, 2020-12-17: PnL [+-]?[\d,.]+ USDT \([+-]?[\d.]+%\), equity [\d,.]+ USDT\. Last 7 days: [+-]?[\d,.]+ USDT\.$/,
    );
    const photo = sent.find((c) => c.method === "sendPhoto")!;
    expect(plain(photo)).toBe("Daily PnL of paper, 7 days");
    expect(decodePng(photo.file!.bytes).width).toBe(CHAT_CHART.width);
  });

  it("the summary job fires shortly after midnight UTC and delivers", async () => {
    const services = createCoreServices({
      engine: t.engine,
      db: t.store.db,
      bus: t.bus,
      clock: new SimulatedClock(T0),
    });
    const fireAt = Date.UTC(2024, 2, 6, 0, 5);
    const delivered: Notice[] = [];
    let done: () => void = () => undefined;
    const fired = new Promise<void>((resolve) => {
      done = resolve;
    });
    const stop = scheduleDailySummary({
      services,
      log: pino({ level: "silent" }),
      now: () => fireAt - 30,
      deliver: async (n) => {
        delivered.push(n);
        done();
      },
    });
    await fired;
    stop();
    expect(delivered.map((n) => n.kind)).toEqual(["daily"]);
  });

  it("left the fake nothing to complain about", () => {
    expect(h.fake.problems).toEqual([]);
  });
});
