import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fill } from "../../../core/domain/order.ts";
import { saveSubscription } from "../../../core/store/repositories/notifications.ts";
import { type Harness, onlyMessage, plain, startHarness, T0 } from "../harness.ts";

const FILL: Fill = {
  id: "f-1",
  clientOrderId: "qc-1",
  accountId: "paper",
  strategyId: "sma-btc",
  symbol: "BTC/USDT",
  side: "buy",
  amount: 0.25,
  price: 37_123.5,
  fee: 0.9,
  feeCurrency: "USDT",
  time: T0,
};

const FILLS_ONLY = 11; // private chat, subscribed to fills
const RISK_ONLY = 12; // private chat, subscribed to risk only
const EVERYTHING_KO = 13; // private chat, everything, Korean
const PAUSED = 14; // subscribed, then /notify off
const NOT_SUBSCRIBED = 15;
const GROUP = -100_777; // a group subscribed to everything
const BLOCKED = 16; // subscribed, but blocked the bot
const FORMER = 17; // subscribed while they had a role, then lost it

describe("notifications to subscribed chats", () => {
  let h: Harness;
  const notified = (after: number) =>
    h.fake.sent.filter((c) => c.seq >= after && c.method === "sendMessage").map((c) => Number(c.payload.chat_id));

  beforeAll(async () => {
    h = await startHarness({
      roles: {
        1: "admin",
        [FILLS_ONLY]: "viewer",
        [RISK_ONLY]: "viewer",
        [EVERYTHING_KO]: "viewer",
        [PAUSED]: "viewer",
        [NOT_SUBSCRIBED]: "viewer",
        [BLOCKED]: "viewer",
        [FORMER]: "viewer",
      },
    });
    await h.say(FILLS_ONLY, "/notify fills");
    await h.say(RISK_ONLY, "/notify risk");
    await h.say(EVERYTHING_KO, "/lang ko");
    await h.say(EVERYTHING_KO, "/notify on");
    await h.say(PAUSED, "/notify on");
    await h.say(PAUSED, "/notify off");
    await h.say(1, "/notify on", { chatId: GROUP });
    await h.say(BLOCKED, "/notify on");
    await h.say(FORMER, "/notify on");
    await h.say(1, `/revoke ${FORMER}`);
  }, 120_000);
  afterAll(async () => h?.close());

  it("sends a fill to the chats subscribed to fills only, each in its language", async () => {
    h.fake.failChat(BLOCKED, { status: 403 });
    const after = h.fake.sent.length;
    await h.bus.publish("order.filled", { fill: FILL });
    await h.bus.drain();
    expect(notified(after).sort((a, b) => a - b)).toEqual(
      [GROUP, BLOCKED, FILLS_ONLY, EVERYTHING_KO].sort((a, b) => a - b),
    );
    const ok = h.fake.sent.filter((c) => c.seq >= after && c.ok);
    expect(ok.map((c) => Number(c.payload.chat_id)).sort((a, b) => a - b)).toEqual(
      [GROUP, FILLS_ONLY, EVERYTHING_KO].sort((a, b) => a - b),
    );
    const english = onlyMessage(h.fake.messagesTo(FILLS_ONLY, after));
    expect(plain(english)).toBe("Fill: BUY 0.25 BTC/USDT at 37,123.5 (sma-btc)");
    expect(plain(onlyMessage(h.fake.messagesTo(EVERYTHING_KO, after)))).toBe(
      "체결: 매수 0.25 BTC/USDT @ 37,123.5 (sma-btc)",
    );
    // The blocked chat failed, was logged, and did not stop the chats after it.
    expect(h.logs.some((l) => l.msg === "notification not delivered" && l.chatId === String(BLOCKED))).toBe(true);
    h.fake.healChat(BLOCKED);
  });

  it("sends risk rejections and warnings to risk subscribers, not approvals", async () => {
    const after = h.fake.sent.length;
    await h.bus.publish("risk.verdict", { intentId: "i1", strategyId: "grid", decision: "approve", reasons: [] });
    await h.bus.publish("risk.verdict", {
      intentId: "i2",
      strategyId: "grid",
      decision: "reject",
      reasons: ["total exposure 95% is over the 80% limit"],
    });
    await h.bus.publish("risk.warning", { rule: "daily-loss", level: 70, message: "daily loss at 70% of the limit" });
    await h.bus.drain();
    const risk = h.fake.messagesTo(RISK_ONLY, after).map(plain);
    expect(risk).toEqual([
      "Risk rejected an order from grid: total exposure 95% is over the 80% limit",
      "Risk warning (daily-loss, 70%): daily loss at 70% of the limit",
    ]);
    expect(h.fake.messagesTo(FILLS_ONLY, after)).toEqual([]);
    expect(h.fake.messagesTo(PAUSED, after)).toEqual([]);
    expect(h.fake.messagesTo(NOT_SUBSCRIBED, after)).toEqual([]);
    expect(h.fake.messagesTo(FORMER, after)).toEqual([]);
    expect(h.fake.messagesTo(GROUP, after)).toHaveLength(2);
  });

  it("reports plugin failures and a kill-switch change made in chat", async () => {
    let after = h.fake.sent.length;
    await h.bus.publish("plugin.failed", {
      strategyId: "grid-eth",
      pluginId: "grid",
      cause: "timeout",
      message: "onCandle took 80 ms (limit 50 ms)",
    });
    await h.bus.drain();
    expect(plain(onlyMessage(h.fake.messagesTo(GROUP, after)))).toBe(
      "Plugin grid failed in grid-eth (timeout): onCandle took 80 ms (limit 50 ms)",
    );

    const question = onlyMessage(await h.say(1, "/halt maintenance"));
    after = h.fake.sent.length;
    await h.press(1, question, "Confirm");
    await h.bus.drain();
    expect(plain(onlyMessage(h.fake.messagesTo(GROUP, after)))).toBe(
      "Trading state is now HALTED, set by telegram:1: maintenance",
    );
    expect(plain(onlyMessage(h.fake.messagesTo(EVERYTHING_KO, after)))).toBe(
      "거래 상태 변경: HALTED (정지) (설정: telegram:1, 사유: maintenance)",
    );
    expect(h.fake.messagesTo(RISK_ONLY, after)).toEqual([]);
  });

  it("delivers a notice pushed directly (the daily summary path) and reports where it went", async () => {
    await saveSubscription(h.store.db, {
      platform: "discord",
      chatId: "998877",
      enabled: true,
      kinds: ["*"],
      updatedAt: T0,
    });
    const report = await h.telegram.notifier!.deliver({
      kind: "daily",
      render: () => ({ blocks: [{ kind: "text", text: "Daily: +1.2%", style: "plain" }] }),
    });
    expect([...report.delivered].sort()).toEqual([String(GROUP), String(BLOCKED), String(EVERYTHING_KO)].sort());
    expect(report.skipped).toEqual([String(FORMER)]);
    expect(report.failed).toEqual([]);
  });

  it("left the fake nothing to complain about", () => {
    expect(h.fake.problems).toEqual([]);
  });
});
